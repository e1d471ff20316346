import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createECDH } from 'node:crypto';
import { ensurePrivateHome } from './token.ts';

export interface VapidKeys {
  /** base64url, the browser's `applicationServerKey`. */
  publicKey: string;
  privateKey: string;
}

/**
 * The server's Web Push identity, made once and kept in `$VIBES_HOME/vapid.json` (0600): a new
 * key would orphan every subscription browsers made with the old one.
 */
export function loadOrCreateVapidKeys(home: string): VapidKeys {
  ensurePrivateHome(home);
  const path = join(home, 'vapid.json');
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    try {
      const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<VapidKeys>;
      if (typeof stored.publicKey === 'string' && typeof stored.privateKey === 'string') {
        return { publicKey: stored.publicKey, privateKey: stored.privateKey };
      }
    } catch {
      // An unreadable file is replaced below; subscriptions made with it stop working.
    }
    console.error(`vibes: ${path} is unreadable; making new push keys (devices must turn notifications on again)`);
  }
  const keys = generateVapidKeys();
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
  return keys;
}

/**
 * A P-256 key pair in the form web-push takes (as its own generateVAPIDKeys makes it): made here
 * so the server need not load web-push and its crypto dependencies before it listens.
 */
export function generateVapidKeys(): VapidKeys {
  const curve = createECDH('prime256v1');
  curve.generateKeys();
  const fixed = (key: Buffer, length: number) => (key.length < length ? Buffer.concat([Buffer.alloc(length - key.length), key]) : key);
  return {
    publicKey: fixed(curve.getPublicKey(), 65).toString('base64url'),
    privateKey: fixed(curve.getPrivateKey(), 32).toString('base64url'),
  };
}
