import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CreateSessionBody,
  EmptyBody,
  ErrorBody,
  InputBody,
  PermissionAnswerBody,
  PushSubscriptionBody,
  SetModeBody,
  SetModelBody,
  WatchBody,
  type ErrorCode,
} from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { BrowserPushKeys } from '../support/push-service.ts';
import { rawRequest } from '../support/raw-http.ts';
import { pairingCode } from '../support/sign-in.ts';

const vibes = useServer({
  env: {
    VIBES_RATE_LIMIT_BURST: '100000',
    VIBES_RATE_LIMIT_PER_SECOND: '100000',
    VIBES_ANONYMOUS_RATE_LIMIT_BURST: '100000',
    VIBES_ANONYMOUS_RATE_LIMIT_PER_SECOND: '100000',
    VIBES_MAX_BODY_BYTES: '4096',
  },
});
const OWNER = 'owner-client';

let sessionId = '';
let fileCwd = '';

beforeAll(async () => {
  sessionId = (await vibes.client(OWNER).createSession({ name: 'guarded' })).id;
  fileCwd = join(mkdtempSync(join(tmpdir(), 'vibes-sec-')), 'a-file');
  writeFileSync(fileCwd, 'not a directory');
});

interface Endpoint {
  method: 'GET' | 'POST';
  path: () => string;
  /** A body that would be accepted, for the cases that vary something else. */
  body?: () => string;
  schema?: { safeParse(value: unknown): { success: boolean } };
}

const endpoints: Record<string, Endpoint> = {
  health: { method: 'GET', path: () => '/api/health' },
  list: { method: 'GET', path: () => '/api/sessions' },
  create: { method: 'POST', path: () => '/api/sessions', body: () => '{"name":"x"}', schema: CreateSessionBody },
  get: { method: 'GET', path: () => `/api/sessions/${sessionId}` },
  events: { method: 'GET', path: () => `/api/sessions/${sessionId}/events` },
  subscribe: { method: 'POST', path: () => `/api/sessions/${sessionId}/subscribe`, body: () => '{}', schema: EmptyBody },
  unsubscribe: { method: 'POST', path: () => `/api/sessions/${sessionId}/unsubscribe`, body: () => '{}', schema: EmptyBody },
  input: { method: 'POST', path: () => `/api/sessions/${sessionId}/input`, body: () => '{"content":"hi"}', schema: InputBody },
  interrupt: { method: 'POST', path: () => `/api/sessions/${sessionId}/interrupt`, body: () => '{}', schema: EmptyBody },
  kill: { method: 'POST', path: () => `/api/sessions/${sessionId}/kill`, body: () => '{}', schema: EmptyBody },
  permission: {
    method: 'POST',
    path: () => `/api/sessions/${sessionId}/permissions/req-1`,
    body: () => '{"behavior":"allow"}',
    schema: PermissionAnswerBody,
  },
  mode: { method: 'POST', path: () => `/api/sessions/${sessionId}/mode`, body: () => '{"mode":"default"}', schema: SetModeBody },
  model: { method: 'POST', path: () => `/api/sessions/${sessionId}/model`, body: () => '{"model":"sonnet"}', schema: SetModelBody },
  models: { method: 'GET', path: () => `/api/sessions/${sessionId}/models` },
  files: { method: 'GET', path: () => `/api/sessions/${sessionId}/files?path=` },
  'file search': { method: 'GET', path: () => `/api/sessions/${sessionId}/files/search?q=a` },
  'file content': { method: 'GET', path: () => `/api/sessions/${sessionId}/files/content?path=README.md` },
  'event stream': { method: 'GET', path: () => '/api/events' },
  pairing: { method: 'POST', path: () => '/api/pairing', body: () => '{}', schema: EmptyBody },
  'token rotate': { method: 'POST', path: () => '/api/token/rotate', body: () => '{}', schema: EmptyBody },
  devices: { method: 'GET', path: () => '/api/devices' },
  'device revoke': { method: 'POST', path: () => '/api/devices/no-such-device/revoke', body: () => '{}', schema: EmptyBody },
  'sign out': { method: 'POST', path: () => '/api/sign-out', body: () => '{}', schema: EmptyBody },
  notifications: { method: 'GET', path: () => '/api/notifications' },
  'push subscribe': {
    method: 'POST',
    path: () => '/api/notifications/subscription',
    body: () => JSON.stringify(new BrowserPushKeys().subscription('https://push.example/x')),
    schema: PushSubscriptionBody,
  },
  'push unsubscribe': { method: 'POST', path: () => '/api/notifications/unsubscribe', body: () => '{}', schema: EmptyBody },
  'notify test': { method: 'POST', path: () => '/api/notifications/test', body: () => '{}', schema: EmptyBody },
  watch: { method: 'POST', path: () => '/api/notifications/watch', body: () => '{"session_id":null,"visible":true}', schema: WatchBody },
};

