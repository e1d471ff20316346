import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, fillPath, ROUTES, type RouteName } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';
import { startServerProcess } from '../support/server-process.ts';
import { makeTestCertificate, startTlsProxy, TEST_PROXY_SECRET, TRUSTED_PROXY_ENV, type TlsProxy } from '../support/tls.ts';

/**
 * vibes over HTTPS on a name that is not loopback (`vibes.test`, mapped to 127.0.0.1 by the Host
 * header and the TLS server name): served by vibes itself (--tls-cert/--tls-key), and behind a
 * TLS-terminating proxy it trusts (VIBES_TRUSTED_PROXY). Sign-in gives a Secure cookie, the
 * service worker is served, and every Host and Origin refusal holds.
 */
const NAME = 'vibes.test';
const certificate = makeTestCertificate(NAME);
const { certFile, keyFile } = certificate;
const ca = certificate.cert;

const direct = useServer({ args: ['--tls-cert', certFile, '--tls-key', keyFile], env: { VIBES_ALLOWED_HOSTS: NAME } });
const proxied = useServer({ env: { VIBES_ALLOWED_HOSTS: NAME, ...TRUSTED_PROXY_ENV } });

let proxy: TlsProxy | undefined;
beforeAll(async () => {
  proxy = await startTlsProxy(certificate, () => proxied.url);
});
afterAll(async () => {
  await proxy?.close();
  certificate.remove();
});

interface Target {
  /** Where the test connects. */
  url: () => string;
  /** The token of the vibes server behind it. */
  token: () => string;
}
const targets: [string, Target][] = [
  ['vibes serving HTTPS itself', { url: () => direct.url, token: () => direct.token }],
  ['vibes behind a trusted TLS proxy', { url: () => proxy!.url, token: () => proxied.token }],
];

function send(target: Target, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  const port = new URL(target.url()).port;
  return rawRequest(target.url(), {
    ...options,
    headers: {
      host: `${NAME}:${port}`,
      ...(options.body === undefined
        ? {}
        : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(options.body)) }),
      ...options.headers,
    },
    tls: { ca, servername: NAME },
  });
}

const publicOrigin = (target: Target) => `https://${NAME}:${new URL(target.url()).port}`;

async function signIn(target: Target): Promise<{ cookie: string; setCookie: string }> {
  const pairing = await send(target, {
    method: 'POST',
    path: '/api/pairing',
    headers: { authorization: `Bearer ${target.token()}` },
    body: '{}',
  });
  const { code } = JSON.parse(pairing.body) as { code: string };
  const answer = await send(target, {
    method: 'POST',
    path: '/api/sign-in',
    headers: { origin: publicOrigin(target) },
    body: JSON.stringify({ code, label: 'https phone' }),
  });
  expect(answer.status, answer.body).toBe(200);
  const setCookie = String(answer.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0]!, setCookie };
}

function expectRefused(response: RawResponse, status: number, code: string): void {
  expect(response.status, response.body).toBe(status);
  expect(ErrorBody.parse(JSON.parse(response.body)).error.code).toBe(code);
}

describe.each(targets)('%s', (_name, target) => {
  let cookie = '';

  it('signs a browser in over HTTPS on its public name, with a Secure cookie', async () => {
    const signedIn = await signIn(target);
    expect(signedIn.setCookie).toMatch(/; Secure/);
    expect(signedIn.setCookie).toMatch(/HttpOnly/);
    // __Host-: no plain-HTTP page, no other path and no other domain can set or shadow it.
    expect(signedIn.setCookie).toMatch(/^__Host-vibes_device_[0-9a-f]{12}=[\w-]{43}; .*Path=\/;/);
    cookie = signedIn.cookie;
    const page = await send(target, { path: '/', headers: { cookie } });
    expect(page.status).toBe(200);
    // The page may register its service worker: worker-src allows this origin's own script.
    expect(page.headers['content-security-policy']).toMatch(/worker-src 'self'/);
  });

  it('serves the service worker, also to a signed-out browser (it holds no data)', async () => {
    const worker = await send(target, { path: '/sw.js' });
    expect(worker.status).toBe(200);
    expect(String(worker.headers['content-type'])).toMatch(/javascript/);
    expect(worker.body).toContain("addEventListener('push'");
  });

  const routes = Object.keys(ROUTES) as RouteName[];
  it.each(routes)('%s: a foreign Origin, an Origin of null and a rebinding Host are refused', async (name) => {
    const route = ROUTES[name];
    const path = fillPath(route.path, { id: 'some-id', requestId: 'some-request', seq: '1', attachmentId: 'a'.repeat(64) });
    const body = route.method === 'POST' ? '{}' : undefined;
    const base = { method: route.method, path, ...(body === undefined ? {} : { body }) };
    expectRefused(await send(target, { ...base, headers: { cookie, origin: 'https://evil.example' } }), 403, 'FORBIDDEN_ORIGIN');
    expectRefused(await send(target, { ...base, headers: { cookie, origin: 'null' } }), 403, 'FORBIDDEN_ORIGIN');
    expectRefused(await send(target, { ...base, headers: { cookie, host: 'evil.example' } }), 403, 'FORBIDDEN_HOST');
  });
});

