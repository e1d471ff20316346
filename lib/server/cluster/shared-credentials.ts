import type { PostgresStore } from '../../core/cluster/postgres-store.ts';
import { deviceIdOfKey, type Auth } from '../auth.ts';
import type { SseHub } from '../sse-hub.ts';

/**
 * Brings this node in line with the credentials in the database, after another node rotated the
 * token or signed a device out: the old token stops working here, and the event streams of a
 * device that is no longer signed in end (its requests already fail: devices are looked up per request).
 */
export async function applySharedCredentials(store: PostgresStore, auth: Auth, hub: SseHub): Promise<void> {
  const { token, deviceIds } = await store.sharedCredentials();
  if (auth.adopt(token)) console.log('vibes: the cluster token was rotated on another node: the old one is refused here too');
  const signedIn = new Set(deviceIds);
  hub.closeStreams((key) => {
    const deviceId = deviceIdOfKey(key);
    return deviceId !== null && !signedIn.has(deviceId);
  });
}