function send(endpoint: Endpoint, change: { headers?: Record<string, string>; path?: string; body?: string; host?: string } = {}) {
  const host = new URL(vibes.url).host;
  const body = change.body ?? endpoint.body?.();
  return rawRequest(vibes.url, {
    method: endpoint.method,
    path: change.path ?? endpoint.path(),
    headers: {
      host: change.host ?? host,
      authorization: `Bearer ${vibes.token}`,
      'x-vibes-client-id': OWNER,
      ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
      ...change.headers,
    },
    ...(body === undefined ? {} : { body }),
  });
}

function expectCode(response: { status: number; body: string }, status: number, code: ErrorCode): void {
  expect(response.status, response.body).toBe(status);
  expect(ErrorBody.parse(JSON.parse(response.body)).error.code).toBe(code);
}

async function observableState() {
  const client = vibes.client('observer');
  const sessions = await client.listSessions();
  const transcripts = await Promise.all(sessions.map((session) => client.events(session.id, { limit: 1000 })));
  return { sessions: sessions.map(({ last_activity_at: _, ...rest }) => rest), transcripts };
}

const cases: [string, (endpoint: Endpoint) => Parameters<typeof send>[1], number, ErrorCode][] = [
  ['no token', () => ({ headers: { authorization: '' } }), 401, 'UNAUTHORIZED'],
  ['a wrong token', () => ({ headers: { authorization: 'Bearer not-the-token-at-all-0123456789abcdef' } }), 401, 'UNAUTHORIZED'],
  ['a token of another scheme', () => ({ headers: { authorization: `Basic ${vibes.token}` } }), 401, 'UNAUTHORIZED'],
  [
    'the token in the query string',
    (endpoint) => ({
      headers: { authorization: '' },
      path: `${endpoint.path()}${endpoint.path().includes('?') ? '&' : '?'}token=${vibes.token}`,
    }),
    401,
    'UNAUTHORIZED',
  ],
  ['a foreign Origin', () => ({ headers: { origin: 'http://evil.example' } }), 403, 'FORBIDDEN_ORIGIN'],
  ['an Origin of null', () => ({ headers: { origin: 'null' } }), 403, 'FORBIDDEN_ORIGIN'],
  ['a rebinding Host', () => ({ host: 'evil.example:7432' }), 403, 'FORBIDDEN_HOST'],
];

describe.each(Object.entries(endpoints))('%s', (_name, endpoint) => {
  it.each(cases)('refuses %s and changes nothing', async (_case, change, status, code) => {
    const before = await observableState();
    expectCode(await send(endpoint, change(endpoint)), status, code);
    expect(await observableState()).toEqual(before);
  });

  if (endpoint.method === 'POST') {
    it('refuses an oversize body with 413 and changes nothing', async () => {
      const before = await observableState();
      expectCode(await send(endpoint, { body: JSON.stringify({ content: 'x'.repeat(5000) }) }), 413, 'PAYLOAD_TOO_LARGE');
      expect(await observableState()).toEqual(before);
    });

    it('refuses malformed JSON and wrong types with 400 and changes nothing', async () => {
      const before = await observableState();
      expectCode(await send(endpoint, { body: '{"oops": ' }), 400, 'INVALID_JSON');
      expectCode(await send(endpoint, { body: '{"content": 1, "behavior": 2, "name": 3, "extra": true}' }), 400, 'VALIDATION_FAILED');
      expect(await observableState()).toEqual(before);
    });
  }
});

