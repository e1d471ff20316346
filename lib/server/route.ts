import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import {
  CLIENT_ID_HEADER,
  ClientId,
  ERROR_STATUS,
  ROUTES,
  type ErrorCode,
  type ParsedBody,
  type ParsedQuery,
  type RouteClientId,
  type RouteName,
  type RouteParams,
  type RouteResponse,
  type RouteSpec,
  type Routes,
} from '../protocol/index.ts';
import { VibesError } from '../core/errors.ts';
import type { Principal } from './auth.ts';
import { requestView, type RequestView } from './forwarded.ts';
import { endAfter, ERROR_CODE_HEADER, errorBody, NOT_SIGNED_IN, refuseEarly, toErrorResponse } from './http-errors.ts';
import { getRuntime } from './runtime-accessor.ts';
import type { Runtime } from './runtime.ts';

/** Who asks, as the route's `auth` lets a handler see it: a sign-in has nobody yet, a device-only route a device. */
export type RoutePrincipal<Name extends RouteName> = Routes[Name] extends { auth: 'anyone' }
  ? null
  : Routes[Name] extends { auth: 'token' }
    ? Extract<Principal, { kind: 'token' }>
    : Routes[Name] extends { auth: 'device' }
      ? Extract<Principal, { kind: 'device' }>
      : Principal;

/** The body as a handler gets it: parsed by the route's schema, or the raw bytes as they arrive (uploads). */
export type RouteBodyOf<Name extends RouteName> = Routes[Name] extends { bytes: 'body' } ? AsyncIterable<Uint8Array> : ParsedBody<Name>;

export interface RouteContext<Name extends RouteName> {
  params: RouteParams<Name>;
  runtime: Runtime;
  /** From X-Vibes-Client-Id: null when the caller sent none, never null where the route requires it. */
  clientId: RouteClientId<Name>;
  /** Resolved once per request by the request guard, checked against the route's `auth`. */
  principal: RoutePrincipal<Name>;
  /** The address, Host and scheme the request came with (through a trusted proxy, as it says). */
  view: RequestView;
  header(name: string): string | null;
  /** Parsed with the route's schemas from lib/protocol/routes.ts. */
  query: ParsedQuery<Name>;
  body: RouteBodyOf<Name>;
}

/** A handler that must act before the body is read (the sign-in throttle counts an attempt as its head arrives). */
export type EarlyContext<Name extends RouteName> = Omit<RouteContext<Name>, 'body'> & { body(): Promise<RouteBodyOf<Name>> };

/** An answer with more than the route's JSON: headers (cookies), a redirect, a page, or raw bytes. */
export class Reply<Body = never> {
  declare readonly __body: Body;
  constructor(
    readonly status: number | undefined,
    readonly headers: Record<string, string>,
    readonly content: { json: Body } | { html: string } | { bytes: Readable } | { none: true },
    /** Runs once the answer is written (signing out revokes the device, whose streams end, after telling it). */
    readonly afterwards?: () => Promise<unknown>,
  ) {}
}

export const reply = {
  json: <Body>(body: Body, headers: Record<string, string>, afterwards?: () => Promise<unknown>) =>
    new Reply<Body>(undefined, headers, { json: body }, afterwards),
  redirect: (location: string, headers: Record<string, string> = {}) => new Reply(303, { ...headers, Location: location }, { none: true }),
  /** The sign-in page. Its form must send a real Origin, which `no-referrer` would turn into `null`. */
  page: (status: number, html: string, headers: Record<string, string> = {}) =>
    new Reply(status, { ...PAGE_HEADERS, ...headers }, { html }),
  /** A refusal the handler words itself, with headers of its own (Retry-After). */
  error: (code: ErrorCode, message: string, headers: Record<string, string> = {}) =>
    new Reply(ERROR_STATUS[code], { [ERROR_CODE_HEADER]: code, ...headers }, { json: errorBody(code, message) as never }),
  /** Raw bytes with their own headers (a HEAD gets the headers only). */
  bytes: (headers: Record<string, string>, bytes: Readable) => new Reply(200, headers, { bytes }),
};

export const PAGE_HEADERS = {
  'Referrer-Policy': 'same-origin',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

type Answer<Name extends RouteName> = RouteResponse<Name> | Reply<RouteResponse<Name>> | Reply;
type Handler<Name extends RouteName> = (context: RouteContext<Name>) => Promise<Answer<Name>> | Answer<Name>;
type EarlyHandler<Name extends RouteName> = (context: EarlyContext<Name>) => Promise<Answer<Name>> | Answer<Name>;

/** What a route reads of a request, from Node's `IncomingMessage` (the custom server) or Next's `Request`. */
export interface RouteRequest {
  method: string;
  url: URL;
  params: Record<string, string>;
  header(name: string): string | null;
  /** The body as it arrives; null when there is none. */
  body: Readable | null;
  principal: Principal | null;
  view: RequestView;
}

export interface RouteAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Readable | null;
  afterwards?: () => Promise<unknown>;
}

