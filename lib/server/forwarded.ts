import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** The header a trusted proxy adds with the shared secret (VIBES_TRUSTED_PROXY_SECRET). */
export const PROXY_SECRET_HEADER = 'x-vibes-proxy-secret';
const FORWARDED_HEADERS = ['x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-for'] as const;

/** A TLS-terminating proxy in front of vibes: its addresses, and the secret it adds to every request. */
export class TrustedProxy {
  readonly #addresses: readonly string[];
  readonly #secretDigest: Buffer;

  constructor(addresses: readonly string[], secret: string) {
    this.#addresses = addresses.map(bareAddress);
    this.#secretDigest = digest(secret);
  }

  /** From one of its addresses, showing the secret (compared in constant time). */
  vouchesFor(socketAddress: string, shown: string | string[] | undefined): boolean {
    if (typeof shown !== 'string' || !this.#addresses.includes(socketAddress)) return false;
    return timingSafeEqual(digest(shown), this.#secretDigest);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Who asked and how, as vibes judges a request: through a trusted proxy, as the proxy says. */
export interface RequestView {
  /** The Host the user's browser sent. */
  host: string | undefined;
  /** True when the browser reached vibes over HTTPS (vibes' own TLS, or a trusted proxy's). */
  secure: boolean;
  /** The browser's address (the proxy's own when it does not say). */
  address: string;
}

const views = new WeakMap<IncomingMessage, RequestView>();

/**
 * X-Forwarded-Proto/Host/For are believed only from a configured proxy address (VIBES_TRUSTED_PROXY)
 * that also shows the shared secret: the address alone is loopback for most proxies, which every
 * local process shares. Otherwise they are removed, so nobody can claim another Host past the
 * DNS-rebinding check, a fresh address for each throttled request, or HTTPS over plain HTTP.
 * The secret header is removed before anything else sees the request.
 */
export function viewRequest(req: IncomingMessage, proxy: TrustedProxy | null): RequestView {
  const encrypted = (req.socket as Partial<TLSSocket>).encrypted === true;
  const shown = req.headers[PROXY_SECRET_HEADER];
  if (shown !== undefined) delete req.headers[PROXY_SECRET_HEADER];
  // Read here only when a proxy could be the peer; otherwise SocketView reads it if asked.
  const socketAddress = proxy ? socketAddressOf(req) : null;
  let view: RequestView;
  if (socketAddress !== null && proxy!.vouchesFor(socketAddress, shown)) {
    const proto = lastValue(req.headers['x-forwarded-proto']);
    const host = lastValue(req.headers['x-forwarded-host']);
    const address = lastValue(req.headers['x-forwarded-for']);
    view = {
      host: host ?? req.headers.host,
      secure: proto === undefined ? encrypted : proto.toLowerCase() === 'https',
      address: address ? bareAddress(address) : socketAddress,
    };
  } else {
    for (const name of FORWARDED_HEADERS) if (req.headers[name] !== undefined) delete req.headers[name];
    view = new SocketView(req, encrypted);
  }
  views.set(req, view);
  return view;
}

/**
 * What the socket says. The address is read only when asked for (a sign-in, a device, the
 * anonymous limit): it is a system call, a noticeable part of a request that needs nothing else.
 */
class SocketView implements RequestView {
  readonly host: string | undefined;
  readonly secure: boolean;
  readonly #req: IncomingMessage;
  #address: string | undefined;

  constructor(req: IncomingMessage, secure: boolean) {
    this.#req = req;
    this.host = req.headers.host;
    this.secure = secure;
  }

  get address(): string {
    return (this.#address ??= socketAddressOf(this.#req));
  }
}

function socketAddressOf(req: IncomingMessage): string {
  return bareAddress(req.socket.remoteAddress ?? 'unknown');
}

/** The view made for this request by the server, or the socket's own facts. */
export function requestView(req: IncomingMessage): RequestView {
  return views.get(req) ?? viewRequest(req, null);
}

/** A proxy appends what it saw to the list: the last entry is the one it vouches for. */
function lastValue(header: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(header) ? header.join(',') : header;
  const value = joined?.split(',').pop()?.trim();
  return value ? value : undefined;
}

function bareAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice('::ffff:'.length) : lower;
}
