import { describe, expect, it } from 'vitest';
import { serverBaseUrl, urlHost } from '../../../lib/protocol/server-url.ts';

describe('the base URL a client connects to', () => {
  it('brackets an IPv6 address, once', () => {
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('[::1]')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
    expect(urlHost('vibes.local')).toBe('vibes.local');
  });

  it('speaks https to a server with TLS, and reaches a wildcard bind through loopback', () => {
    expect(serverBaseUrl({ host: '127.0.0.1', port: 7432 })).toBe('http://127.0.0.1:7432');
    expect(serverBaseUrl({ host: 'fe80::1', port: 8443, tls: true })).toBe('https://[fe80::1]:8443');
    expect(serverBaseUrl({ host: '[::1]', port: 7432 })).toBe('http://[::1]:7432');
    expect(serverBaseUrl({ host: 'vibes.example', port: 443, tls: true })).toBe('https://vibes.example:443');
    expect(serverBaseUrl({ host: '0.0.0.0', port: 7432 })).toBe('http://127.0.0.1:7432');
    expect(serverBaseUrl({ host: '::', port: 7432, tls: true })).toBe('https://[::1]:7432');
    for (const host of ['::1', 'fe80::1', '0.0.0.0', '::', 'example.com']) {
      expect(new URL(serverBaseUrl({ host, port: 1234 })).port).toBe('1234');
    }
  });
});