/** The handler Next calls (app/api), and the same steps for the custom server, over Node's request and response. */
export type RouteHandler<Name extends RouteName> = ((
  request: Request,
  context: { params: Promise<RouteParams<Name>> },
) => Promise<Response>) & {
  serve(req: IncomingMessage, res: ServerResponse, params: Record<string, string>, principal: Principal | null, url: URL): Promise<void>;
};

/**
 * A route handler for one line of the route table: checks who asks against the route's `auth`,
 * finds the calling client, parses query and body with the route's schemas (within its body
 * limit), answers with the route's status, and turns every error into the one error body. The
 * handler's result is typed by the route's response.
 */
export function route<Name extends RouteName>(name: Name, handler: Handler<Name>): RouteHandler<Name> {
  return makeRoute(name, async (context, readBody, checkRole) => {
    // A malformed body is told as such whoever sends it; only then whether this caller may act.
    const body = await readBody();
    checkRole();
    return handler({ ...context, body } as RouteContext<Name>);
  });
}

/** route() for a handler that reads the body itself, after acting on the head. */
export function routeReadingBodyLater<Name extends RouteName>(name: Name, handler: EarlyHandler<Name>): RouteHandler<Name> {
  return makeRoute(name, async (context, readBody, checkRole) => {
    checkRole();
    return handler({ ...context, body: readBody } as EarlyContext<Name>);
  });
}

function makeRoute<Name extends RouteName>(
  name: Name,
  run: (
    context: Omit<RouteContext<Name>, 'body'>,
    readBody: () => Promise<RouteBodyOf<Name>>,
    checkRole: () => void,
  ) => Promise<Answer<Name>>,
): RouteHandler<Name> {
  const spec: RouteSpec = ROUTES[name];
  const answer = async (request: RouteRequest): Promise<RouteAnswer> => {
    try {
      const runtime = getRuntime();
      if (!request.principal && spec.auth !== 'anyone') throw new VibesError('UNAUTHORIZED', NOT_SIGNED_IN);
      const clientId = readClientId(request);
      if (spec.client === 'required' && clientId === null) {
        throw new VibesError('MISSING_CLIENT_ID', `Name the calling client in the ${CLIENT_ID_HEADER} header`);
      }
      // A client's grace period runs from the end of its request: a long request must not outlast it.
      if (clientId) runtime.presence.requestStarted(clientId);
      try {
        const query = spec.query ? parseWith(spec.query, Object.fromEntries(request.url.searchParams), 'query') : undefined;
        const maxBytes = spec.maxBodyBytes ?? runtime.config.maxBodyBytes;
        const readBody = () => bodyOf(spec, request, maxBytes) as Promise<RouteBodyOf<Name>>;
        const result = await run(
          {
            params: request.params as RouteParams<Name>,
            runtime,
            clientId: clientId as RouteClientId<Name>,
            principal: request.principal as RoutePrincipal<Name>,
            view: request.view,
            header: request.header,
            query: query as ParsedQuery<Name>,
          },
          readBody,
          () => checkRole(spec, request.principal!),
        );
        return toAnswer(spec, result, request.method === 'HEAD');
      } finally {
        if (clientId) runtime.presence.requestEnded(clientId);
      }
    } catch (error) {
      const { status, body } = toErrorResponse(error);
      return { status, headers: { ...JSON_HEADERS, [ERROR_CODE_HEADER]: body.error.code }, body: JSON.stringify(body) };
    }
  };

  const forNext = async (request: Request, context: { params: Promise<RouteParams<Name>> }): Promise<Response> => {
    // Only the custom server knows who asks: without its scope, nobody does.
    const scope = requestScope.getStore();
    const { status, headers, body, afterwards } = await answer({
      method: request.method,
      url: new URL(request.url),
      header: (header) => request.headers.get(header),
      body: request.body ? Readable.fromWeb(request.body as WebReadableStream) : null,
      params: (await context.params) as Record<string, string>,
      principal: scope?.principal ?? null,
      view: scope?.view ?? { host: request.headers.get('host') ?? undefined, secure: false, address: 'unknown' },
    });
    const response = new Response(body instanceof Readable ? (Readable.toWeb(body) as ReadableStream) : body, { status, headers });
    await afterwards?.();
    return response;
  };

  const serve: RouteHandler<Name>['serve'] = async (req, res, params, principal, url) => {
    const answered = await answer({
      method: req.method ?? 'GET',
      url,
      params,
      header: (header) => headerOf(req, header),
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
      principal,
      view: requestView(req),
    });
    await writeAnswer(req, res, answered);
  };

  return Object.assign(forNext, { serve });
}

/**
 * The scope the custom server hands a request to Next in: who asks and how, resolved once by the
 * request guard. On globalThis, because Next's route bundles load their own copy of this module.
 */
