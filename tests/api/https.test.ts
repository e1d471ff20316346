import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, fillPath, ROUTES, type RouteName } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';
import { makeTestCertificate, startTlsProxy, type TlsProxy } from '../support/tls.ts';

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
const proxied = useServer({ env: { VIBES_ALLOWED_HOSTS: NAME, VIBES_TRUSTED_PROXY: '127.0.0.1' } });

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
    const path = fillPath(route.path, { id: 'some-id', requestId: 'some-request', seq: '1' });
    const body = route.method === 'POST' ? '{}' : undefined;
    const base = { method: route.method, path, ...(body === undefined ? {} : { body }) };
    expectRefused(await send(target, { ...base, headers: { cookie, origin: 'https://evil.example' } }), 403, 'FORBIDDEN_ORIGIN');
    expectRefused(await send(target, { ...base, headers: { cookie, origin: 'null' } }), 403, 'FORBIDDEN_ORIGIN');
    expectRefused(await send(target, { ...base, headers: { cookie, host: 'evil.example' } }), 403, 'FORBIDDEN_HOST');
  });
});

describe('forwarded headers', () => {
  it('from the trusted proxy address: a forwarded Host that is not allowed is refused, like a Host', async () => {
    const response = await rawRequest(proxied.url, {
      path: '/api/health',
      headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    });
    expectRefused(response, 403, 'FORBIDDEN_HOST');
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
