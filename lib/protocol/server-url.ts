// Kept apart from the zod schemas, like route-path.ts: the CLI, lib/local and the server build URLs with it.

/** A host as it stands in a URL: an IPv6 address in brackets (`::1` is `[::1]`), a name or IPv4 address as it is. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** A bind to every address of the machine, and the loopback address a client on the machine reaches it by. */
const WILDCARD_LOOPBACK: Readonly<Record<string, string>> = { '0.0.0.0': '127.0.0.1', '::': '::1', '[::]': '::1' };

/**
 * The base URL a client uses for a server that listens on `host`:`port`: https when it serves TLS,
 * an IPv6 address in brackets, and a wildcard bind (0.0.0.0, ::) reached through loopback.
 */
export function serverBaseUrl(server: { host: string; port: number; tls?: boolean }): string {
  const host = WILDCARD_LOOPBACK[server.host] ?? server.host;
  return `${server.tls ? 'https' : 'http'}://${urlHost(host)}:${server.port}`;
}
