// Connection admission (issue 27): sockets held open by strangers never lock out the token holder
// or a signed-in browser, a burst of signed-in clients is served whole, and one browser cannot
// take every event stream.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { ErrorBody } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { holdIdleSockets, type IdleSockets } from '../support/idle-sockets.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';
import { deviceCookie } from '../support/sign-in.ts';
import { makeTestCertificate } from '../support/tls.ts';

/** A stranger on the same machine, from another loopback address than the clients (127.0.0.1). */
const STRANGER = '127.0.0.2';
const POOL = 16;

const small = useServer({
  env: { VIBES_MAX_ANONYMOUS_CONNECTIONS: String(POOL), VIBES_MAX_EVENT_CLIENTS_PER_DEVICE: '3' },
});
/** Default settings, as the bursts met them. */
const defaults = useServer();

const certificate = makeTestCertificate('vibes.test');
const tls = useServer({
  args: ['--tls-cert', certificate.certFile, '--tls-key', certificate.keyFile],
  env: { VIBES_ALLOWED_HOSTS: 'vibes.test', VIBES_MAX_ANONYMOUS_CONNECTIONS: String(POOL) },
});
afterAll(() => certificate.remove());

const get = (url: string, headers: Record<string, string>, tlsOptions?: { ca: Buffer; servername: string }): Promise<RawResponse> =>
  rawRequest(url, { path: '/api/sessions', headers: { host: new URL(url).host, ...headers }, ...(tlsOptions ? { tls: tlsOptions } : {}) });

describe('idle sockets held by a stranger', () => {
  let idle: IdleSockets | undefined;
  let cookie = '';
  beforeAll(async () => {
    cookie = await deviceCookie(small.url, small.token);
  });
  afterAll(() => idle?.stop());

  it('never lock out the token holder, the CLI or a signed-in browser: each is answered, none reset', async () => {
    idle = await holdIdleSockets(small.url, POOL * 4, { fromAddress: STRANGER });
    // The pool is full and the stranger renews what is dropped: it now only replaces its own.
    await expect.poll(() => idle!.dropped, { timeout: 10_000 }).toBeGreaterThan(0);
    for (let round = 0; round < 3; round++) {
      const [token, cli, browser] = await Promise.all([
        get(small.url, { authorization: `Bearer ${small.token}`, connection: 'close' }),
        new ApiClient({ baseUrl: small.url, token: small.token }).listSessions(),
        get(small.url, { cookie, connection: 'close' }),
      ]);
      expect(token.status, token.body).toBe(200);
      expect(Array.isArray(cli)).toBe(true);
      expect(browser.status, browser.body).toBe(200);
    }
    // Meanwhile the stranger's own sockets went on making room for each other.
    const dropped = idle.dropped;
    await expect.poll(() => idle!.dropped, { timeout: 10_000 }).toBeGreaterThan(dropped + POOL);
  });
});

describe('event streams per signed-in browser', () => {
  it('one browser may hold at most VIBES_MAX_EVENT_CLIENTS_PER_DEVICE streams (429 TOO_MANY_STREAMS); others and the token holder are not held back', async () => {
    const greedy = await deviceCookie(small.url, small.token, 'greedy');
    const other = await deviceCookie(small.url, small.token, 'other');
    const open = (headers: Record<string, string>) => TestEventStream.open(small.url, { headers });
    const held = await Promise.all([1, 2, 3].map(() => open({ cookie: greedy })));
    const streams = [...held];
    try {
      expect(held.map((stream) => stream.status)).toEqual([200, 200, 200]);
      const refused = await rawRequest(small.url, { path: '/api/events', headers: { host: new URL(small.url).host, cookie: greedy } });
      expect(refused.status).toBe(429);
      expect(ErrorBody.parse(JSON.parse(refused.body)).error.code).toBe('TOO_MANY_STREAMS');

      const others = await Promise.all([1, 2, 3].map(() => open({ cookie: other })));
      const tokenHolder = await Promise.all([1, 2, 3, 4, 5, 6].map(() => open({ authorization: `Bearer ${small.token}` })));
      streams.push(...others, ...tokenHolder);
      expect([...others, ...tokenHolder].map((stream) => stream.status)).toEqual(Array(9).fill(200));

      // A closed tab gives its place back.
      held[0]!.close();
      await expect
        .poll(async () => {
          const again = await open({ cookie: greedy });
          streams.push(again);
          return again.status;
        })
        .toBe(200);
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});

describe('bursts of signed-in clients, default settings', () => {
  it('300 requests on new connections at once, from the token holder and signed-in browsers, are all answered', async () => {
    const cookies = await Promise.all([1, 2, 3].map((i) => deviceCookie(defaults.url, defaults.token, `viewer ${i}`)));
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        get(
          defaults.url,
          i % 2 === 0
            ? { authorization: `Bearer ${defaults.token}`, connection: 'close' }
            : { cookie: cookies[i % 3]!, connection: 'close' },
        ).then(
          (response) => response.status,
          (error: Error) => error.message,
        ),
      ),
    );
    expect(answers.filter((answer) => answer !== 200)).toEqual([]);
  });

  it('900 event streams opened at once with the token are all served, and held at once', async () => {
    const opened = await Promise.allSettled(
      Array.from({ length: 900 }, () => TestEventStream.open(defaults.url, { headers: { authorization: `Bearer ${defaults.token}` } })),
    );
    try {
      const failures = opened.flatMap((result) =>
        result.status === 'rejected' ? [String(result.reason)] : result.value.status === 200 ? [] : [`status ${result.value.status}`],
      );
      expect(failures.slice(0, 5)).toEqual([]);
      expect(opened.filter((result) => result.status === 'fulfilled' && !result.value.ended)).toHaveLength(900);
    } finally {
      for (const result of opened) if (result.status === 'fulfilled') result.value.close();
    }
  }, 60_000);
});

describe('HTTPS', () => {
  const ca = certificate.cert;
  const openTcp = (): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(tls.url);
      const socket = connect({ port: Number(port), host: hostname, localAddress: STRANGER }, () => resolve(socket));
      socket.on('error', () => undefined);
      socket.once('error', reject);
    });
  const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

  it('sockets that never start the handshake are counted from the TCP connection: one more makes the oldest go', async () => {
    const first = await openTcp();
    const later = await Promise.all(Array.from({ length: POOL - 1 }, () => openTcp()));
    const newcomer = await openTcp();
    await closed(first);
    // Evicted, not timed out: the sockets opened after it are all still there.
    expect([...later, newcomer].filter((socket) => socket.destroyed)).toEqual([]);
    const port = new URL(tls.url).port;
    const answer = await get(
      tls.url,
      { authorization: `Bearer ${tls.token}`, host: `vibes.test:${port}` },
      { ca, servername: 'vibes.test' },
    );
    expect(answer.status).toBe(200);
    for (const socket of [...later, newcomer]) socket.destroy();
  });

  it('a handshake never started, or stopped halfway, is cut off (5 s at most, not the 120 s of Node)', async () => {
    const silent = await openTcp();
    const halfway = await openTcp();
    // The first bytes of a TLS record (a ClientHello), then nothing.
    halfway.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]));
    await Promise.all([closed(silent), closed(halfway)]);
  });
});
