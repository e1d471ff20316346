import type { PostgresStore } from '../../core/cluster/postgres-store.ts';
import { deviceIdOfKey, type Auth } from '../auth.ts';
import type { SseHub } from '../sse-hub.ts';
import type { RedisChannels } from './channels.ts';
import { errorMessage } from '../../protocol/text.ts';

const CHANNEL = 'credentials';

/**
 * Keeps every node on the cluster's credentials: a node that revoked a device or rotated the
 * token says so (nothing secret is sent), and the others re-read the token and the devices still
 * signed in from the database: the old token stops working there too, and the event streams of
 * a device no longer signed in end (its requests already fail: devices are looked up per request).
 * Also re-read at every heartbeat, in case the word was lost.
 */
export class CredentialSync {
  readonly #node: string;
  readonly #channels: RedisChannels;
  readonly #store: PostgresStore;
  #parts: { auth: Auth; hub: SseHub } | null = null;
  #stopped = false;

  constructor(node: string, channels: RedisChannels, store: PostgresStore) {
    this.#node = node;
    this.#channels = channels;
    this.#store = store;
    channels.listen(CHANNEL, (from) => {
      if (from !== this.#node) this.check();
    });
  }

  /** What a change is applied to: set once they exist. */
  connect(parts: { auth: Auth; hub: SseHub }): void {
    this.#parts = parts;
  }

  /** This node revoked a device or rotated the token: the others check theirs now. */
  changed(): void {
    if (!this.#stopped) void this.#channels.publish(CHANNEL, this.#node);
  }

  check(): void {
    if (this.#stopped || !this.#parts) return;
    this.#apply(this.#parts).catch((error: unknown) => {
      // The database may be away for a moment: the next heartbeat tries again.
      console.error(`vibes: checking the cluster's credentials failed: ${errorMessage(error)}`);
    });
  }

  stop(): void {
    this.#stopped = true;
  }

  async #apply({ auth, hub }: { auth: Auth; hub: SseHub }): Promise<void> {
    const { token, deviceIds } = await this.#store.sharedCredentials();
    if (auth.adopt(token)) console.log('vibes: the cluster token was rotated on another node: the old one is refused here too');
    const signedIn = new Set(deviceIds);
    hub.closeStreams((key) => {
      const deviceId = deviceIdOfKey(key);
      return deviceId !== null && !signedIn.has(deviceId);
    });
  }
}
