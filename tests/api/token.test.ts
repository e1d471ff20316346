import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { useServer } from '../support/api-harness.ts';
import { rawRequest } from '../support/raw-http.ts';
import { deviceCookie } from '../support/sign-in.ts';

const vibes = useServer({
  tokenFile: true,
  env: { VIBES_RATE_LIMIT_PER_SECOND: '1', VIBES_RATE_LIMIT_BURST: '6', VIBES_MAX_EVENT_CLIENTS: '2', VIBES_MAX_SESSIONS: '1' },
});

describe('the token file', () => {
  it('is created on first start, private to the user, in a private folder', () => {
    expect(statSync(join(vibes.server.home, 'token')).mode & 0o777).toBe(0o600);
    expect(statSync(vibes.server.home).mode & 0o777).toBe(0o700);
    expect(Buffer.from(vibes.token, 'base64url').length).toBeGreaterThanOrEqual(32);
  });

  it('is never printed: the start-up link carries a one-time pairing code instead', () => {
    expect(vibes.server.output()).not.toContain(vibes.token);
    expect(vibes.server.output()).toMatch(
      /sign in a browser with http:\/\/127\.0\.0\.1:\d+\/\?code=[0-9A-Z]{4}-[0-9A-Z]{4}&key=[\w-]{22} /,
    );
  });
});

describe('rate limits', () => {
  it('refuses POSTs past the burst with 429 and Retry-After, per device however the client ids vary', async () => {
    const cookie = await deviceCookie(vibes.url, vibes.token);
    const started = Date.now();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        rawRequest(vibes.url, {
          method: 'POST',
          path: '/api/sessions/none/subscribe',
          headers: { cookie, 'x-vibes-client-id': `eager-${i}`, host: new URL(vibes.url).host },
        }),
      ),
    );
    // The bucket refills one a second: what the burst allows, plus at most that.
    const refilled = Math.ceil((Date.now() - started) / 1000);
    const allowed = responses.filter((response) => response.status === 404).length;
    const refused = responses.filter((response) => response.status === 429);
    expect(allowed).toBeGreaterThanOrEqual(6);
    expect(allowed).toBeLessThanOrEqual(6 + refilled);
    expect(refused.length).toBe(30 - allowed);
    expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('count limits', () => {
  it('refuses an event stream past the limit with 429 TOO_MANY_CLIENTS', async () => {
    await vibes.stream();
    await vibes.stream();
    const refused = await rawRequest(vibes.url, {
      path: '/api/events',
      headers: { authorization: `Bearer ${vibes.token}`, host: new URL(vibes.url).host },
    });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'TOO_MANY_CLIENTS' } });
  });

  it('refuses a session past the limit with 429 TOO_MANY_SESSIONS and creates nothing', async () => {
    const owner = vibes.client('limit-owner');
    const first = await owner.createSession({});
    await expect(owner.createSession({})).rejects.toMatchObject({ code: 'TOO_MANY_SESSIONS', status: 429 });
    expect((await owner.listSessions()).map((session) => session.id)).toEqual([first.id]);
    await owner.kill(first.id);
  });
});

describe('rotation', () => {
  it('a rotated token refuses the old one and signs every browser out', async () => {
    const oldToken = vibes.token;
    const cookie = await deviceCookie(vibes.url, oldToken);
    const { token: newToken } = await new ApiClient({ baseUrl: vibes.url, token: oldToken }).rotateToken();
    expect(newToken).not.toBe(oldToken);
    expect(vibes.token).toBe(newToken);
    await expect(new ApiClient({ baseUrl: vibes.url, token: oldToken }).listSessions()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await rawRequest(vibes.url, { path: '/api/sessions', headers: { cookie } })).status).toBe(401);
    const page = await rawRequest(vibes.url, { path: '/', headers: { cookie } });
    expect([page.status, page.body.includes('Pairing code')]).toEqual([200, true]);
    expect(await new ApiClient({ baseUrl: vibes.url, token: newToken }).listSessions()).toEqual([]);
  });
});
