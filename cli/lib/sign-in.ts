import { terminalQr } from '../../lib/local/qr.ts';
import type { PairingCodeResponse } from '../../lib/protocol/index.ts';
import { isLoopbackHost } from '../../lib/protocol/rules.ts';
import type { Style } from './style.ts';

/** The pairing code and its links, the one for another device first, with a QR code a phone can scan. */
export async function renderSignIn(
  pairing: Pick<PairingCodeResponse, 'code' | 'expires_at' | 'urls'>,
  style: Style,
  now = Date.now(),
): Promise<string> {
  const minutes = Math.max(1, Math.round((pairing.expires_at * 1000 - now) / 60_000));
  const lines = [`Pairing code ${style.bold(pairing.code)} (works once, for ${minutes} min)`];
  lines.push(...pairing.urls.map((url, index) => `${index === 0 ? 'Sign in with' : '          or'} ${style.cyan(url)}`));
  const remote = pairing.urls.find((url) => !isLoopbackHost(new URL(url).hostname));
  if (!remote) {
    lines.push(
      '',
      style.dim('The server listens on this machine only. To reach it from a phone, restart it with `vibes serve --host 0.0.0.0`.'),
    );
    return lines.join('\n');
  }
  lines.push('', 'Scan with your phone:', await terminalQr(remote));
  return lines.join('\n');
}
