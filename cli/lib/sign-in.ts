import type { Style } from './style.ts';

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/;

/** The sign-in links, the one for another device first, with a QR code a phone can scan. */
export async function renderSignIn(urls: readonly string[], style: Style): Promise<string> {
  const lines = urls.map((url, index) => `${index === 0 ? 'Sign in with' : '          or'} ${style.cyan(url)}`);
  const remote = urls.find((url) => !LOOPBACK.test(url));
  if (!remote) {
    lines.push('', style.dim('The server listens on this machine only. To reach it from a phone, restart it with `vibes serve --host 0.0.0.0`.'));
    return lines.join('\n');
  }
  const { default: QRCode } = await import('qrcode');
  lines.push('', 'Scan with your phone:', await QRCode.toString(remote, { type: 'terminal', small: true }));
  return lines.join('\n');
}
