import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

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
 * X-Forwarded-Proto/Host/For are believed only from the configured proxy addresses
 * (VIBES_TRUSTED_PROXY): from anybody else they are ignored, so nobody can claim another Host
 * past the DNS-rebinding check or make a cookie Secure from plain HTTP.
 */
export function viewRequest(req: IncomingMessage, trustedProxies: readonly string[]): RequestView {
  const encrypted = (req.socket as Partial<TLSSocket>).encrypted === true;
  // Read here only when a proxy could be the peer; otherwise SocketView reads it if asked.
  const socketAddress = trustedProxies.length > 0 ? socketAddressOf(req) : null;
  let view: RequestView;
  if (socketAddress !== null && trustedProxies.some((proxy) => bareAddress(proxy) === socketAddress)) {
    const proto = lastValue(req.headers['x-forwarded-proto']);
    const host = lastValue(req.headers['x-forwarded-host']);
    const address = lastValue(req.headers['x-forwarded-for']);
    view = {
      host: host ?? req.headers.host,
      secure: proto === undefined ? encrypted : proto.toLowerCase() === 'https',
      address: address ? bareAddress(address) : socketAddress,
    };
  } else {
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
  return views.get(req) ?? viewRequest(req, []);
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
