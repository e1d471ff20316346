import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { LOOPBACK_NAMES, type ErrorCode, type RouteMatch } from '../protocol/index.ts';
import { urlHost } from '../protocol/server-url.ts';
import { principalKey, type Auth, type Principal } from './auth.ts';
import { requestView } from './forwarded.ts';
import { NOT_SIGNED_IN } from './http-errors.ts';
import type { RateLimiter } from './rate-limit.ts';

const WILDCARD_ADDRESSES = ['0.0.0.0', '::'];
/** Files a signed-out browser may load: the sign-in screen and the install manifest use them. */
const PUBLIC_PATHS = [/^\/_next\/static\//, /^\/icon[\w.-]*$/, /^\/manifest\.webmanifest$/, /^\/favicon\.ico$/, /^\/sw\.js$/];

export type GuardVerdict =
  | { kind: 'pass'; principal: Principal }
  /** Files a signed-out browser may load, and the sign-in call itself. */
  | { kind: 'public' }
  | { kind: 'refuse'; code: ErrorCode; message: string; headers?: Record<string, string> }
  | { kind: 'signed-out-page' };

export interface RequestGuardOptions {
  auth: Auth;
  /** POSTs per principal (the token, or one device). */
  rateLimiter: RateLimiter;
  /** Every request that is not signed in, per address. */
  anonymousLimiter: RateLimiter;
  bindHost: string;
  /** Extra Host names the user allowed (VIBES_ALLOWED_HOSTS). */
  extraHosts: readonly string[];
  maxBodyBytes: number;
}

/**
 * Every request passes here before Next or the event stream sees it: Host (DNS rebinding), the
 * path, Origin (cross-site requests), who is asking, rate and size limits. One place instead
 * of each route.
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

  /** `route`: the request's route by the table (matchRoute), which says who may call it and its body limit. */
  async check(req: IncomingMessage, url: URL, route: RouteMatch | null): Promise<GuardVerdict> {
    // Through a trusted proxy, the Host the browser sent (X-Forwarded-Host); otherwise the header itself.
    const host = requestView(req).host;
    if (!host || !HOST_HEADER.test(host) || !this.#hosts.has(hostnameOf(host))) {
      return refuse('FORBIDDEN_HOST', `Host ${printable(host ?? '(none)')} is not one this server answers to`);
    }
    const pathProblem = checkPath(req.url ?? '/');
    if (pathProblem) return refuse('INVALID_PATH', pathProblem);
    // Next's image optimiser fetches URLs on the server's behalf; vibes has no images for it.
    if (url.pathname === '/_next/image') return refuse('NOT_FOUND', 'Not found');
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (isApi) return this.#checkApi(req, url, host, route);
    // Pages and files are only read; a POST would reach Next, which answers it as a GET.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return refuse('METHOD_NOT_ALLOWED', `Use GET for ${url.pathname.slice(0, 100)}`, { Allow: 'GET, HEAD' });
    }
    if (PUBLIC_PATHS.some((pattern) => pattern.test(url.pathname))) return { kind: 'public' };
    const principal = await this.#options.auth.authenticate(req);
    if (principal) return { kind: 'pass', principal };
    return this.#anonymous(req) ?? { kind: 'signed-out-page' };
  }

  async #checkApi(req: IncomingMessage, url: URL, host: string, route: RouteMatch | null): Promise<GuardVerdict> {
    if (url.searchParams.has('token')) {
      return refuse('UNAUTHORIZED', 'Tokens are not accepted in URLs: send an Authorization: Bearer header');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !isSameOrigin(origin, host)) return refuse('FORBIDDEN_ORIGIN', 'Cross-origin requests are not allowed');
    // A route anyone may call (signing in) is answered without looking at credentials at all.
    const forAnyone = route?.spec.auth === 'anyone';
    const principal = forAnyone ? null : await this.#options.auth.authenticate(req);
    if (!principal) {
      const limited = this.#anonymous(req);
      if (limited) return limited;
      if (!forAnyone) return refuse('UNAUTHORIZED', NOT_SIGNED_IN);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const length = req.headers['content-length'];
      if (length === undefined && req.headers['transfer-encoding'] !== undefined) {
        return refuse('LENGTH_REQUIRED', 'Send a Content-Length with the body');
      }
      const limit = (route?.allowed ? route.spec.maxBodyBytes : undefined) ?? this.#options.maxBodyBytes;
      if (length !== undefined && Number(length) > limit) return refuse('PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes`);
      if (principal) {
        const rate = this.#options.rateLimiter.take(principalKey(principal));
        if (!rate.allowed) return rateLimited(rate.retryAfterSeconds);
      }
    }
    return principal ? { kind: 'pass', principal } : { kind: 'public' };
  }

  /** Requests nobody signed are limited per address, before anything else is done for them. */
  #anonymous(req: IncomingMessage): GuardVerdict | null {
    const rate = this.#options.anonymousLimiter.take(requestView(req).address);
    return rate.allowed ? null : rateLimited(rate.retryAfterSeconds);
  }
}

function rateLimited(retryAfterSeconds: number): GuardVerdict {
  return refuse('RATE_LIMITED', 'Too many requests: slow down', { 'Retry-After': String(retryAfterSeconds) });
}

/** A name or an address, and a port: nothing else (no `user@`, no path, no spaces). */
const HOST_HEADER = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?$/;

/** Paths that mean something else once normalised (`/.//evil.com/`) or do not decode are refused. */
function checkPath(rawUrl: string): string | null {
  const path = rawUrl.split('?', 1)[0] ?? '';
  if (!path.startsWith('/') || path.startsWith('//')) return 'The path must start with a single /';
  if (/\/\/|\\|(^|\/)\.\.?(\/|$)|%2e|%2f|%5c/i.test(path)) return 'The path has empty, dot or encoded-slash segments';
  try {
    decodeURIComponent(path);
  } catch {
    return 'The path is not valid UTF-8 once decoded';
  }
  return null;
}

/** For messages: what the client sent, without control characters, short. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 100);
}

function refuse(code: ErrorCode, message: string, headers?: Record<string, string>): GuardVerdict {
  return headers ? { kind: 'refuse', code, message, headers } : { kind: 'refuse', code, message };
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
  const bind = hostnameOf(urlHost(bindHost));
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
    // The service worker (public/sw.js) that shows push notifications; 'strict-dynamic' ignores 'self' for scripts.
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  req.headers['content-security-policy'] = policy;
  res.setHeader('Content-Security-Policy', policy);
}