describe('forwarded headers', () => {
  it('from the trusted proxy with its secret: a forwarded Host that is not allowed is refused, like a Host', async () => {
    const response = await rawRequest(proxied.url, {
      path: '/api/health',
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', 'x-vibes-proxy-secret': TEST_PROXY_SECRET },
    });
    expectRefused(response, 403, 'FORBIDDEN_HOST');
  });

  it("from the proxy's address without its secret (any local process), or a wrong one, they are ignored", async () => {
    const guesses: Record<string, string>[] = [{}, { 'x-vibes-proxy-secret': `${TEST_PROXY_SECRET}-guess` }];
    for (const secret of guesses) {
      const plain = await signInPlain(proxied.url, proxied.token, { 'x-forwarded-proto': 'https', ...secret });
      expect(plain.setCookie).not.toMatch(/Secure/);
      const rebinding = await rawRequest(proxied.url, {
        path: '/api/health',
        headers: { host: 'evil.example', 'x-forwarded-host': '127.0.0.1', ...secret },
      });
      expectRefused(rebinding, 403, 'FORBIDDEN_HOST');
    }
  });

  it('a local process cannot dodge the per-address throttle with a new X-Forwarded-For each time; the proxy can', async () => {
    const burst = 4;
    const anonymous = (forwardedFor: string, secret: Record<string, string>) =>
      rawRequest(throttled.url, { path: '/api/health', headers: { 'x-forwarded-for': forwardedFor, ...secret } });
    // Through the proxy, each browser address has its own bucket: none of these is over its burst.
    const proxied = await Promise.all(
      Array.from({ length: burst * 2 }, (_, i) => anonymous(`100.64.0.${i + 1}`, { 'x-vibes-proxy-secret': TEST_PROXY_SECRET })),
    );
    expect(proxied.map((response) => response.status)).toEqual(proxied.map(() => 401));
    // Without the secret they all count against 127.0.0.1, whatever they claim.
    const spoofed = await Promise.all(Array.from({ length: burst * 4 }, (_, i) => anonymous(`203.0.113.${i + 1}`, {})));
    expect(spoofed.filter((response) => response.status === 429).length).toBeGreaterThan(0);
  });
});

describe('a trusted proxy without a secret', () => {
  it('is refused at start with a clear message', async () => {
    const error = await startServerProcess({ env: { VIBES_TRUSTED_PROXY: '127.0.0.1' }, startTimeoutMs: 20_000 }).then(
      async (server) => {
        await server.stop();
        return new Error('the server started');
      },
      (caught: unknown) => caught as Error,
    );
    expect(error.message).toMatch(/exited with 1/);
    expect(error.message).toMatch(/VIBES_TRUSTED_PROXY needs VIBES_TRUSTED_PROXY_SECRET/);
  });

  it('from anybody else (no VIBES_TRUSTED_PROXY) they are ignored: no Secure cookie over plain HTTP, no Host from them', async () => {
    const plain = await signInPlain(plainServer.url, plainServer.token, { 'x-forwarded-proto': 'https' });
    expect(plain.setCookie).not.toMatch(/Secure/);
    expect(plain.setCookie).toMatch(/^vibes_device_[0-9a-f]{12}=/);
    const rebinding = await rawRequest(plainServer.url, {
      path: '/api/health',
      headers: { host: 'evil.example', 'x-forwarded-host': '127.0.0.1' },
    });
    expectRefused(rebinding, 403, 'FORBIDDEN_HOST');
  });
});

const plainServer = useServer();
const throttled = useServer({
  env: { ...TRUSTED_PROXY_ENV, VIBES_ANONYMOUS_RATE_LIMIT_PER_SECOND: '1', VIBES_ANONYMOUS_RATE_LIMIT_BURST: '4' },
});

/** Signs in over plain HTTP, with extra headers a client may send. */
async function signInPlain(url: string, token: string, headers: Record<string, string>) {
  const pairing = await rawRequest(url, {
    method: 'POST',
    path: '/api/pairing',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '2' },
    body: '{}',
  });
  const { code } = JSON.parse(pairing.body) as { code: string };
  const body = JSON.stringify({ code });
  const answer = await rawRequest(url, {
    method: 'POST',
    path: '/api/sign-in',
    headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  expect(answer.status, answer.body).toBe(200);
  const setCookie = String((answer.headers as IncomingHttpHeaders)['set-cookie']);
  return { setCookie };
}
