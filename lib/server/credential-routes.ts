import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { VibesError } from '../core/errors.ts';
import {
  DeviceId,
  EmptyBody,
  ROUTES,
  SignInBody,
  type ErrorCode,
  type RouteName,
  type RouteResponse,
  type RouteSpec,
} from '../protocol/index.ts';
import type { Principal } from './auth.ts';
import { clearedDeviceCookie, deviceCookie, labelFromUserAgent, type UsedCode } from './devices.ts';
import { requestView } from './forwarded.ts';
import { endAfter, sendError, serveCustomRoute } from './http-errors.ts';
import { signInUrls } from './pairing.ts';
import type { Runtime } from './runtime.ts';
import { signedOutPage } from './sign-in-page.ts';

/** Sign-in, sign-out, devices, pairing codes and token rotation: answered by the custom server. */
const SMALL_BODY_BYTES = 4096;

type CredentialRoute = 'signIn' | 'signOut' | 'listDevices' | 'revokeDevice' | 'pairing' | 'rotateToken';
/** ROUTES.revokeDevice.path with its `:id` as a capture. */
const REVOKE_PATH = new RegExp(`^${ROUTES.revokeDevice.path.replace(':id', '([^/]+)')}$`);

/** True when the request was one of these routes (and has been answered). */
export function handleCredentialRoute(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  principal: Principal | null,
  runtime: Runtime,
): boolean {
  const path = url.pathname;
  const revoke = REVOKE_PATH.exec(path);
  let name: CredentialRoute | undefined;
  let handler: (() => Promise<void>) | undefined;
  if (path === ROUTES.signIn.path) [name, handler] = ['signIn', () => signIn(req, res, runtime)];
  else if (principal === null) return false;
  else if (path === ROUTES.signOut.path) [name, handler] = ['signOut', () => signOut(req, res, principal, runtime)];
  else if (path === ROUTES.listDevices.path) {
    name = 'listDevices';
    handler = async () => answer(res, 'listDevices', { devices: await runtime.auth.devices.list(currentDevice(principal)) });
  } else if (revoke) [name, handler] = ['revokeDevice', () => revokeDevice(req, res, decodeURIComponent(revoke[1]!), runtime)];
  else if (path === ROUTES.pairing.path) [name, handler] = ['pairing', () => issueCode(req, res, principal, runtime)];
  else if (path === ROUTES.rotateToken.path) [name, handler] = ['rotateToken', () => rotate(req, res, principal, runtime)];
  if (!name || !handler) return false;
  return serveCustomRoute(req, res, ROUTES[name].method, path, handler);
}

async function signIn(req: IncomingMessage, res: ServerResponse, runtime: Runtime): Promise<void> {
  const view = requestView(req);
  const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const refuse = (code: ErrorCode, message: string, headers: Record<string, string> = {}) => {
    if (!isForm) return sendError(res, code, message, headers);
    sendHtml(res, code === 'RATE_LIMITED' ? 429 : 401, signedOutPage({ error: message }), { 'X-Vibes-Error': code, ...headers });
  };
  // Taken as the head arrives, before the body: bodies held back and sent together meet an
  // allowance already spent by their own heads, and cannot all be tried.
  const attempt = runtime.signInThrottle.take(view.address);
  let wrongCodeTried = false;
  try {
    const text = await readBody(req);
    const raw: unknown = isForm ? Object.fromEntries(new URLSearchParams(text)) : parseJson(text);
    const body = parseWith(SignInBody, isForm ? dropEmpty(raw as Record<string, string>) : raw);
    let used: UsedCode | null;
    if (body.key !== undefined) {
      // A link's key cannot be guessed: judged by it alone, never throttled, so the owner always gets in.
      used = runtime.pairingCodes.consumeWithKey(body.code, body.key);
    } else if (!attempt.allowed) {
      const wait = attempt.retryAfterSeconds;
      return refuse(
        'RATE_LIMITED',
        `Too many wrong pairing codes: try again in ${wait} s, or open the sign-in link \`vibes pair\` prints (a link is not throttled)`,
        { 'Retry-After': String(wait) },
      );
    } else {
      used = runtime.pairingCodes.consume(body.code);
      wrongCodeTried = used === null;
    }
    const signedIn =
      used && (await runtime.auth.devices.signIn(body.label ?? labelFromUserAgent(req.headers['user-agent']), view.address, used.issuedBy));
    if (!signedIn) {
      return refuse('INVALID_PAIRING_CODE', 'That pairing code is wrong, used or expired: run `vibes pair` for a new one');
    }
    const cookie = deviceCookie(runtime.auth.devices.cookieName(view.secure), signedIn.secret, { secure: view.secure });
    if (isForm) {
      res.writeHead(303, { 'Set-Cookie': cookie, Location: '/', 'Content-Length': 0 });
      res.end();
      return;
    }
    const info = (await runtime.auth.devices.list(signedIn.device.id)).find((listed) => listed.id === signedIn.device.id);
    if (!info) throw new Error('a device just signed in is not listed');
    answer(res, 'signIn', { device: info }, { 'Set-Cookie': cookie });
  } finally {
    if (attempt.allowed && !wrongCodeTried) attempt.giveBack();
  }
}

