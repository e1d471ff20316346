import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../protocol/index.ts';

/**
 * The domain's VibesError, recognised by shape: route bundles load their own copy of lib
 * modules, so `instanceof` across the two copies would fail.
 */
export function errorCodeOf(error: unknown): ErrorCode | null {
  if (!(error instanceof Error) || error.name !== 'VibesError') return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code in ERROR_STATUS ? (code as ErrorCode) : null;
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** The one mapping from a thrown error to a status and body; the unexpected become INTERNAL. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  const code = errorCodeOf(error);
  if (code) return { status: ERROR_STATUS[code], body: errorBody(code, (error as Error).message) };
  console.error('vibes: unexpected error while handling a request:', error);
  return { status: 500, body: errorBody('INTERNAL', 'Internal server error') };
}

/** What a request without credentials is told, by the guard or by a route. */
export const NOT_SIGNED_IN = 'Not signed in: run `vibes pair` for a pairing code, or send Authorization: Bearer <token>';

/** Names the error of a refused answer, for the audit line (the body is not read back). */
export const ERROR_CODE_HEADER = 'X-Vibes-Error';

/**
 * For the parts of the server that answer before Next does. With `endWhen`, the whole answer is
 * written at once but the response ends only when it settles (see endAfter).
 */
export function sendError(
  res: ServerResponse,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
  endWhen?: Promise<void>,
): void {
  const body = JSON.stringify(errorBody(code, message));
  res.writeHead(ERROR_STATUS[code], {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    [ERROR_CODE_HEADER]: code,
    'Cache-Control': 'no-store',
    ...headers,
  });
  endAfter(res, body, endWhen);
}

/**
 * Writes the body now and ends the response when `endWhen` settles: ending a `Connection: close`
 * answer closes the socket, and a socket closed with a request body still unread is reset by
 * the kernel, which throws away the answer the client has not read yet.
 */
export function endAfter(res: ServerResponse, body: string, endWhen?: Promise<void>): void {
  if (!endWhen) {
    res.end(body);
    return;
  }
  res.write(body);
  void endWhen.then(() => res.end());
}

/** How much of a refused request's body is taken and dropped, at most, before hanging up anyway. */
const DRAIN_MS = 2000;
const DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * A refused request's body is not wanted, but its sender may be writing it all at once (fetch,
 * browsers): the answer goes out at once, the body is drained, and only then does the response
 * end and the connection close, so the client reads the answer rather than a reset. Settles when
 * the answer may end; undefined when the body has all arrived already.
 */
export function refuseEarly(req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
  if (req.complete) return undefined;
  res.setHeader('Connection', 'close');
  return new Promise((resolve) => {
    let bytes = 0;
    const done = () => {
      clearTimeout(timer);
      req.off('data', count);
      resolve();
    };
    const count = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > DRAIN_BYTES) done();
    };
    const timer = setTimeout(done, DRAIN_MS);
    req.on('data', count);
    req.once('end', done);
    req.once('close', done);
    req.once('error', done);
    req.resume();
  });
}
