import { networkInterfaces } from 'node:os';
import { serverBaseUrl } from '../protocol/server-url.ts';

/**
 * The sign-in links for this server, carrying a one-time pairing code and its key, the one to
 * use from another device first. A wildcard bind is reachable at every external address of the machine.
 */
export function signInUrls(
  server: { host: string; publicUrl?: string | undefined; tlsCert?: string | undefined },
  port: number,
  pairing: { code: string; key: string },
): string[] {
  const bindHost = server.host;
  const hosts: string[] = [];
  if (bindHost === '0.0.0.0' || bindHost === '::') {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) {
        if (!address.internal && address.family === 'IPv4') hosts.push(address.address);
      }
    }
    hosts.push('127.0.0.1');
  } else {
    hosts.push(bindHost);
  }
  const query = `/?code=${encodeURIComponent(pairing.code)}&key=${encodeURIComponent(pairing.key)}`;
  const urls = hosts.map((host) => `${serverBaseUrl({ host, port, tls: server.tlsCert !== undefined })}${query}`);
  // Behind a proxy (Tailscale Serve, Caddy, a tunnel) the public name is the one that works.
  return server.publicUrl ? [`${server.publicUrl}${query}`, ...urls] : urls;
}