const SCOPE_KEY = Symbol.for('vibes.requestScope');
type ScopeHolder = { [SCOPE_KEY]?: AsyncLocalStorage<RequestScope> };
interface RequestScope {
  principal: Principal | null;
  view: RequestView;
}
const requestScope = ((globalThis as ScopeHolder)[SCOPE_KEY] ??= new AsyncLocalStorage<RequestScope>());

/** Runs `next` (Next's request handler) with the request's principal where route() finds it. */
export function inRequestScope<T>(req: IncomingMessage, principal: Principal | null, next: () => T): T {
  return requestScope.run({ principal, view: requestView(req) }, next);
}

/** The route's `auth` beyond being signed in: the token holder only, or a signed-in browser only. */
function checkRole(spec: RouteSpec, principal: Principal): void {
  if (spec.auth === 'token' && principal.kind !== 'token') {
    throw new VibesError('TOKEN_REQUIRED', `Only the token holder (the CLI on the machine) can ${spec.method} ${spec.path}`);
  }
  if (spec.auth === 'device' && principal.kind !== 'device') {
    throw new VibesError('INVALID_STATE', `Only a signed-in browser can ${spec.method} ${spec.path}: the token is no device`);
  }
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

function toAnswer(spec: RouteSpec, result: unknown, head: boolean): RouteAnswer {
  const done = result instanceof Reply ? result : new Reply(undefined, {}, { json: result });
  const status = done.status ?? spec.status ?? 200;
  const { content } = done;
  let answer: RouteAnswer;
  if ('json' in content) answer = { status, headers: { ...JSON_HEADERS, ...done.headers }, body: JSON.stringify(content.json) };
  else if ('html' in content)
    answer = { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...done.headers }, body: content.html };
  else if ('bytes' in content) answer = { status, headers: done.headers, body: content.bytes };
  else answer = { status, headers: done.headers, body: null };
  if (head && answer.body instanceof Readable) answer.body.destroy();
  if (head && typeof answer.body === 'string') answer.headers['Content-Length'] ??= String(Buffer.byteLength(answer.body));
  if (head) answer.body = null;
  if (done.afterwards) answer.afterwards = done.afterwards;
  return answer;
}

/** Writes an answer on Node's response: a string in one write with its length, bytes piped, and a refusal heard out. */
export async function writeAnswer(req: IncomingMessage, res: ServerResponse, answer: RouteAnswer): Promise<void> {
  const { status, headers, body } = answer;
  const endWhen = status >= 400 ? refuseEarly(req, res) : undefined;
  if (body instanceof Readable) {
    res.writeHead(status, headers);
    await pipeline(body, res);
  } else {
    const text = body ?? '';
    res.writeHead(status, { 'Content-Length': Buffer.byteLength(text), ...headers });
    endAfter(res, text, endWhen);
  }
  await answer.afterwards?.();
}

/** The one body reader: the raw bytes as they arrive (uploads), or the whole body parsed (JSON, or a form where the route takes one). */
async function bodyOf(spec: RouteSpec, request: RouteRequest, maxBytes: number): Promise<unknown> {
  if (spec.bytes === 'body') return chunksOf(request.body, maxBytes);
  if (!spec.body) return undefined;
  const text = request.body ? await readAll(request.body, maxBytes) : '';
  if (spec.form && isForm(request)) {
    const fields = Object.fromEntries([...new URLSearchParams(text)].filter(([, value]) => value.trim() !== ''));
    return parseWith(spec.body, fields, 'body');
  }
  let json: unknown = {};
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      throw new VibesError('INVALID_JSON', 'The body is not valid JSON');
    }
  }
  return parseWith(spec.body, json, 'body');
}

/** A form post from a page (the sign-in form), rather than a JSON call. */
export function isForm(request: { header(name: string): string | null }): boolean {
  return (request.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded');
}

function tooLarge(maxBytes: number): VibesError {
  return new VibesError('PAYLOAD_TOO_LARGE', `The body is larger than ${maxBytes} bytes`);
}

/**
 * The whole body as text, refused past `maxBytes` (the guard refused a larger Content-Length
 * already). Read with plain stream events: an async iterator per request was ~5% of a subscribe storm.
 */
function readAll(body: Readable, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const stop = () => body.off('data', onData).off('end', onEnd).off('error', reject);
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= maxBytes) return void chunks.push(chunk);
      stop();
      reject(tooLarge(maxBytes));
    };
    body.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

/** The body chunk by chunk, never held whole, refused past `maxBytes`. */
async function* chunksOf(body: Readable | null, maxBytes: number): AsyncGenerator<Uint8Array> {
  if (!body) return;
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > maxBytes) throw tooLarge(maxBytes);
    yield chunk;
  }
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

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function readClientId(request: RouteRequest): string | null {
  const value = request.header(CLIENT_ID_HEADER);
  return value === null ? null : parseWith(ClientId, value, CLIENT_ID_HEADER);
}
