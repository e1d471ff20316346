import { createECDH } from 'node:crypto';
import webPush from 'web-push';
import { describe, expect, it } from 'vitest';
import { generateVapidKeys } from '../../../lib/server/vapid.ts';

describe('VAPID keys made without web-push', () => {
  it('are a P-256 pair in the form web-push takes, and differ each time', () => {
    const keys = generateVapidKeys();
    expect(Buffer.from(keys.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(keys.privateKey, 'base64url')).toHaveLength(32);
    // The public key is the private key's: the pair signs what the browser will check.
    const curve = createECDH('prime256v1');
    curve.setPrivateKey(Buffer.from(keys.privateKey, 'base64url'));
    expect(curve.getPublicKey().toString('base64url')).toBe(keys.publicKey);
    // web-push checks both keys' encoding and length when it is given them.
    expect(() => webPush.setVapidDetails('mailto:owner@example.com', keys.publicKey, keys.privateKey)).not.toThrow();
    expect(generateVapidKeys().privateKey).not.toBe(keys.privateKey);
  });
});
