import type { z } from 'zod';
import { CLIENT_ID_HEADER, ClientId } from '../protocol/index.ts';
import { VibesError } from '../core/errors.ts';
import { ERROR_CODE_HEADER, toErrorResponse } from './http-errors.ts';
import { getRuntime } from './runtime-accessor.ts';
import type { Runtime } from './runtime.ts';

export interface RouteContext<P> {
  request: Request;
  params: P;
  runtime: Runtime;
  /** From X-Vibes-Client-Id; null when the caller sent none. */
  clientId: string | null;
}

type Handler<P> = (context: RouteContext<P>) => Promise<unknown> | unknown;

/**
 * Wraps a route handler: finds the runtime and the calling client, turns the result into JSON
 * (a Response passes through) and every error into the one error body.
 */
export function route<P extends Record<string, string> = Record<string, never>>(handler: Handler<P>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const runtime = getRuntime();
      const clientId = readClientId(request);
      if (!clientId) {
        const result = await handler({ request, params: await context.params, runtime, clientId });
        return result instanceof Response ? result : Response.json(result);
      }
      runtime.presence.requestStarted(clientId);
      try {
        const result = await handler({ request, params: await context.params, runtime, clientId });
        return result instanceof Response ? result : Response.json(result);
      } finally {
        runtime.presence.requestEnded(clientId);
      }
    } catch (error) {
      const { status, body } = toErrorResponse(error);
      return Response.json(body, { status, headers: { [ERROR_CODE_HEADER]: body.error.code } });
    }
  };
}

export function requireClientId(context: RouteContext<unknown>): string {
  if (context.clientId === null) {
    throw new VibesError('MISSING_CLIENT_ID', `Name the calling client in the ${CLIENT_ID_HEADER} header`);
  }
  return context.clientId;
}

/** Reads and validates a JSON body; an empty body counts as `{}`. */
export async function readBody<T>(context: RouteContext<unknown>, schema: z.ZodType<T>): Promise<T> {
  const text = await context.request.text();
  if (Buffer.byteLength(text) > context.runtime.config.maxBodyBytes) {
    throw new VibesError('PAYLOAD_TOO_LARGE', `The body is larger than ${context.runtime.config.maxBodyBytes} bytes`);
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

export function created(body: unknown): Response {
  return Response.json(body, { status: 201 });
}

function readClientId(request: Request): string | null {
  const value = request.headers.get(CLIENT_ID_HEADER);
  return value === null ? null : parseWith(ClientId, value, CLIENT_ID_HEADER);
}
