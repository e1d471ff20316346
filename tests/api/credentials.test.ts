// The attack pass of issue 15, as a table: each row is what an attacker tried, the refusal it
// must meet (status and code), and proof that nothing changed.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { ErrorBody, type ErrorCode } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { EVENT_WAIT_MS } from '../support/waits.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';
import { startServerProcess } from '../support/server-process.ts';
import { storeOf } from '../support/server-store.ts';
import { deviceCookie, pairingCode } from '../support/sign-in.ts';

const vibes = useServer({
  tokenFile: true,
  env: {
    VIBES_RATE_LIMIT_PER_SECOND: '100000',
    VIBES_RATE_LIMIT_BURST: '100000',
    VIBES_ANONYMOUS_RATE_LIMIT_BURST: '100000',
    VIBES_ANONYMOUS_RATE_LIMIT_PER_SECOND: '100000',
    VIBES_HEADERS_TIMEOUT_MS: '1000',
    VIBES_REQUEST_TIMEOUT_MS: '2000',
    VIBES_MAX_ANONYMOUS_CONNECTIONS: '20',
  },
});

/**
 * Without the close a revoked stream would stay open for good (pings keep it alive), so a wide
 * bound still tells the two apart; a narrow one failed under load, which is no evidence of anything.
 */
const CLOSE_BOUND_MS = 15_000;

const host = () => new URL(vibes.url).host;
const bearer = (token = vibes.token) => ({ authorization: `Bearer ${token}`, host: host() });
const asDevice = (cookie: string) => ({ cookie, host: host() });

function request(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const body = options.body;
  return rawRequest(vibes.url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    path,
    headers: {
      host: host(),
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
      ...options.headers,
    },
    ...(body === undefined ? {} : { body }),
  });
}

function expectRefusal(response: RawResponse, status: number, code: ErrorCode): void {
  expect(response.status, response.body).toBe(status);
  expect(ErrorBody.parse(JSON.parse(response.body)).error.code).toBe(code);
  expect(response.headers['cache-control']).toBe('no-store');
}

/** What an attack could change: sessions, transcripts, signed-in devices, the token. */
async function observableState() {
  const client = new ApiClient({ baseUrl: vibes.url, token: vibes.token, clientId: 'observer' });
  const sessions = await client.listSessions();
  const transcripts = await Promise.all(sessions.map((session) => client.events(session.id, { limit: 1000 })));
  const devices = (await client.listDevices()).map(({ last_seen_at: _, address: __, ...rest }) => rest);
  return { sessions: sessions.map(({ last_activity_at: _, ...rest }) => rest), transcripts, devices, token: vibes.token };
}

async function unchangedBy<T>(attack: () => Promise<T>): Promise<T> {
  const before = await observableState();
  const result = await attack();
  expect(await observableState()).toEqual(before);
  return result;
}

async function deviceStream(cookie: string): Promise<TestEventStream> {
  const stream = await TestEventStream.open(vibes.url, { headers: { cookie } });
  expect(stream.status).toBe(200);
  return stream;
}

/** Asserts the stream closed within the bound and then got nothing while others got news. */
async function expectClosedForGood(closed: TestEventStream[], witness: TestEventStream): Promise<void> {
  await Promise.all(closed.map((stream) => stream.waitForEnd(CLOSE_BOUND_MS)));
  const counts = closed.map((stream) => stream.frames.length);
  const created = await vibes.client(witness.clientId).createSession({ name: 'news after the close' });
  await witness.waitForEvent('session_updated', (event) => event.session.id === created.id);
  expect(closed.map((stream) => stream.frames.length)).toEqual(counts);
  await vibes.client(witness.clientId).kill(created.id);
}

