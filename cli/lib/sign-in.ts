import { terminalQr } from '../../lib/local/qr.ts';
import { isLoopbackHost } from '../../lib/protocol/rules.ts';
import type { Style } from './style.ts';

/** The sign-in links, the one for another device first, with a QR code a phone can scan. */
export async function renderSignIn(urls: readonly string[], style: Style): Promise<string> {
  const lines = urls.map((url, index) => `${index === 0 ? 'Sign in with' : '          or'} ${style.cyan(url)}`);
  const remote = urls.find((url) => !isLoopbackHost(new URL(url).hostname));
  if (!remote) {
    lines.push('', style.dim('The server listens on this machine only. To reach it from a phone, restart it with `vibes serve --host 0.0.0.0`.'));
    return lines.join('\n');
  }
  lines.push('', 'Scan with your phone:', await terminalQr(remote));
  return lines.join('\n');
}
