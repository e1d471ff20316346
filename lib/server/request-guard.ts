import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { CLIENT_ID_HEADER, LOOPBACK_NAMES, type ErrorCode } from '../protocol/index.ts';
import { AUTH_COOKIE, type Auth } from './auth.ts';
import type { RateLimiter } from './rate-limit.ts';

const WILDCARD_ADDRESSES = ['0.0.0.0', '::'];
/** Files a signed-out browser may load: the sign-in screen and the install manifest use them. */
const PUBLIC_PATHS = [/^\/_next\/static\//, /^\/icon[\w.-]*$/, /^\/manifest\.webmanifest$/, /^\/favicon\.ico$/];

export type GuardVerdict =
  | { kind: 'pass' }
  | { kind: 'refuse'; code: ErrorCode; message: string; headers?: Record<string, string> }
  /** A page request that carried the sign-in token: set the cookie, then drop the token from the URL. */
  | { kind: 'sign-in'; location: string }
  | { kind: 'signed-out-page' };

export interface RequestGuardOptions {
  auth: Auth;
  rateLimiter: RateLimiter;
  bindHost: string;
  /** Extra Host names the user allowed (VIBES_ALLOWED_HOSTS). */
  extraHosts: readonly string[];
  maxBodyBytes: number;
}

/**
 * Every request passes here before Next or the event stream sees it: Host (DNS rebinding),
 * Origin (cross-site requests), the token, rate and size limits. One place instead of each route.
 */
export class RequestGuard {
  readonly #options: RequestGuardOptions;
  readonly #hosts: Set<string>;

  constructor(options: RequestGuardOptions) {
    this.#options = options;
    this.#hosts = allowedHosts(options.bindHost, options.extraHosts);
  }

  get allowedHosts(): ReadonlySet<string> {
    return this.#hosts;
  }

  check(req: IncomingMessage, url: URL): GuardVerdict {
    const host = req.headers.host;
    if (!host || !this.#hosts.has(hostnameOf(host))) {
      return refuse('FORBIDDEN_HOST', `Host ${host ?? '(none)'} is not one this server answers to`);
    }
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (isApi) return this.#checkApi(req, url, host);
    if (PUBLIC_PATHS.some((pattern) => pattern.test(url.pathname))) return { kind: 'pass' };
    const token = url.searchParams.get('token');
    if (token !== null && req.method === 'GET' && this.#options.auth.isValidToken(token)) {
      url.searchParams.delete('token');
      return { kind: 'sign-in', location: `${url.pathname}${url.search}` };
    }
    return this.#options.auth.isAuthenticated(req) ? { kind: 'pass' } : { kind: 'signed-out-page' };
  }

  #checkApi(req: IncomingMessage, url: URL, host: string): GuardVerdict {
    if (url.searchParams.has('token')) {
      return refuse('UNAUTHORIZED', 'Tokens are not accepted in URLs: send an Authorization: Bearer header');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !isSameOrigin(origin, host)) {
      return refuse('FORBIDDEN_ORIGIN', 'Cross-origin requests are not allowed');
    }
    if (!this.#options.auth.isAuthenticated(req)) {
      return refuse('UNAUTHORIZED', 'Missing or wrong token: run `vibes pair` to get a link, or send Authorization: Bearer <token>');
    }
    if (req.method === 'GET' || req.method === 'HEAD') return { kind: 'pass' };
    const clientKey = firstHeader(req.headers[CLIENT_ID_HEADER]) ?? req.socket.remoteAddress ?? 'unknown';
    const rate = this.#options.rateLimiter.take(clientKey);
    if (!rate.allowed) {
      return refuse('RATE_LIMITED', 'Too many requests: slow down', { 'Retry-After': String(rate.retryAfterSeconds) });
    }
    const length = req.headers['content-length'];
    if (length === undefined && req.headers['transfer-encoding'] !== undefined) {
      return refuse('LENGTH_REQUIRED', 'Send a Content-Length with the body');
    }
    if (length !== undefined && Number(length) > this.#options.maxBodyBytes) {
      return refuse('PAYLOAD_TOO_LARGE', `The body is larger than ${this.#options.maxBodyBytes} bytes`);
    }
    return { kind: 'pass' };
  }
}

function refuse(code: ErrorCode, message: string, headers?: Record<string, string>): GuardVerdict {
  return headers ? { kind: 'refuse', code, message, headers } : { kind: 'refuse', code, message };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `[::1]:7432` -> `::1`, `Example.com:80` -> `example.com`. */
export function hostnameOf(hostHeader: string): string {
  const lower = hostHeader.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(1, lower.indexOf(']'));
  const colon = lower.lastIndexOf(':');
  return colon >= 0 ? lower.slice(0, colon) : lower;
}

function isSameOrigin(origin: string, host: string): boolean {
  try {
    const parsed = new URL(origin);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.host === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Loopback names always; on a wider bind, that address or every address of the machine, and its name. */
export function allowedHosts(bindHost: string, extraHosts: readonly string[]): Set<string> {
  const hosts = new Set([...LOOPBACK_NAMES, ...extraHosts.map((host) => host.toLowerCase())]);
  const bind = hostnameOf(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
  if (WILDCARD_ADDRESSES.includes(bind)) {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) hosts.add(address.address.toLowerCase());
    }
    hosts.add(hostname().toLowerCase());
    hosts.add(`${hostname().toLowerCase()}.local`);
  } else {
    hosts.add(bind);
  }
  return hosts;
}

/** Headers every answer carries, pages and API alike. */
export function setBaseHeaders(res: ServerResponse): void {
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
}

/**
 * A per-response nonce for Next's inline scripts; Next reads it back from the request's
 * Content-Security-Policy header and stamps it on every script it renders.
 */
export function applyPageCsp(req: IncomingMessage, res: ServerResponse, dev: boolean): void {
  const nonce = randomBytes(16).toString('base64');
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  req.headers['content-security-policy'] = policy;
  res.setHeader('Content-Security-Policy', policy);
}

export function signInCookie(auth: Auth): string {
  return `${AUTH_COOKIE}=${auth.cookieValue}; HttpOnly; SameSite=Strict; Path=/; Max-Age=31536000`;
}

export const SIGNED_OUT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vibes: sign in</title></head>
<body><main><h1>vibes</h1>
<p>This browser is not signed in. Open the link printed by <code>vibes serve</code> (or run <code>vibes pair</code> to see it again, with a QR code for your phone).</p>
</main></body></html>
`;
