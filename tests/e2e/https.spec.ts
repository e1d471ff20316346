import { chromium, devices, expect, test, type Browser } from '@playwright/test';
import { rawRequest } from '../support/raw-http.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { makeTestCertificate, startTlsProxy, TRUSTED_PROXY_ENV, type TestCertificate, type TlsProxy } from '../support/tls.ts';

// The phone on HTTPS under a name that is not loopback (`vibes.test`, resolved to 127.0.0.1 by
// Chromium's host rules; its test certificate trusted by its key): served by vibes itself, and
// through a TLS-terminating proxy vibes trusts. There the page is a secure context, so it signs
// in, registers its service worker and can turn notifications on.

const NAME = 'vibes.test';
let certificate: TestCertificate;
let direct: ServerProcess;
let behindProxy: ServerProcess;
let proxy: TlsProxy;
let browser: Browser;

test.beforeAll(async () => {
  certificate = makeTestCertificate(NAME);
  [direct, behindProxy] = await Promise.all([
    startServerProcess({
      args: ['--tls-cert', certificate.certFile, '--tls-key', certificate.keyFile],
      env: { VIBES_ALLOWED_HOSTS: NAME },
    }),
    startServerProcess({ env: { VIBES_ALLOWED_HOSTS: NAME, ...TRUSTED_PROXY_ENV } }),
  ]);
  proxy = await startTlsProxy(certificate, () => behindProxy.url);
  browser = await chromium.launch({
    executablePath: '/usr/lib/chromium/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-quic',
      `--host-resolver-rules=MAP ${NAME} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${certificate.spkiHash}`,
    ],
  });
});

test.afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await Promise.all([direct?.stop(), behindProxy?.stop()]);
  certificate?.remove();
});

const cases = [
  { name: 'vibes serving HTTPS', connect: () => direct.url, token: () => direct.token() },
  { name: 'behind a TLS proxy', connect: () => proxy.url, token: () => behindProxy.token() },
];

for (const { name, connect, token } of cases) {
  test(`over HTTPS on a public name, ${name}: sign in, a secure context, the service worker registers`, async () => {
    const port = new URL(connect()).port;
    const origin = `https://${NAME}:${port}`;
    const pairing = await rawRequest(connect(), {
      method: 'POST',
      path: '/api/pairing',
      headers: { host: `${NAME}:${port}`, authorization: `Bearer ${token()}`, 'content-type': 'application/json', 'content-length': '2' },
      body: '{}',
      tls: { ca: certificate.cert, servername: NAME },
    });
    const { code } = JSON.parse(pairing.body) as { code: string };

    const context = await browser.newContext({ ...devices['Pixel 7'], permissions: ['notifications'] });
    const page = await context.newPage();
    await page.goto(`${origin}/?code=${code}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('[data-testid=connection]:visible').first()).toHaveAttribute('data-status', 'live');
    const cookies = await context.cookies(origin);
    // Over HTTPS the device cookie is a __Host- cookie of this installation's own name.
    const device = cookies.find((cookie) => /^__Host-vibes_device_[0-9a-f]{12}$/.test(cookie.name));
    expect(device).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });

    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    const scope = await page.evaluate(async () => {
      await navigator.serviceWorker.register('/sw.js');
      const registration = await navigator.serviceWorker.ready;
      return registration.scope;
    });
    expect(scope).toBe(`${origin}/`);

    // From this origin the API answers; a page of another site is refused by Origin.
    const status = await page.evaluate(async () => (await fetch('/api/notifications')).status);
    expect(status).toBe(200);
    const refused = await rawRequest(connect(), {
      method: 'POST',
      path: '/api/notifications/test',
      headers: {
        host: `${NAME}:${port}`,
        origin: 'https://evil.example',
        cookie: `${device!.name}=${device!.value}`,
        'content-type': 'application/json',
        'content-length': '2',
      },
      body: '{}',
      tls: { ca: certificate.cert, servername: NAME },
    });
    expect(refused.status).toBe(403);
    await context.close();
  });
}
