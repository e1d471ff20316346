// Issue 27: the sign-in throttle counts an attempt when its request starts, so bodies held back
// and released together cannot all be tried; and the token holder always gets in with the link.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ErrorBody, type ErrorCode } from '../../lib/protocol/index.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { pairingCode } from '../support/sign-in.ts';

/** What the throttle allows at once (lib/server/sign-in-throttle.ts): per address, and from everybody. */
const PER_ADDRESS_BURST = 2 + 12;
const OVERALL_BURST = 10 + 60;
/** What either allowance may have grown back by while a test ran: a few a minute, a few an hour. */
const refilled = (startedAt: number, perMinute: number, perHour: number) =>
  Math.ceil(((Date.now() - startedAt) / 1000) * (perMinute / 60 + perHour / 3600));

const WRONG = JSON.stringify({ code: 'AAAA-AAAA' });

/** Only the sign-in throttle is in the way: the other limits on strangers are wide open. */
function startServer(): Promise<ServerProcess> {
  return startServerProcess({
    env: {
      VIBES_ANONYMOUS_RATE_LIMIT_PER_SECOND: '100000',
      VIBES_ANONYMOUS_RATE_LIMIT_BURST: '100000',
      VIBES_MAX_ANONYMOUS_CONNECTIONS: '1000',
    },
  });
}

async function withServer(test: (server: ServerProcess) => Promise<void>): Promise<void> {
  const server = await startServer();
  try {
    await test(server);
  } finally {
    await server.stop();
  }
}

/** A sign-in whose head has been read by the server (it said 100 Continue) and whose body waits. */
class HeldSignIn {
  readonly #socket: Socket;
  #text = '';

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (this.#text += chunk));
  }

  static async open(server: ServerProcess, localAddress = '127.0.0.1'): Promise<HeldSignIn> {
    const { hostname, port, host } = new URL(server.url);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const opened = connect({ port: Number(port), host: hostname, localAddress }, () => resolve(opened));
      opened.once('error', reject);
    });
    const held = new HeldSignIn(socket);
    socket.write(
      `POST /api/sign-in HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(WRONG)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
    );
    // Node answers 100 Continue as it hands the request to vibes: the head has been seen.
    await held.#until(() => held.#text.startsWith('HTTP/1.1 100 Continue\r\n\r\n'));
    held.#text = '';
    return held;
  }

  /** Sends the body; the answer's status and text. */
  async release(): Promise<{ status: number; text: string }> {
    this.#socket.write(WRONG);
    await this.#until(() => this.#socket.readyState === 'closed', true);
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(this.#text)?.[1]), text: this.#text };
  }

  #until(done: () => boolean, orClosed = false): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer in time: ${JSON.stringify(this.#text)}`)), 20_000);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.#socket.off('data', check);
        this.#socket.off('close', check);
        resolve();
      };
      this.#socket.on('data', check);
      if (orClosed) this.#socket.on('close', check);
      check();
    });
  }
}

function signIn(server: ServerProcess, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(server.url, {
    method: 'POST',
    path: '/api/sign-in',
    headers: {
      host: new URL(server.url).host,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    },
    body,
  });
}

function codeOf(response: RawResponse): ErrorCode {
  return ErrorBody.parse(JSON.parse(response.body)).error.code;
}

const count = (statuses: number[], status: number) => statuses.filter((candidate) => candidate === status).length;

describe('the sign-in throttle counts an attempt when it starts', () => {
  it('50 held sign-in bodies released together after the allowance is spent: no more tried than the allowance, the rest 429', async () => {
    await withServer(async (server) => {
      const startedAt = Date.now();
      const held = await Promise.all(Array.from({ length: 50 }, () => HeldSignIn.open(server)));
      // Spend what is left of the allowance, one wrong code at a time, until refused.
      const spent: number[] = [];
      while (spent.length < PER_ADDRESS_BURST + 5 && spent.at(-1) !== 429) spent.push((await signIn(server, WRONG)).status);
      const released = (await Promise.all(held.map((sign) => sign.release()))).map((answer) => answer.status);
      const statuses = [...spent, ...released];
      console.log(
        `held bodies: ${count(released, 401)} of 50 tried, ${count(released, 429)} refused; ${spent.length} sent after the heads`,
      );
      expect(count(statuses, 401) + count(statuses, 429)).toBe(statuses.length);
      expect(count(statuses, 401)).toBeLessThanOrEqual(PER_ADDRESS_BURST + refilled(startedAt, 2, 12));
      expect(count(released, 429)).toBeGreaterThanOrEqual(50 - PER_ADDRESS_BURST - refilled(startedAt, 2, 12));
    });
  });

  it('sign-ins held from 100 loopback addresses, released together: no more tried than the allowance for everybody', async () => {
    await withServer(async (server) => {
      const startedAt = Date.now();
      const held = await Promise.all(
        Array.from({ length: 100 }, (_, i) => HeldSignIn.open(server, `127.0.${1 + (i >> 7)}.${2 + (i & 127)}`)),
      );
      const released = (await Promise.all(held.map((sign) => sign.release()))).map((answer) => answer.status);
      expect(count(released, 401) + count(released, 429)).toBe(100);
      console.log(`from 100 addresses: ${count(released, 401)} tried, ${count(released, 429)} refused`);
      expect(count(released, 401)).toBeLessThanOrEqual(OVERALL_BURST + refilled(startedAt, 10, 60));
    });
  });
});

describe('however throttled strangers are, the token holder signs in', () => {
  it('with the link of `vibes pair`, whose key is not throttled; a typed code is refused, pointing at the link', async () => {
    await withServer(async (server) => {
      // Strangers from many addresses spend every allowance there is, until a typed code is refused.
      const strangers = await Promise.all(
        Array.from({ length: OVERALL_BURST + 10 }, (_, i) => HeldSignIn.open(server, `127.1.${1 + (i >> 7)}.${2 + (i & 127)}`)),
      );
      await Promise.all(strangers.map((sign) => sign.release()));
      let typed = { status: 0, text: '' };
      for (let i = 0; i < 20 && typed.status !== 429; i++) typed = await (await HeldSignIn.open(server, `127.2.0.${2 + i}`)).release();
      expect(typed.status).toBe(429);
      expect(typed.text).toContain('RATE_LIMITED');
      expect(typed.text).toContain('open the sign-in link `vibes pair` prints');

      const pairing = await pairingCode(server.url, server.token());
      const link = new URL(pairing.urls[0]!);
      expect(link.searchParams.get('code')).toBe(pairing.code);
      const key = link.searchParams.get('key')!;
      expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);

      // A wrong key tells nothing of the code, and takes nothing.
      const guessed = await signIn(server, JSON.stringify({ code: pairing.code, key: 'A'.repeat(22) }));
      expect([guessed.status, codeOf(guessed)]).toEqual([401, 'INVALID_PAIRING_CODE']);

      // The link's page carries the key into the form; the form signs in.
      const page = await rawRequest(server.url, { path: `${link.pathname}${link.search}`, headers: { host: link.host } });
      expect(page.status).toBe(200);
      expect(page.body).toContain(`<input type="hidden" name="key" value="${key}">`);
      const form = new URLSearchParams({ code: pairing.code, key, label: '' }).toString();
      const signedIn = await signIn(server, form, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(signedIn.status, signedIn.body).toBe(303);
      const cookie = String(signedIn.headers['set-cookie']).split(';')[0]!;
      const sessions = await rawRequest(server.url, { path: '/api/sessions', headers: { host: link.host, cookie } });
      expect(sessions.status).toBe(200);
    });
  });
});
