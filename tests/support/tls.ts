import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
  /** base64 SHA-256 of the public key: Chromium's --ignore-certificate-errors-spki-list trusts exactly it. */
  spkiHash: string;
  remove(): void;
}

/** A self-signed certificate for `name`, made now with Debian's openssl (P-256, two days). */
export function makeTestCertificate(name: string): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'vibes-tls-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile].concat([
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=DNS:${name}`,
    ]),
    { stdio: 'ignore', timeout: 20_000 },
  );
  const cert = readFileSync(certFile);
  const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return {
    certFile,
    keyFile,
    cert,
    key: readFileSync(keyFile),
    spkiHash: createHash('sha256').update(spki).digest('base64'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TlsProxy {
  readonly url: string;
  close(): Promise<void>;
}

/** The secret test servers behind startTlsProxy share with it (VIBES_TRUSTED_PROXY_SECRET). */
export const TEST_PROXY_SECRET = 'test-proxy-secret-Qm7Zr2Kp9Xv4Lw8N';
/** What a vibes behind startTlsProxy is started with. */
export const TRUSTED_PROXY_ENV = { VIBES_TRUSTED_PROXY: '127.0.0.1', VIBES_TRUSTED_PROXY_SECRET: TEST_PROXY_SECRET };

/** What Caddy or nginx does: TLS here, plain HTTP to vibes, with X-Forwarded-Proto/Host/For and the shared secret. */
export async function startTlsProxy(certificate: TestCertificate, target: () => string): Promise<TlsProxy> {
  const proxy: Server = createHttpsServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    const backend = new URL(target());
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
          'x-vibes-proxy-secret': TEST_PROXY_SECRET,
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    res.on('close', () => forwarded.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: () => {
      proxy.closeAllConnections();
      return new Promise((resolve) => proxy.close(() => resolve()));
    },
  };
}