describe('1. rotation and revocation take back what they say', () => {
  it('revoking a device closes its open streams at once; its cookie is refused after, and nothing else changed', async () => {
    const phone = await deviceCookie(vibes.url, vibes.token, 'phone');
    const desktop = await deviceCookie(vibes.url, vibes.token, 'desktop');
    const phoneStreams = [await deviceStream(phone), await deviceStream(phone)];
    const desktopStream = await deviceStream(desktop);
    const phoneId = (await vibes.client().listDevices()).find((device) => device.label === 'phone')!.id;

    const revoked = await request(`/api/devices/${phoneId}/revoke`, { headers: asDevice(desktop), body: '{}' });
    expect(revoked.status, revoked.body).toBe(200);
    await expectClosedForGood(phoneStreams, desktopStream);
    await unchangedBy(async () => {
      expectRefusal(await request('/api/sessions', { headers: asDevice(phone) }), 401, 'UNAUTHORIZED');
      expectRefusal(await request('/api/events', { headers: asDevice(phone) }), 401, 'UNAUTHORIZED');
      expectRefusal(await request('/api/sessions', { headers: asDevice(phone), body: '{"name":"x"}' }), 401, 'UNAUTHORIZED');
    });
    expect(desktopStream.ended).toBe(false);
    desktopStream.close();
  });

  it('signing out closes that device’s streams at once and clears its cookie', async () => {
    const laptop = await deviceCookie(vibes.url, vibes.token, 'laptop');
    const stream = await deviceStream(laptop);
    const witness = await vibes.stream();
    const out = await request('/api/sign-out', { headers: asDevice(laptop), body: '{}' });
    expect(out.status, out.body).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/^vibes_device_[0-9a-f]{12}=;.*Max-Age=0/);
    await expectClosedForGood([stream], witness);
    expectRefusal(await unchangedBy(() => request('/api/sessions', { headers: asDevice(laptop) })), 401, 'UNAUTHORIZED');
  });

  it('the idle limit signs out a device nobody uses; one watching through an open stream is in use', { timeout: 90_000 }, async () => {
    // An idle limit of four seconds, applied every 100 ms.
    const server = await startServerProcess({ env: { VIBES_DEVICE_IDLE_DAYS: String(4 / 86_400), VIBES_SWEEP_MS: '100' } });
    const streams: TestEventStream[] = [];
    try {
      const token = server.token();
      const asDeviceThere = (cookie: string) => ({ cookie, host: new URL(server.url).host });
      // Signs in and opens its stream; again if a machine slow enough let the idle limit pass in between.
      let watcher = '';
      let stream: TestEventStream | undefined;
      for (let attempt = 1; stream?.status !== 200 && attempt <= 5; attempt++) {
        watcher = await deviceCookie(server.url, token, 'watching phone');
        stream = await TestEventStream.open(server.url, { headers: { cookie: watcher } });
        streams.push(stream);
      }
      expect(stream?.status).toBe(200);
      const idle = await deviceCookie(server.url, token, 'idle laptop');
      const api = new ApiClient({ baseUrl: server.url, token, clientId: 'idle-check' });
      // A retried sign-in is numbered while its first is still listed: "watching phone (2)".
      const labels = async () => (await api.listDevices()).map((device) => device.label.replace(/ \(\d+\)$/, ''));

      await expect.poll(labels, { timeout: 60_000, interval: 100 }).toEqual(['watching phone']);
      expect((await rawRequest(server.url, { path: '/api/sessions', headers: asDeviceThere(idle) })).status).toBe(401);
      // Past the idle limit since it signed in, the watching phone is still signed in, its stream open.
      expect(stream?.ended).toBe(false);
      expect((await rawRequest(server.url, { path: '/api/sessions', headers: asDeviceThere(watcher) })).status).toBe(200);
      // Once it stops watching, it is one more unused device.
      stream?.close();
      await expect.poll(labels, { timeout: 60_000, interval: 100 }).toEqual([]);
    } finally {
      for (const open of streams) open.close();
      await server.stop();
    }
  });

  it('a device cannot rotate the token (it would be handed the new one): 403 TOKEN_REQUIRED', async () => {
    const cookie = await deviceCookie(vibes.url, vibes.token);
    const response = await unchangedBy(() => request('/api/token/rotate', { headers: asDevice(cookie), body: '{}' }));
    expectRefusal(response, 403, 'TOKEN_REQUIRED');
    expect(response.body).not.toContain(vibes.token);
  });

  it('every sign-in gets its own cookie, never derived from the token', async () => {
    const first = await deviceCookie(vibes.url, vibes.token);
    const second = await deviceCookie(vibes.url, vibes.token);
    expect(first).not.toBe(second);
    expect(first).not.toContain(vibes.token);
    const stored = await storeOf(vibes.server).contents();
    expect(stored.includes(Buffer.from(first.split('=')[1]!))).toBe(false);
  });

  it('a pairing code works once: the second use is 401 INVALID_PAIRING_CODE and signs nobody in', async () => {
    const { code } = await pairingCode(vibes.url, vibes.token);
    expect((await request('/api/sign-in', { body: JSON.stringify({ code }) })).status).toBe(200);
    const again = await unchangedBy(() => request('/api/sign-in', { body: JSON.stringify({ code }) }));
    expectRefusal(again, 401, 'INVALID_PAIRING_CODE');
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('rotating the token closes every stream opened with the old token or a device, at once; both are refused after', async () => {
    const oldToken = vibes.token;
    const cookie = await deviceCookie(vibes.url, oldToken);
    const { code } = await pairingCode(vibes.url, oldToken);
    const tokenStream = await vibes.stream();
    const browserStream = await deviceStream(cookie);
    const { token: newToken } = await new ApiClient({ baseUrl: vibes.url, token: oldToken }).rotateToken();
    expect(newToken).not.toBe(oldToken);
    expect(vibes.token).toBe(newToken);
    const witness = await vibes.stream();
    await expectClosedForGood([tokenStream, browserStream], witness);
    await unchangedBy(async () => {
      expectRefusal(await request('/api/sessions', { headers: bearer(oldToken) }), 401, 'UNAUTHORIZED');
      expectRefusal(await request('/api/events', { headers: bearer(oldToken) }), 401, 'UNAUTHORIZED');
      expectRefusal(await request('/api/sessions', { headers: asDevice(cookie) }), 401, 'UNAUTHORIZED');
      expectRefusal(await request('/api/sign-in', { body: JSON.stringify({ code }) }), 401, 'INVALID_PAIRING_CODE');
    });
    expect((await vibes.client().listDevices()).length).toBe(0);
  });
});

describe('2-3. the token stays out of links, pages, logs and the agent', () => {
  it('pairing answers a one-time code and links that carry it, never the token', async () => {
    const cookie = await deviceCookie(vibes.url, vibes.token);
    for (const headers of [bearer(), asDevice(cookie)]) {
      const response = await request('/api/pairing', { headers, body: '{}' });
      expect(response.status, response.body).toBe(200);
      expect(response.body).not.toContain(vibes.token);
      expect(JSON.parse(response.body).urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=[0-9A-Z]{4}-[0-9A-Z]{4}&key=[\w-]{22}$/);
    }
  });

  it('an old ?token= link signs nothing in and shows the sign-in form', async () => {
    const response = await unchangedBy(() => request(`/?token=${vibes.token}`));
    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).not.toContain(vibes.token);
    expect(response.body).toContain('Pairing code');
  });

  it('the server never prints the token', () => {
    expect(vibes.server.output()).not.toContain(vibes.token);
    expect(vibes.server.output()).toMatch(/sign in a browser with http:\/\/127\.0\.0\.1:\d+\/\?code=/);
  });

  it('Claude’s process gets no VIBES_TOKEN in its environment', async () => {
    const server = await startServerProcess();
    try {
      const api = new ApiClient({ baseUrl: server.url, token: server.token(), clientId: 'env-check' });
      await api.createSession({ prompt: 'hang', name: 'env' });
      // Short-lived children (git, counting the session's changes) may be gone by the time they are read.
      const environments = descendants(server.pid).flatMap((pid) => {
        try {
          return [readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')];
        } catch {
          return [];
        }
      });
      expect(environments.length).toBeGreaterThan(0);
      expect(environments.some((env) => env.some((entry) => entry.startsWith('VIBES_HOME=')))).toBe(true);
      for (const env of environments) expect(env.filter((entry) => entry.startsWith('VIBES_TOKEN='))).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('4. audit', () => {
  it('writes one line per refused request: time, address, route, status and code, never a secret', async () => {
    const marker = `/api/sessions/audit-${Date.now()}`;
    await request(`${marker}?token=${vibes.token}`, { headers: { authorization: 'Bearer wrong-secret-value' } });
    const line = await waitForLine(marker);
    expect(line).toMatch(/^vibes: refused \d{4}-\d\d-\d\dT\S+Z 127\.0\.0\.1 GET \/api\/sessions\/audit-\d+ 401 UNAUTHORIZED$/);
    expect(vibes.server.output()).not.toContain('wrong-secret-value');
    expect(vibes.server.output()).not.toContain(vibes.token);
  });
});

describe('5. slow and idle clients', () => {
  it('a request head that never finishes is cut off by the header timeout', async () => {
    const socket = await openSocket();
    socket.write(`GET /api/sessions HTTP/1.1\r\nHost: ${host()}\r\nX-Slow: `);
    await closedWithin(socket);
  });

  it('a slow body after a refusal is not waited for: the connection closes', async () => {
    const socket = await openSocket();
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.write(`POST /api/sessions HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"na`);
    await closedWithin(socket);
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
  });

  it('idle connections that never sign in are capped; signed-in streams are not counted', async () => {
    const stream = await vibes.stream();
    const sockets = await Promise.all(Array.from({ length: 30 }, () => openSocket()));
    const closed = await Promise.all(
      sockets.map((socket) =>
        closedWithin(socket, 2000).then(
          () => true,
          () => false,
        ),
      ),
    );
    expect(closed.filter(Boolean).length).toBeGreaterThanOrEqual(10);
    for (const socket of sockets) socket.destroy();
    expect(stream.ended).toBe(false);
    stream.close();
  });
});

const attackRows: [string, () => Promise<RawResponse>, number, ErrorCode][] = [
  [
    'a Host with user info (localhost:7621@evil.com)',
    () => request('/api/sessions', { headers: { ...bearer(), host: 'localhost:7621@evil.com' } }),
    403,
    'FORBIDDEN_HOST',
  ],
  ['a Host with a path', () => request('/api/sessions', { headers: { ...bearer(), host: '127.0.0.1/evil' } }), 403, 'FORBIDDEN_HOST'],
  ['/.//evil.com/ (an open redirect once normalised)', () => request(`/.//evil.com/?token=${vibes.token}`), 400, 'INVALID_PATH'],
  ['//evil.com/', () => overSocket('GET //evil.com/ HTTP/1.1'), 400, 'INVALID_PATH'],
  ['a path that is not UTF-8 (/api/sessions/%ff%fe)', () => request('/api/sessions/%ff%fe', { headers: bearer() }), 400, 'INVALID_PATH'],
  [
    '/_next/image, which fetches URLs for the caller',
    () => request('/_next/image?url=http%3A%2F%2F127.0.0.1%3A1%2F&w=64&q=75', { headers: bearer() }),
    404,
    'NOT_FOUND',
  ],
  [
    'cwd "."',
    () => request('/api/sessions', { headers: { ...bearer(), 'x-vibes-client-id': 'a' }, body: '{"cwd":"."}' }),
    400,
    'INVALID_CWD',
  ],
  [
    'cwd "../../etc"',
    () => request('/api/sessions', { headers: { ...bearer(), 'x-vibes-client-id': 'a' }, body: '{"cwd":"../../etc"}' }),
    400,
    'INVALID_CWD',
  ],
  [
    'a NUL in a name',
    () => request('/api/sessions', { headers: { ...bearer(), 'x-vibes-client-id': 'a' }, body: '{"name":"a\\u0000b"}' }),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'U+202E in a name',
    () => request('/api/sessions', { headers: { ...bearer(), 'x-vibes-client-id': 'a' }, body: '{"name":"gpj.\\u202eexe"}' }),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'a device label with U+202E',
    async () =>
      request('/api/sign-in', { body: JSON.stringify({ code: (await pairingCode(vibes.url, vibes.token)).code, label: 'x\u202ey' }) }),
    400,
    'VALIDATION_FAILED',
  ],
  ['a made-up pairing code', () => request('/api/sign-in', { body: '{"code":"AAAA-BBBB"}' }), 401, 'INVALID_PAIRING_CODE'],
  [
    'a cross-site sign-in form',
    () => request('/api/sign-in', { headers: { origin: 'http://evil.example' }, body: '{"code":"AAAA-BBBB"}' }),
    403,
    'FORBIDDEN_ORIGIN',
  ],
  ['revoking a device with no credentials', () => request('/api/devices/abc/revoke', { body: '{}' }), 401, 'UNAUTHORIZED'],
  ['listing devices with no credentials', () => request('/api/devices'), 401, 'UNAUTHORIZED'],
  ['a pairing code with no credentials', () => request('/api/pairing', { body: '{}' }), 401, 'UNAUTHORIZED'],
  [
    'revoking a device that does not exist',
    () => request('/api/devices/no-such-device/revoke', { headers: bearer(), body: '{}' }),
    404,
    'NOT_FOUND',
  ],
  [
    'signing out with the token (no device to sign out)',
    () => request('/api/sign-out', { headers: bearer(), body: '{}' }),
    409,
    'INVALID_STATE',
  ],
];

describe('6. smaller holes', () => {
  it.each(attackRows)('refuses %s and changes nothing', async (_name, attack, status, code) => {
    expectRefusal(await unchangedBy(attack), status, code);
  });

  it('every API answer, success or error, carries Cache-Control: no-store', async () => {
    for (const path of ['/api/health', '/api/sessions', '/api/devices', '/api/no-such-route']) {
      expect((await request(path, { headers: bearer() })).headers['cache-control'], path).toMatch(/\bno-store\b/);
    }
    expect((await request('/api/pairing', { headers: bearer(), body: '{}' })).headers['cache-control']).toBe('no-store');
    expect((await request('/api/sessions')).headers['cache-control']).toBe('no-store');
  });

  it('the database and its journal are readable by the user only', () => {
    const files = readdirSync(vibes.server.home).filter((name) => name.startsWith('vibes.db'));
    // A cluster node (`npm run test:on-cluster`) keeps its store in PostgreSQL: none of it is in its home.
    if (vibes.server.databaseUrl !== undefined) return expect(files).toEqual([]);
    expect(files).toContain('vibes.db');
    for (const name of files) expect(statSync(join(vibes.server.home, name)).mode & 0o777, name).toBe(0o600);
  });
});

describe('7. nothing locks a signed-in browser out, nothing it makes outlives it (issue 27)', () => {
  const shadow = () => randomBytes(32).toString('base64url');

  it('a cookie of the same name set first by another page of this host (Path=/api) does not shadow the real one', async () => {
    const cookie = await deviceCookie(vibes.url, vibes.token);
    const [name] = cookie.split('=');
    const shadows = Array.from({ length: 6 }, () => `${name}=${shadow()}`).join('; ');
    // The browser sends the longest Path first: every shadow comes before the real cookie.
    for (const path of ['/api/sessions', '/api/devices', '/api/events']) {
      expect((await request(path, { headers: asDevice(`${shadows}; ${cookie}`) })).status, path).toBe(200);
    }
    // One of Path=/ set later (with a Domain) comes after it: tried too.
    expect((await request('/api/sessions', { headers: asDevice(`${shadows}; ${cookie}; ${name}=${shadow()}`) })).status).toBe(200);
    expectRefusal(await request('/api/sessions', { headers: asDevice(shadows) }), 401, 'UNAUTHORIZED');
  });

  it('each server (each home) names its cookie its own way: two servers on one host keep both sign-ins', async () => {
    const other = await startServerProcess();
    try {
      // A browser's jar for one host: one cookie per name, whichever port set it.
      const jar = new Map<string, string>();
      for (const [url, token] of [
        [vibes.url, vibes.token],
        [other.url, other.token()],
      ] as const) {
        const cookie = await deviceCookie(url, token);
        jar.set(cookie.split('=')[0]!, cookie);
      }
      expect(jar.size).toBe(2);
      for (const name of jar.keys()) expect(name).toMatch(/^vibes_device_[0-9a-f]{12}$/);
      const header = [...jar.values()].join('; ');
      for (const url of [vibes.url, other.url]) {
        const answer = await rawRequest(url, { path: '/api/sessions', headers: { host: new URL(url).host, cookie: header } });
        expect(answer.status, url).toBe(200);
      }
    } finally {
      await other.stop();
    }
  });

  it('the same name after a restart: a signed-in browser stays signed in', async () => {
    const first = await startServerProcess({ tokenFile: true });
    let cookie = '';
    try {
      cookie = await deviceCookie(first.url, first.token());
    } finally {
      await first.stop({ keepHome: true });
    }
    const again = await startServerProcess({ tokenFile: true, home: first.home });
    try {
      const answer = await rawRequest(again.url, { path: '/api/sessions', headers: { host: new URL(again.url).host, cookie } });
      expect(answer.status).toBe(200);
    } finally {
      await again.stop();
    }
  });

  it('a cookie of the name every server used before (vibes_device) still signs its browser in, for a transition', async () => {
    const cookie = await deviceCookie(vibes.url, vibes.token);
    const legacy = `vibes_device=${cookie.split('=')[1]!}`;
    expect((await request('/api/sessions', { headers: asDevice(`vibes_device=${shadow()}; ${legacy}`) })).status).toBe(200);
  });

  it('a device paired by a stolen cookie goes when that device is revoked: its stream closes at once', async () => {
    const stolen = await deviceCookie(vibes.url, vibes.token, 'stolen laptop');
    const minted = await request('/api/pairing', { headers: asDevice(stolen), body: '{}' });
    expect(minted.status, minted.body).toBe(200);
    const thief = await request('/api/sign-in', { body: JSON.stringify({ code: JSON.parse(minted.body).code, label: 'thief' }) });
    expect(thief.status, thief.body).toBe(200);
    const thiefCookie = String(thief.headers['set-cookie']).split(';')[0]!;
    // And one more generation: the thief pairs another.
    const again = await request('/api/pairing', { headers: asDevice(thiefCookie), body: '{}' });
    const grandchild = await request('/api/sign-in', { body: JSON.stringify({ code: JSON.parse(again.body).code, label: 'thief 2' }) });
    const grandchildCookie = String(grandchild.headers['set-cookie']).split(';')[0]!;
    const streams = [await deviceStream(thiefCookie), await deviceStream(grandchildCookie)];
    const witness = await vibes.stream();
    const stolenId = (await vibes.client().listDevices()).find((device) => device.label === 'stolen laptop')!.id;

    expect((await request(`/api/devices/${stolenId}/revoke`, { headers: bearer(), body: '{}' })).status).toBe(200);
    await expectClosedForGood(streams, witness);
    for (const cookie of [stolen, thiefCookie, grandchildCookie]) {
      expectRefusal(await request('/api/sessions', { headers: asDevice(cookie) }), 401, 'UNAUTHORIZED');
    }
    const labels = (await vibes.client().listDevices()).map((device) => device.label);
    expect(labels).not.toContain('thief');
    expect(labels).not.toContain('thief 2');
    witness.close();
  });

  it('a pairing code a device asked for dies with the device: used after the revocation, it signs nobody in', async () => {
    const stolen = await deviceCookie(vibes.url, vibes.token, 'revoked before use');
    const { code } = JSON.parse((await request('/api/pairing', { headers: asDevice(stolen), body: '{}' })).body) as { code: string };
    const id = (await vibes.client().listDevices()).find((device) => device.label === 'revoked before use')!.id;
    await vibes.client().revokeDevice(id);
    const late = await unchangedBy(() => request('/api/sign-in', { body: JSON.stringify({ code }) }));
    expectRefusal(late, 401, 'INVALID_PAIRING_CODE');
  });

  it('the same label twice is made distinct: "phone", then "phone (2)"', async () => {
    await deviceCookie(vibes.url, vibes.token, 'twin phone');
    await deviceCookie(vibes.url, vibes.token, 'twin phone');
    await deviceCookie(vibes.url, vibes.token, 'Twin Phone');
    const labels = (await vibes.client().listDevices()).map((device) => device.label).filter((label) => /^twin phone/i.test(label));
    expect(labels.sort()).toEqual(['Twin Phone (3)', 'twin phone', 'twin phone (2)']);
  });

  it.each([
    ['U+200B (zero-width space)', 'pho\u200bne'],
    ['U+2028 (line separator)', 'pho\u2028ne'],
    ['U+FEFF (byte order mark)', 'pho\ufeffne'],
  ])('a label with %s is refused: 400 VALIDATION_FAILED, nothing signed in', async (_name, label) => {
    const { code } = await pairingCode(vibes.url, vibes.token);
    const response = await unchangedBy(() => request('/api/sign-in', { body: JSON.stringify({ code, label }) }));
    expectRefusal(response, 400, 'VALIDATION_FAILED');
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});

describe('VIBES_TOKEN', () => {
  it.each([
    ['shorter than 32 characters', 'a1B2c3D4e5F6g7H8'],
    ['one letter, repeated', 'a'.repeat(40)],
    ['of low variety', 'abababababababababababababababab12'],
    ['a run of hex digits, twice', '0123456789abcdef0123456789abcdef'],
  ])('is refused at start when %s, with a clear message that does not repeat it', async (_name, token) => {
    const start = startServerProcess({ env: { VIBES_TOKEN: token }, startTimeoutMs: 20_000 });
    const error = await start.then(
      async (server) => {
        await server.stop();
        return new Error('the server started');
      },
      (caught: unknown) => caught as Error,
    );
    expect(error.message).toMatch(/exited with 1/);
    expect(error.message).toMatch(/VIBES_TOKEN (must be at least 32 characters|is too regular)/);
    expect(error.message).not.toContain(token);
  });
});

/** For what an HTTP client would never send as asked (`//evil.com/` becomes another host). */
async function overSocket(requestLine: string): Promise<RawResponse> {
  const socket = await openSocket();
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  socket.write(`${requestLine}\r\nHost: ${host()}\r\nAuthorization: Bearer ${vibes.token}\r\nConnection: close\r\n\r\n`);
  await closedWithin(socket);
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

function openSocket(): Promise<Socket> {
  const { hostname, port } = new URL(vibes.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

function closedWithin(socket: Socket, ms = EVENT_WAIT_MS): Promise<void> {
  if (socket.destroyed || socket.readyState === 'closed') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server kept the connection open past ${ms} ms`)), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.resume();
  });
}

async function waitForLine(fragment: string): Promise<string> {
  const line = () =>
    vibes.server
      .output()
      .split('\n')
      .find((candidate) => candidate.includes(fragment));
  await expect.poll(line, { message: `an audit line for ${fragment}` }).toBeDefined();
  return line()!;
}

/** Every process below `pid`, from /proc. */
function descendants(pid: number): number[] {
  let children: number[];
  try {
    children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    // It ended while being read (a short-lived child).
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}
