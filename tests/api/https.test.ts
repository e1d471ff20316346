import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, fillPath, ROUTES, type RouteName } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';

/**
 * vibes over HTTPS on a name that is not loopback (`vibes.test`, mapped to 127.0.0.1 by the Host
 * header and the TLS server name): served by vibes itself (--tls-cert/--tls-key), and behind a
 * TLS-terminating proxy it trusts (VIBES_TRUSTED_PROXY). Sign-in gives a Secure cookie, the
 * service worker is served, and every Host and Origin refusal holds.
 */
const NAME = 'vibes.test';
const certDir = mkdtempSync(join(tmpdir(), 'vibes-tls-'));
const certFile = join(certDir, 'cert.pem');
const keyFile = join(certDir, 'key.pem');
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    `/CN=${NAME}`,
    '-addext',
    `subjectAltName=DNS:${NAME}`,
  ],
  { stdio: 'ignore', timeout: 20_000 },
);
const ca = readFileSync(certFile);

const direct = useServer({ args: ['--tls-cert', certFile, '--tls-key', keyFile], env: { VIBES_ALLOWED_HOSTS: NAME } });
const proxied = useServer({ env: { VIBES_ALLOWED_HOSTS: NAME, VIBES_TRUSTED_PROXY: '127.0.0.1' } });

/** What Caddy or Tailscale Serve does: TLS here, plain HTTP to vibes, X-Forwarded-* set. */
const proxy = createHttpsServer({ cert: ca, key: readFileSync(keyFile) }, (req, res) => {
  const backend = new URL(proxied.url);
  const forwarded = httpRequest(
    {
      host: backend.hostname,
      port: backend.port,
      method: req.method,
      path: req.url,
      headers: {
        ...req.headers,
        host: backend.host,
        'x-forwarded-proto': 'https',
        'x-forwarded-host': req.headers.host ?? '',
        'x-forwarded-for': req.socket.remoteAddress ?? '',
      },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  forwarded.on('error', () => res.writeHead(502).end());
  req.pipe(forwarded);
});
let proxyUrl = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
  rmSync(certDir, { recursive: true, force: true });
});

interface Target {
  /** Where the test connects. */
  url: () => string;
  /** The token of the vibes server behind it. */
  token: () => string;
}
const targets: [string, Target][] = [
  ['vibes serving HTTPS itself', { url: () => direct.url, token: () => direct.token }],
  ['vibes behind a trusted TLS proxy', { url: () => proxyUrl, token: () => proxied.token }],
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
    const path = fillPath(route.path, { id: 'some-id', requestId: 'some-request' });
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
