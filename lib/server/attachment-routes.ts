import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { VibesError } from '../core/errors.ts';
import { AttachmentId, AttachmentUploadQuery, CLIENT_ID_HEADER, ClientId, pathPattern, ROUTES } from '../protocol/index.ts';
import { errorCodeOf, sendError } from './http-errors.ts';
import { parseWith } from './route.ts';
import type { Runtime } from './runtime.ts';

const UPLOAD_PATH = pathPattern(ROUTES.uploadAttachment.path);
const ATTACHMENT_PATH = pathPattern(ROUTES.getAttachment.path);

/**
 * Files and images in a prompt: the upload streams to disk (never held whole in memory) and the
 * bytes are served back by URL. Answered by the custom server, which has Node's request stream
 * and response; true when it answered.
 */
export function handleAttachmentRoute(req: IncomingMessage, res: ServerResponse, url: URL, runtime: Runtime): boolean {
  const upload = UPLOAD_PATH.exec(url.pathname);
  const served = upload ? null : ATTACHMENT_PATH.exec(url.pathname);
  if (!upload && !served) return false;
  const route = upload ? ROUTES.uploadAttachment : ROUTES.getAttachment;
  if (req.method !== route.method && !(served && req.method === 'HEAD')) {
    sendError(res, 'METHOD_NOT_ALLOWED', `Use ${route.method} for ${url.pathname}`, { Allow: route.method });
    return true;
  }
  const sessionId = decodeURIComponent((upload ?? served)![1]!);
  const work = upload ? saveUpload(req, res, url, runtime, sessionId) : serveAttachment(req, res, runtime, sessionId, served![2]!);
  work.catch((error: unknown) => {
    if (res.headersSent) return res.destroy();
    // What the client is still sending is read and dropped for a moment, so it gets the answer.
    if (!req.complete) {
      res.setHeader('Connection', 'close');
      res.once('finish', () => {
        req.resume();
        setTimeout(() => req.socket.destroy(), 1000).unref();
      });
    }
    const code = errorCodeOf(error);
    if (code) return sendError(res, code, (error as Error).message);
    console.error('vibes: request failed:', error);
    sendError(res, 'INTERNAL', 'Internal server error');
  });
  return true;
}

async function saveUpload(req: IncomingMessage, res: ServerResponse, url: URL, runtime: Runtime, sessionId: string): Promise<void> {
  const header = req.headers[CLIENT_ID_HEADER.toLowerCase()];
  if (typeof header !== 'string') throw new VibesError('MISSING_CLIENT_ID', `Name the calling client in the ${CLIENT_ID_HEADER} header`);
  const clientId = parseWith(ClientId, header, CLIENT_ID_HEADER);
  const query = parseWith(AttachmentUploadQuery, Object.fromEntries(url.searchParams), 'query');
  const session = await runtime.manager.get(sessionId);
  runtime.presence.requestStarted(clientId);
  try {
    const attachment = await session.saveAttachment(clientId, bodyOf(req, ROUTES.uploadAttachment.maxBodyBytes), query.name);
    const text = JSON.stringify({ attachment });
    res.writeHead(ROUTES.uploadAttachment.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  } finally {
    runtime.presence.requestEnded(clientId);
  }
}

/** The request's body chunk by chunk, refused past `limit` bytes (the guard checked Content-Length already). */
async function* bodyOf(req: IncomingMessage, limit: number): AsyncGenerator<Uint8Array> {
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) throw new VibesError('PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes`);
    yield chunk;
  }
}

/**
 * Any signed-in viewer of the session may fetch its attachments, as it may read its transcript.
 * Served as a download would be: its own sniffed type, never re-sniffed by the browser, in a
 * sandbox (an SVG or HTML could not run script here anyway: only the accepted types are stored).
 */
async function serveAttachment(
  req: IncomingMessage,
  res: ServerResponse,
  runtime: Runtime,
  sessionId: string,
  rawId: string,
): Promise<void> {
  const id = parseWith(AttachmentId, decodeURIComponent(rawId), 'attachment id');
  const attachment = await runtime.manager.attachment(sessionId, id);
  const headers = {
    'Content-Type': attachment.kind === 'text' ? 'text/plain; charset=utf-8' : attachment.media_type,
    'Content-Length': String(attachment.size),
    'Content-Security-Policy': "sandbox; default-src 'none'",
    // Content-addressed: the bytes behind an id never change.
    'Cache-Control': 'private, max-age=31536000, immutable',
    'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (req.method === 'HEAD') {
    res.writeHead(200, headers);
    res.end();
    return;
  }
  const stream = createReadStream(attachment.path);
  await new Promise<void>((resolve, reject) =>
    stream
      .once('open', () => resolve())
      .once('error', () => reject(new VibesError('NOT_FOUND', `The attachment ${id} is no longer stored`))),
  );
  res.writeHead(200, headers);
  await pipeline(stream, res);
}
