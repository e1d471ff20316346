import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webPush from 'web-push';
import { ensurePrivateHome } from './token.ts';

export interface VapidKeys {
  /** base64url, the browser's `applicationServerKey`. */
  publicKey: string;
  privateKey: string;
}

export const vapidPath = (home: string): string => join(home, 'vapid.json');

/**
 * The server's Web Push identity, made once and kept in `$VIBES_HOME/vapid.json` (0600): a new
 * key would orphan every subscription browsers made with the old one.
 */
export function loadOrCreateVapidKeys(home: string): VapidKeys {
  ensurePrivateHome(home);
  const path = vapidPath(home);
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
  const keys = webPush.generateVAPIDKeys();
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
  return keys;
}
