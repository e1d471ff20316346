import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { useServer } from '../support/api-harness.ts';
import { rawRequest } from '../support/raw-http.ts';

const vibes = useServer({
  tokenFile: true,
  env: { VIBES_RATE_LIMIT_PER_SECOND: '1', VIBES_RATE_LIMIT_BURST: '3', VIBES_MAX_EVENT_CLIENTS: '2', VIBES_MAX_SESSIONS: '1' },
});

describe('the token file', () => {
  it('is created on first start, private to the user, in a private folder', () => {
    expect(statSync(join(vibes.server.home, 'token')).mode & 0o777).toBe(0o600);
    expect(statSync(vibes.server.home).mode & 0o777).toBe(0o700);
    expect(Buffer.from(vibes.token, 'base64url').length).toBeGreaterThanOrEqual(32);
  });

  it('is never printed except in the sign-in link', () => {
    const lines = vibes.server.output().split('\n').filter((line) => line.includes(vibes.token));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/sign in a browser with http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });
});

describe('rate limits', () => {
  it('refuses POSTs past the burst with 429 and Retry-After', async () => {
    const client = vibes.client('eager');
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    // The bucket refills one a second, so on a loaded machine a request may slip through late;
    // the exact arithmetic is tests/unit/server/rate-limit.test.ts, this checks the wiring.
    for (let i = 0; i < 10 && retryAfter === undefined; i++) {
      const response = await rawRequest(vibes.url, {
        method: 'POST',
        path: '/api/sessions/none/subscribe',
        headers: { ...client.headers(), host: new URL(vibes.url).host },
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers['retry-after'];
    }
    expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
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
  it('a rotated token refuses the old one and its cookies', async () => {
    const oldToken = vibes.token;
    const signIn = await rawRequest(vibes.url, { path: `/?token=${oldToken}` });
    const oldCookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const { token: newToken } = await new ApiClient({ baseUrl: vibes.url, token: oldToken }).rotateToken();
    expect(newToken).not.toBe(oldToken);
    expect(vibes.token).toBe(newToken);
    await expect(new ApiClient({ baseUrl: vibes.url, token: oldToken }).listSessions()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await rawRequest(vibes.url, { path: '/api/sessions', headers: { cookie: oldCookie } })).status).toBe(401);
    expect((await rawRequest(vibes.url, { path: '/', headers: { cookie: oldCookie } })).status).toBe(401);
    expect(await new ApiClient({ baseUrl: vibes.url, token: newToken }).listSessions()).toEqual([]);
  });
});
