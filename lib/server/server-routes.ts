import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROUTES } from '../protocol/index.ts';
import { sendError } from './http-errors.ts';
import { route, type RouteHandler } from './route.ts';

/**
 * Routes the custom server answers itself, with the same route() handlers Next would run: the
 * list is the first thing a dashboard or `vibes sessions list` asks for and should not wait for
 * Next to be prepared; subscribing is what 500 viewers opening a session do at once.
 */
const listSessions = route('listSessions', async ({ runtime, clientId, query }) => {
  if (query.state === 'ended') {
    const page = { limit: query.limit, ...(query.before === undefined ? {} : { before: query.before }) };
    return { sessions: await runtime.manager.history(page, clientId) };
  }
  return { sessions: runtime.sessions.list(clientId) };
});

/** The subscriber gets the session in the answer; everyone else learns of it from a coalesced list update. */
const subscribe = route('subscribe', async ({ runtime, params, clientId }) => {
  await runtime.lifecycle.subscribe(params.id, clientId);
  return { session: (await runtime.manager.get(params.id)).infoFor(clientId) };
});

/** ROUTES.subscribe.path with its `:id` as a capture. */
const SUBSCRIBE_PATH = new RegExp(`^${ROUTES.subscribe.path.replace(':id', '([^/]+)')}$`);

/** True when the request was one of these routes (and is being answered); false leaves it to Next. */
export function handleServerRoute(req: IncomingMessage, res: ServerResponse, url: URL, maxBodyBytes: number): boolean {
  let handler: RouteHandler<'listSessions'> | RouteHandler<'subscribe'>;
  let params: Record<string, string> = {};
  const subscribePath = SUBSCRIBE_PATH.exec(url.pathname);
  if (url.pathname === ROUTES.listSessions.path && req.method === ROUTES.listSessions.method) handler = listSessions;
  else if (subscribePath) {
    if (req.method !== ROUTES.subscribe.method) {
      sendError(res, 'METHOD_NOT_ALLOWED', `Use POST for ${url.pathname}`, { Allow: 'POST' });
      return true;
    }
    handler = subscribe;
    params = { id: decodeURIComponent(subscribePath[1]!) };
  } else return false;
  answer(handler, params, req, res, url, maxBodyBytes).catch((error: unknown) => {
    console.error('vibes: request failed:', error);
    if (!res.headersSent) sendError(res, 'INTERNAL', 'Internal server error');
    else res.destroy();
  });
  return true;
}

/**
 * Runs a route() handler straight over Node's request and response: no WHATWG Request, Headers or
 * Response to build and read back, which was most of a subscribe's cost in a storm of them.
 */
async function answer(
  handler: RouteHandler<'listSessions'> | RouteHandler<'subscribe'>,
  params: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  maxBodyBytes: number,
): Promise<void> {
  const { status, body, headers } = await handler.answer({
    url,
    header: (name) => headerOf(req, name),
    text: () => (req.method === 'GET' || req.method === 'HEAD' ? Promise.resolve('') : readAtMost(req, maxBodyBytes + 1)),
    params,
  });
  // One string, so the head and the body leave in one write.
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The body, cut at `limit` bytes: route() refuses anything over its bound, so more is never needed.
 * Read with plain stream events: an async iterator per request was ~5% of a subscribe storm.
 */
function readAtMost(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = () => {
      req.off('data', onData).off('end', done).off('error', reject);
      resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= limit) {
        done();
        req.destroy();
      }
    };
    req.on('data', onData).once('end', done).once('error', reject);
  });
}
