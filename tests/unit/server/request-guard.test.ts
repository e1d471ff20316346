import type { IncomingMessage } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '../../../lib/core/devices.ts';
import { Auth } from '../../../lib/server/auth.ts';
import { DeviceSessions } from '../../../lib/server/devices.ts';
import { RateLimiter } from '../../../lib/server/rate-limit.ts';
import { matchRoute, ROUTES } from '../../../lib/protocol/index.ts';
import { RequestGuard } from '../../../lib/server/request-guard.ts';

const TOKEN = 'a-token-that-is-long-enough-0123456789';

function guard(options: { bindHost?: string; burst?: number } = {}) {
  return new RequestGuard({
    auth: new Auth({
      home: mkdtempSync(join(tmpdir(), 'vibes-guard-')),
      token: TOKEN,
      fromEnv: true,
      devices: new DeviceSessions({ store: new MemoryDeviceStore(), idleSeconds: 3600 }, 'guard'),
    }),
    rateLimiter: new RateLimiter({ perSecond: 1, burst: options.burst ?? 100 }),
    anonymousLimiter: new RateLimiter({ perSecond: 1, burst: 100 }),
    bindHost: options.bindHost ?? '127.0.0.1',
    extraHosts: [],
    maxBodyBytes: 1024,
  });
}

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  const req = {
    method: init.method ?? 'GET',
    headers: { host: '127.0.0.1:7432', ...init.headers },
    socket: { remoteAddress: '127.0.0.1' },
  } as unknown as IncomingMessage;
  const url = new URL(path, 'http://vibes.invalid');
  return [req, url, matchRoute(req.method, url.pathname)] as const;
}

const signedIn = { authorization: `Bearer ${TOKEN}` };
const PASS = { kind: 'pass', principal: { kind: 'token' } };

describe('the request guard', () => {
  it('answers only to the names of this machine (DNS rebinding)', async () => {
    expect(await guard().check(...request('/api/sessions', { headers: { ...signedIn, host: 'evil.example:7432' } }))).toMatchObject({
      code: 'FORBIDDEN_HOST',
    });
    for (const host of ['localhost:7432', '[::1]:7432', '127.0.0.1']) {
      expect(await guard().check(...request('/api/sessions', { headers: { ...signedIn, host } }))).toEqual(PASS);
    }
  });

  it('refuses cross-origin API requests and requests without the token', async () => {
    const post = { method: 'POST', headers: { ...signedIn, origin: 'https://evil.example', 'content-length': '2' } };
    expect(await guard().check(...request('/api/sessions', post))).toMatchObject({ code: 'FORBIDDEN_ORIGIN' });
    expect(await guard().check(...request('/api/sessions'))).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await guard().check(...request(`/api/sessions?token=${TOKEN}`))).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('signs nobody in from a page link with the token: a signed-out browser gets the sign-in page', async () => {
    expect(await guard().check(...request(`/?token=${TOKEN}&x=1`))).toEqual({ kind: 'signed-out-page' });
    expect(await guard().check(...request('/'))).toEqual({ kind: 'signed-out-page' });
    expect(await guard().check(...request('/_next/static/chunk.js'))).toEqual({ kind: 'public' });
    expect(await guard().check(...request('/api/sign-in', { method: 'POST', headers: { 'content-length': '2' } }))).toEqual({
      kind: 'public',
    });
  });

  it('limits the rate and size of state-changing requests', async () => {
    const limited = guard({ burst: 2 });
    const post = () =>
      request('/api/sessions', { method: 'POST', headers: { ...signedIn, 'content-length': '2', 'x-vibes-client-id': 'eager' } });
    expect([await limited.check(...post()), await limited.check(...post())]).toEqual([PASS, PASS]);
    expect(await limited.check(...post())).toMatchObject({ code: 'RATE_LIMITED', headers: { 'Retry-After': '1' } });
    const big = request('/api/sessions', { method: 'POST', headers: { ...signedIn, 'content-length': '4096' } });
    expect(await guard().check(...big)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('takes a route’s own body limit from the route table (uploads, credentials), and the server’s for every other POST', async () => {
    const upload = (length: number, path = '/api/sessions/abc/attachments') =>
      guard().check(...request(path, { method: 'POST', headers: { ...signedIn, 'content-length': String(length) } }));
    const limit = ROUTES.uploadAttachment.maxBodyBytes;
    expect(limit).toBeGreaterThan(1024 * 1024);
    expect(await upload(limit)).toEqual(PASS);
    expect(await upload(limit + 1)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: `The body is larger than ${limit} bytes` });
    // Not the upload route: a path below it, and the input route, keep the server's limit.
    expect(await upload(4096, '/api/sessions/abc/attachments/x')).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await upload(4096, '/api/sessions/abc/input')).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(
      await guard().check(...request('/api/sign-out', { method: 'POST', headers: { ...signedIn, 'content-length': '4097' } })),
    ).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The body is larger than 4096 bytes',
    });
  });

  it('on a wildcard bind also answers to the machine’s own addresses, still not to others', async () => {
    const wide = guard({ bindHost: '0.0.0.0' });
    expect(wide.allowedHosts.has('127.0.0.1')).toBe(true);
    expect(await wide.check(...request('/api/sessions', { headers: { ...signedIn, host: 'evil.example' } }))).toMatchObject({
      code: 'FORBIDDEN_HOST',
    });
  });
});