async function signOut(req: IncomingMessage, res: ServerResponse, principal: Principal, runtime: Runtime): Promise<void> {
  parseWith(EmptyBody, parseJson(await readBody(req)));
  if (principal.kind !== 'device') {
    throw new VibesError('INVALID_STATE', 'Only a signed-in browser can sign out; to stop the token working, run `vibes token rotate`');
  }
  // The answer goes out first: revoking closes this device's streams, not this request.
  const view = requestView(req);
  answer(
    res,
    'signOut',
    { revoked: principal.deviceId },
    { 'Set-Cookie': clearedDeviceCookie(runtime.auth.devices.cookieName(view.secure), { secure: view.secure }) },
  );
  await runtime.auth.devices.revoke(principal.deviceId);
}

async function revokeDevice(req: IncomingMessage, res: ServerResponse, rawId: string, runtime: Runtime): Promise<void> {
  parseWith(EmptyBody, parseJson(await readBody(req)));
  const id = parseWith(DeviceId, rawId);
  if (!(await runtime.auth.devices.revoke(id))) throw new VibesError('NOT_FOUND', `No signed-in device ${id}`);
  answer(res, 'revokeDevice', { revoked: id });
}

async function issueCode(req: IncomingMessage, res: ServerResponse, principal: Principal, runtime: Runtime): Promise<void> {
  parseWith(EmptyBody, parseJson(await readBody(req)));
  // Remembered, so that revoking a device also revokes the devices it brought in.
  const pairing = runtime.pairingCodes.issue(currentDevice(principal));
  answer(res, 'pairing', { code: pairing.code, expires_at: pairing.expiresAt, urls: signInUrls(runtime.config, runtime.port, pairing) });
}

async function rotate(req: IncomingMessage, res: ServerResponse, principal: Principal, runtime: Runtime): Promise<void> {
  parseWith(EmptyBody, parseJson(await readBody(req)));
  // A browser never holds the token: it cannot be handed one by rotating.
  if (principal.kind !== 'token')
    throw new VibesError('TOKEN_REQUIRED', 'Only the token holder (the CLI on the machine) can rotate the token');
  answer(res, 'rotateToken', { token: await runtime.auth.rotate() });
}

function currentDevice(principal: Principal): string | null {
  return principal.kind === 'device' ? principal.deviceId : null;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > SMALL_BODY_BYTES) {
        reject(new VibesError('PAYLOAD_TOO_LARGE', `The body is larger than ${SMALL_BODY_BYTES} bytes`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new VibesError('INVALID_JSON', 'The body is not valid JSON');
  }
}

function dropEmpty(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value.trim() !== ''));
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    );
    throw new VibesError('VALIDATION_FAILED', `Invalid body: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** A success answer, typed by the route table's response for `name`. */
export function answer<Name extends RouteName>(
  res: ServerResponse,
  name: Name,
  body: RouteResponse<Name>,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  const spec: RouteSpec = ROUTES[name];
  res.writeHead(spec.status ?? 200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The sign-in page. Its form must send a real Origin, which `no-referrer` would turn into `null`. */
export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
  endWhen?: Promise<void>,
): void {
  res.writeHead(status, {
    'Referrer-Policy': 'same-origin',
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ...headers,
  });
  endAfter(res, html, endWhen);
}
