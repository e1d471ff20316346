import { describe, expect, it } from 'vitest';
import { renderSignIn } from '../../../cli/lib/sign-in.ts';
import { makeStyle } from '../../../cli/lib/style.ts';

const plain = makeStyle(false);

describe('renderSignIn', () => {
  it('draws a QR code of the first link another device can open', async () => {
    const text = await renderSignIn(['http://192.168.1.20:7432/?token=abc', 'http://127.0.0.1:7432/?token=abc'], plain);
    expect(text).toContain('Sign in with http://192.168.1.20:7432/?token=abc');
    expect(text).toContain('          or http://127.0.0.1:7432/?token=abc');
    expect(text).toContain('Scan with your phone:');
    expect(text.split('\n').filter((line) => /[█▀▄]/.test(line)).length).toBeGreaterThan(10);
  });

  it('explains how to reach a loopback-only server from a phone instead of drawing a code', async () => {
    const text = await renderSignIn(['http://127.0.0.1:7432/?token=abc'], plain);
    expect(text).not.toContain('Scan');
    expect(text).toMatch(/vibes serve --host 0\.0\.0\.0/);
  });
});
