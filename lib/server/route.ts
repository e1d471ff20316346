import type { z } from 'zod';
import {
  CLIENT_ID_HEADER,
  ClientId,
  ROUTES,
  type ParsedBody,
  type ParsedQuery,
  type RouteClientId,
  type RouteName,
  type RouteParams,
  type RouteResponse,
  type RouteSpec,
} from '../protocol/index.ts';
import { VibesError } from '../core/errors.ts';
import { ERROR_CODE_HEADER, toErrorResponse } from './http-errors.ts';
import { getRuntime } from './runtime-accessor.ts';
import type { Runtime } from './runtime.ts';

export interface RouteContext<Name extends RouteName> {
  params: RouteParams<Name>;
  runtime: Runtime;
  /** From X-Vibes-Client-Id: null when the caller sent none, never null where the route requires it. */
  clientId: RouteClientId<Name>;
  /** The signed-in browser that asks, by its label; null for the token. Set by the custom server only. */
  device: string | null;
  /** The same browser by its id; null for the token. */
  deviceId: string | null;
  /** Parsed with the route's schemas from lib/protocol/routes.ts. */
  query: ParsedQuery<Name>;
  body: ParsedBody<Name>;
}

type Handler<Name extends RouteName> = (context: RouteContext<Name>) => Promise<RouteResponse<Name>> | RouteResponse<Name>;

/** What a route reads of a request, from Next's `Request` or straight from Node's (lib/server/server-routes.ts). */
export interface RouteRequest {
  url: URL;
  header(name: string): string | null;
  /** The body as text, read only by routes that take one. */
  text(): Promise<string>;
  params: Record<string, string>;
}

/** A route's answer before it is written: a JSON body, its status, and the error code header on a refusal. */
export interface RouteAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The route() handler for Next, and the same steps as a function the custom server calls without Request or Response. */
export type RouteHandler<Name extends RouteName> = ((
  request: Request,
  context: { params: Promise<RouteParams<Name>> },
) => Promise<Response>) & {
  answer(request: RouteRequest): Promise<RouteAnswer>;
};

/**
 * A route handler for one line of the route table: finds the runtime and the calling client,
 * parses query and body with the route's schemas, answers with the route's status, and turns
 * every error into the one error body. The handler's result is typed by the route's response.
 */
export function route<Name extends RouteName>(name: Name, handler: Handler<Name>): RouteHandler<Name> {
  const spec: RouteSpec = ROUTES[name];
  const answer = async (request: RouteRequest): Promise<RouteAnswer> => {
    try {
      const runtime = getRuntime();
      const clientId = readClientId(request);
      if (spec.client === 'required' && clientId === null) {
        throw new VibesError('MISSING_CLIENT_ID', `Name the calling client in the ${CLIENT_ID_HEADER} header`);
      }
      // A client's grace period runs from the end of its request: a long request must not outlast it.
      if (clientId) runtime.presence.requestStarted(clientId);
      try {
        const query = spec.query ? parseWith(spec.query, Object.fromEntries(request.url.searchParams), 'query') : undefined;
        const body = spec.body ? await readBody(request, spec.maxBodyBytes ?? runtime.config.maxBodyBytes, spec.body) : undefined;
        const result = await handler({
          params: request.params as RouteParams<Name>,
          runtime,
          clientId: clientId as RouteClientId<Name>,
          device: readDevice(request),
          deviceId: request.header(DEVICE_ID_HEADER),
          query: query as ParsedQuery<Name>,
          body: body as ParsedBody<Name>,
        });
        return { status: spec.status ?? 200, body: result };
      } finally {
        if (clientId) runtime.presence.requestEnded(clientId);
      }
    } catch (error) {
      const { status, body } = toErrorResponse(error);
      return { status, body, headers: { [ERROR_CODE_HEADER]: body.error.code } };
    }
  };
  const forNext = async (request: Request, context: { params: Promise<RouteParams<Name>> }): Promise<Response> => {
    const { status, body, headers } = await answer({
      url: new URL(request.url),
      header: (header) => request.headers.get(header),
      text: () => request.text(),
      params: (await context.params) as Record<string, string>,
    });
    return Response.json(body, { status, ...(headers ? { headers } : {}) });
  };
  return Object.assign(forNext, { answer });
}

/** Reads and validates a JSON body; an empty body counts as `{}`. */
async function readBody<T>(request: RouteRequest, maxBytes: number, schema: z.ZodType<T>): Promise<T> {
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) {
    throw new VibesError('PAYLOAD_TOO_LARGE', `The body is larger than ${maxBytes} bytes`);
  }
  let json: unknown = {};
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      throw new VibesError('INVALID_JSON', 'The body is not valid JSON');
    }
  }
  return parseWith(schema, json, 'body');
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    throw new VibesError('VALIDATION_FAILED', `Invalid ${what}: ${problems}`);
  }
  return parsed.data;
}

/** Internal: the custom server sets it from the device cookie after dropping whatever a client sent. */
export const DEVICE_LABEL_HEADER = 'x-vibes-device-label';
/** Internal, like the label: the device's id (URL-safe as it is). */
export const DEVICE_ID_HEADER = 'x-vibes-device-id';

function readDevice(request: RouteRequest): string | null {
  const value = request.header(DEVICE_LABEL_HEADER);
  if (value === null) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function readClientId(request: RouteRequest): string | null {
  const value = request.header(CLIENT_ID_HEADER);
  return value === null ? null : parseWith(ClientId, value, CLIENT_ID_HEADER);
}
