import { networkInterfaces } from 'node:os';

/**
 * The sign-in links for this server, the one to use from another device first. A wildcard bind
 * is reachable at every external address of the machine.
 */
export function signInUrls(bindHost: string, port: number, token: string): string[] {
  const hosts: string[] = [];
  if (bindHost === '0.0.0.0' || bindHost === '::') {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) {
        if (!address.internal && address.family === 'IPv4') hosts.push(address.address);
      }
    }
    hosts.push('127.0.0.1');
  } else {
    hosts.push(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
  }
  return hosts.map((host) => `http://${host}:${port}/?token=${encodeURIComponent(token)}`);
}
