import { describe, expect, it } from 'vitest';
import { renderSignIn } from '../../../cli/lib/sign-in.ts';
import { makeStyle } from '../../../cli/lib/style.ts';

const plain = makeStyle(false);
const NOW = 1_800_000_000_000;
const pairing = (urls: string[]) => ({ code: 'ABCD-1234', expires_at: NOW / 1000 + 300, urls });

describe('renderSignIn', () => {
  it('shows the code and draws a QR code of the first link another device can open', async () => {
    const text = await renderSignIn(
      pairing(['http://192.168.1.20:7432/?code=ABCD-1234', 'http://127.0.0.1:7432/?code=ABCD-1234']),
      plain,
      NOW,
    );
    expect(text).toContain('Pairing code ABCD-1234 (works once, for 5 min)');
    expect(text).toContain('Sign in with http://192.168.1.20:7432/?code=ABCD-1234');
    expect(text).toContain('          or http://127.0.0.1:7432/?code=ABCD-1234');
    expect(text).toContain('Scan with your phone:');
    expect(text.split('\n').filter((line) => /[█▀▄]/.test(line)).length).toBeGreaterThan(10);
  });

  it('explains how to reach a loopback-only server from a phone instead of drawing a code', async () => {
    const text = await renderSignIn(pairing(['http://127.0.0.1:7432/?code=ABCD-1234']), plain, NOW);
    expect(text).not.toContain('Scan');
    expect(text).toMatch(/vibes serve --host 0\.0\.0\.0/);
  });
});