describe('unknown ids and bad directories', () => {
  const sessionEndpoints = [
    'get',
    'events',
    'subscribe',
    'unsubscribe',
    'input',
    'interrupt',
    'kill',
    'permission',
    'mode',
    'model',
    'models',
  ] as const;

  it.each(sessionEndpoints)('%s of an unknown session is 404 NOT_FOUND and changes nothing', async (name) => {
    const endpoint = endpoints[name]!;
    const before = await observableState();
    expectCode(await send(endpoint, { path: endpoint.path().replace(sessionId, 'no-such-session') }), 404, 'NOT_FOUND');
    expect(await observableState()).toEqual(before);
  });

  it('bypassPermissions on a server without the opt-in is 403 BYPASS_NOT_ALLOWED, at creation and live, and changes nothing', async () => {
    const before = await observableState();
    expectCode(await send(endpoints.create!, { body: '{"permission_mode":"bypassPermissions"}' }), 403, 'BYPASS_NOT_ALLOWED');
    expectCode(await send(endpoints.mode!, { body: '{"mode":"bypassPermissions"}' }), 403, 'BYPASS_NOT_ALLOWED');
    expect(await observableState()).toEqual(before);
  });

  it('a cwd that is a file or does not exist is 400 INVALID_CWD and creates nothing', async () => {
    const before = await observableState();
    expectCode(await send(endpoints.create!, { body: JSON.stringify({ cwd: fileCwd }) }), 400, 'INVALID_CWD');
    expectCode(await send(endpoints.create!, { body: JSON.stringify({ cwd: '/no/such/place' }) }), 400, 'INVALID_CWD');
    expect(await observableState()).toEqual(before);
  });
});

describe('random bodies', () => {
  const postEndpoints = Object.entries(endpoints).filter(([, endpoint]) => endpoint.schema);
  const bodies = fc.oneof(
    fc.string().map((text) => ({ raw: text })),
    fc.jsonValue().map((value) => ({ raw: JSON.stringify(value), value })),
    fc
      .dictionary(fc.constantFrom('content', 'behavior', 'name', 'cwd', 'prompt', 'model', 'source', 'message'), fc.jsonValue())
      .map((value) => ({ raw: JSON.stringify(value), value })),
  );

  it.each(postEndpoints)('%s: never a 500, never a change of state', async (_name, endpoint) => {
    const before = await observableState();
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        let parsed: unknown = body.raw.trim() === '' ? {} : undefined;
        try {
          parsed ??= JSON.parse(body.raw);
        } catch {
          parsed = undefined;
        }
        fc.pre(parsed === undefined || !endpoint.schema!.safeParse(parsed).success);
        const response = await send(endpoint, { body: body.raw });
        expect(response.status, response.body).toBeGreaterThanOrEqual(400);
        expect(response.status, response.body).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    expect(await observableState()).toEqual(before);
  });
});

