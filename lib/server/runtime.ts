import { join } from 'node:path';
import {
  EventBus,
  MemoryStore,
  SessionLifecycle,
  SessionManager,
  type AgentFactory,
  type CoreEvent,
  type SessionStore,
} from '../core/index.ts';
import { MemoryDeviceStore } from '../core/devices.ts';
import { SqliteStore } from '../core/sqlite-store.ts';
import { Auth } from './auth.ts';
import type { ServerConfig } from './config.ts';
import { DeviceSessions, PairingCodes } from './devices.ts';
import { Notifier } from './notifier.ts';
import { Presence, Watching } from './presence.ts';
import { loadOrCreateVapidKeys } from './vapid.ts';
import { SignInThrottle } from './sign-in-throttle.ts';
import { SseHub } from './sse-hub.ts';

const RETENTION_SWEEP_MS = 3600_000;

/** Everything the long-lived server holds; created once, before Next is prepared. */
export interface Runtime {
  readonly config: ServerConfig;
  readonly bus: EventBus<CoreEvent>;
  readonly store: SessionStore;
  readonly manager: SessionManager;
  readonly lifecycle: SessionLifecycle;
  readonly presence: Presence;
  readonly hub: SseHub;
  readonly auth: Auth;
  readonly pairingCodes: PairingCodes;
  readonly signInThrottle: SignInThrottle;
  /** Which pages show which session, visibly: those sessions get no notification. */
  readonly watching: Watching;
  readonly notifier: Notifier;
  readonly vapidPublicKey: string;
  readonly version: string;
  /** The port actually listened on, known once listening (with `--port 0` it differs from the config's). */
  port: number;
  /** Milliseconds since the epoch. */
  readonly startedAt: number;
  /** Ends the sessions and closes the store. */
  dispose(): Promise<void>;
}

export function createRuntime(
  config: ServerConfig,
  agentFactory: AgentFactory,
  credentials: { token: string; fromEnv: boolean },
  version: string,
): Runtime {
  const store = openStore(config);
  const devices = new DeviceSessions({
    store: store instanceof SqliteStore ? store.devices : new MemoryDeviceStore(),
    idleSeconds: Math.round(config.deviceIdleDays * 86_400),
  });
  devices.sweep();
  const auth = new Auth({ home: config.home, ...credentials, devices });
  const pairingCodes = new PairingCodes({ ttlSeconds: config.pairingCodeTtlSeconds });
  const bus = new EventBus<CoreEvent>({ ringSize: config.replayRingSize });
  const manager = new SessionManager({
    bus,
    agentFactory,
    maxSessions: config.maxSessions,
    store,
    delivery: 'tick',
    allowBypass: config.allowBypass,
  });
  const lifecycle = new SessionLifecycle(manager);
  const presence = new Presence({
    graceMs: config.disconnectGraceMs,
    onGone: (clientId) => {
      lifecycle.clientGone(clientId).catch((error: unknown) => {
        console.error(`vibes: cleaning up after client ${clientId} failed:`, error);
      });
    },
  });
  const hub = new SseHub({
    bus,
    manager,
    presence,
    maxClients: config.maxEventClients,
    clientBufferBytes: config.clientBufferBytes,
    clientStallMs: config.clientStallMs,
    pingMs: config.pingMs,
    allowBypass: config.allowBypass,
    demoDefault: config.demo,
  });
  const watching = new Watching((clientId) => presence.isStreaming(clientId));
  const vapid = loadOrCreateVapidKeys(config.home);
  const notifier = new Notifier({
    bus,
    devices: devices.store,
    vapid,
    vapidSubject: config.vapidSubject,
    turnThresholdMs: config.notifyTurnSeconds * 1000,
    isWatched: (sessionId) => watching.isWatched(sessionId),
    ...(config.notifyUrl ? { webhook: { url: config.notifyUrl, format: config.notifyFormat, publicUrl: config.publicUrl } } : {}),
  });
  notifier.start();
  // A revoked device, or every one after a rotation, loses its event streams at once.
  devices.onRevoked((deviceId) => hub.closeStreams((key) => (deviceId === null ? key !== 'token' : key === `device:${deviceId}`)));
  auth.onRotated(() => {
    pairingCodes.clear();
    hub.closeStreams(() => true);
  });
  const sweep = setInterval(() => {
    if (config.retentionDays > 0) applyRetention(store, config.retentionDays);
    devices.sweep();
  }, RETENTION_SWEEP_MS);
  sweep.unref();
  const dispose = async () => {
    clearInterval(sweep);
    await manager.shutdown();
    notifier.stop();
    await notifier.settled();
    store.close();
  };
  return {
    config,
    bus,
    store,
    manager,
    lifecycle,
    presence,
    hub,
    auth,
    pairingCodes,
    signInThrottle: new SignInThrottle(),
    watching,
    notifier,
    vapidPublicKey: vapid.publicKey,
    version,
    port: config.port,
    startedAt: Date.now(),
    dispose,
  };
}

/** Opens the store; sessions it holds as live were cut off when the server went away, so they end now. */
function openStore(config: ServerConfig): SessionStore {
  const store =
    config.store === 'memory'
      ? new MemoryStore()
      : new SqliteStore(join(config.home, 'vibes.db'), { maxBytes: config.maxDatabaseMb * 1024 * 1024 });
  const ended = store.endAllLive('server_restarted', Math.floor(Date.now() / 1000));
  if (ended > 0)
    console.log(
      `vibes: ${ended} session${ended === 1 ? ' was' : 's were'} cut off by the last stop; they are in the history and can be resumed`,
    );
  if (config.retentionDays > 0) applyRetention(store, config.retentionDays);
  return store;
}

function applyRetention(store: SessionStore, days: number): void {
  try {
    const deleted = store.deleteEndedBefore(Math.floor(Date.now() / 1000 - days * 86_400));
    if (deleted > 0) console.log(`vibes: deleted ${deleted} session${deleted === 1 ? '' : 's'} that ended over ${days} days ago`);
  } catch (error) {
    console.error('vibes: deleting old sessions failed:', error);
  }
}