describe('pages', () => {
  it('the sign-in page and a liveness probe are not logged as refusals; a refused call is', async () => {
    const marker = `/api/sessions?probe=${Date.now()}`;
    const before = vibes.server.output().length;
    expect((await rawRequest(vibes.url, { path: '/' })).status).toBe(200);
    expect((await rawRequest(vibes.url, { path: '/api/health' })).status).toBe(401);
    expect((await rawRequest(vibes.url, { path: marker })).status).toBe(401);
    // The refused call's line comes after the two before it would have: once it is there, they would be too.
    const since = () => vibes.server.output().slice(before);
    await expect.poll(() => since().includes('GET /api/sessions 401 UNAUTHORIZED'), { timeout: 10_000 }).toBe(true);
    expect(since()).not.toMatch(/refused \S+ \S+ GET \/ |refused \S+ \S+ GET \/api\/health /);
  });

  it('a signed-out browser gets the sign-in hint, never data', async () => {
    const response = await rawRequest(vibes.url, { path: '/' });
    // The page a signed-out browser is meant to get: served, not refused (nor logged as a refusal).
    expect(response.status).toBe(200);
    expect(response.body).toContain('This browser is not signed in. Run <code>vibes pair</code>');
    expect(response.body).not.toContain(sessionId);
    // The sign-in form must send its Origin, which `no-referrer` would make `null`; nothing leaves the origin.
    expect(response.headers['referrer-policy']).toBe('same-origin');
  });

  it('a pairing link shows the form with the code filled in; signing in sets an HttpOnly SameSite=Strict cookie', async () => {
    const { code, urls } = await pairingCode(vibes.url, vibes.token);
    const form = await rawRequest(vibes.url, { path: new URL(urls[0]!).pathname + new URL(urls[0]!).search });
    expect(form.status).toBe(200);
    expect(form.body).toContain(`value="${code}"`);
    expect(form.headers['set-cookie']).toBeUndefined();
    const body = new URLSearchParams({ code, label: 'form' }).toString();
    const response = await rawRequest(vibes.url, {
      method: 'POST',
      path: '/api/sign-in',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
        origin: vibes.url,
      },
      body,
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(vibes.token);
    const page = await rawRequest(vibes.url, { path: '/', headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const api = await rawRequest(vibes.url, { path: '/api/sessions', headers: { cookie: cookie.split(';')[0]! } });
    expect(api.status).toBe(200);
  });

  it('a wrong code in the form sets no cookie and says so', async () => {
    const body = 'code=ZZZZ-ZZZZ';
    const response = await rawRequest(vibes.url, {
      method: 'POST',
      path: '/api/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) },
      body,
    });
    expect(response.status).toBe(401);
    expect(response.body).toContain('That pairing code is wrong, used or expired');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('pages refuse a rebinding Host too', async () => {
    const response = await rawRequest(vibes.url, { path: '/', headers: { host: 'attacker.example' } });
    expect(response.status).toBe(403);
  });

  it('sends no CORS headers', async () => {
    const response = await send(endpoints.list!, { headers: { origin: new URL(vibes.url).origin } });
    expect(response.status).toBe(200);
    expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('methods pages do not take', () => {
  it.each([
    ['POST', '/'],
    ['PUT', '/'],
    ['DELETE', '/sw.js'],
    ['POST', '/manifest.webmanifest'],
  ])('%s %s is 405 METHOD_NOT_ALLOWED before Next, signed in or not', async (method, path) => {
    const callers: Record<string, string>[] = [{ authorization: `Bearer ${vibes.token}` }, {}];
    for (const headers of callers) {
      const response = await rawRequest(vibes.url, {
        method,
        path,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': '3' },
        body: 'a=b',
      });
      expectCode(response, 405, 'METHOD_NOT_ALLOWED');
      expect(response.headers.allow).toBe('GET, HEAD');
    }
  });
});

describe('a body far over the limit, written all at once', () => {
  // Large enough that the sender is still writing when the answer is out, as a browser is.
  const body = Buffer.alloc(32 * 1024 * 1024, 'a');

  it('fetch reads the 413 and its code, not a reset', async () => {
    for (let round = 0; round < 3; round++) {
      const response = await fetch(new URL('/api/sessions', vibes.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${vibes.token}`, 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(413);
      expect(ErrorBody.parse(await response.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('a raw socket that reads only once it has written everything reads the 413 too', async () => {
    const url = new URL(vibes.url);
    const head = [
      'POST /api/sessions HTTP/1.1',
      `Host: ${url.host}`,
      `Authorization: Bearer ${vibes.token}`,
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      '',
      '',
    ].join('\r\n');
    for (let round = 0; round < 3; round++) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname);
        socket.setTimeout(20_000, () => socket.destroy(new Error('no answer within 20 s')));
        socket.pause();
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
        socket.on('error', (error) => reject(new Error(`${error.message} after ${JSON.stringify(received.slice(0, 40))}`)));
        socket.on('close', () => resolve(received));
        socket.write(Buffer.concat([Buffer.from(head), body]), (error) => {
          if (!error) socket.resume();
        });
      });
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer).toMatch(/\r\nconnection: close\r\n/i);
      expect(answer).toContain('"code":"PAYLOAD_TOO_LARGE"');
    }
  });
});
