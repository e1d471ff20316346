import { realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AttachmentStore,
  type Bus,
  EventBus,
  sessionStateKey,
  MemoryStore,
  SessionLifecycle,
  SessionManager,
  type AgentFactory,
  type CoreEvent,
  type SessionStore,
} from '../core/index.ts';
import { MemoryDeviceStore } from '../core/devices.ts';
import { SqliteStore } from '../core/sqlite-store.ts';
import type { PostgresStore } from '../core/cluster/postgres-store.ts';
import { Auth, deviceIdOfKey, deviceKey } from './auth.ts';
import type { Cluster } from './cluster/cluster.ts';
import { applySharedCredentials } from './cluster/shared-credentials.ts';
import type { SessionNote } from './cluster/directory.ts';
import { managerView, ownEntries, type SessionView } from './cluster/session-view.ts';
import type { ServerConfig } from './config.ts';
import { DeviceSessions, PairingCodes } from './devices.ts';
import { Notifier } from './notifier.ts';
import { Presence, Watching } from './presence.ts';
import { loadOrCreateVapidKeys } from './vapid.ts';
import { SignInThrottle } from './sign-in-throttle.ts';
import { SseHub } from './sse-hub.ts';
import { writeToken } from './token.ts';

/** How long a stopping node waits to read back its last events (Redis may be gone). */
const SETTLE_ON_STOP_MS = 3000;

/** Everything the long-lived server holds; created once, before Next is prepared. */
export interface Runtime {
  readonly config: ServerConfig;
  readonly bus: Bus<CoreEvent>;
  readonly store: SessionStore;
  /** Set in cluster mode (VIBES_REDIS_URL and VIBES_DATABASE_URL). */
  readonly cluster: Cluster | undefined;
  /** The live sessions clients see: this server's, or every node's in a cluster. */
  readonly sessions: SessionView;
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

export async function createRuntime(
  config: ServerConfig,
  agentFactory: AgentFactory,
  credentials: { token: string; fromEnv: boolean },
  version: string,
): Promise<Runtime> {
  const parts = config.databaseUrl ? await loadClusterParts() : null;
  const store = await openStore(config, parts);
  const shared = parts && store instanceof parts.PostgresStore ? store : null;
  if (shared) credentials = await joinCluster(shared, credentials, config.home);
  const devices = await DeviceSessions.open({
    store: store instanceof SqliteStore ? store.devices : shared ? shared.devices : new MemoryDeviceStore(),
    idleSeconds: Math.round(config.deviceIdleDays * 86_400),
  });
  await devices.sweep();
  const auth = new Auth({
    home: config.home,
    ...credentials,
    devices,
    ...(shared ? { saveShared: (token: string) => shared.replaceClusterToken(token) } : {}),
  });
  const pairingCodes = new PairingCodes({ ttlSeconds: config.pairingCodeTtlSeconds });
  // The bus is made before the hub it resets.
  const hubHolder: { hub?: SseHub } = {};
  const bus: Bus<CoreEvent> =
    parts && shared
      ? new parts.StreamBus<CoreEvent>({
          url: config.redisUrl!,
          node: shared.node,
          ringSize: config.replayRingSize,
          supersedeKey: sessionStateKey,
          prefix: config.redisPrefix,
          annotate: (event): SessionNote | null =>
            event.type === 'session_updated' ? { subscribers: [...(manager.find(event.session.id)?.ownership.subscriberIds ?? [])] } : null,
          // Redis lost the stream (restart) or a reader fell behind it: every client resyncs.
          onReset: () => hubHolder.hub?.closeStreams(() => true),
          onError: (error) => console.error(`vibes: the event stream failed: ${error instanceof Error ? error.message : String(error)}`),
        })
      : new EventBus<CoreEvent>({ ringSize: config.replayRingSize, supersedeKey: sessionStateKey });
  const attachments = new AttachmentStore(join(config.home, 'attachments'));
  // A session's attachments go with it when retention deletes it (also at start, as the store's retention runs there).
  const pruneAttachments = async () => {
    try {
      await attachments.prune(
        async (sessionId) => manager.find(sessionId) !== undefined || (await store.getSession(sessionId)) !== undefined,
      );
    } catch (error) {
      console.error('vibes: deleting old attachments failed:', error);
    }
  };
  const manager = new SessionManager({
    bus,
    attachments,
    agentFactory,
    maxSessions: config.maxSessions,
    store,
    delivery: 'tick',
    allowBypass: config.allowBypass,
    node: shared ? shared.node : null,
    trackWork: true,
    // Its token and database are no session's changes, even when a session works in a folder above it.
    hiddenFromWork: [resolve(config.home), realpathOr(config.home)],
  });
  if (config.retentionDays > 0) await pruneAttachments();
  const lifecycle = new SessionLifecycle(manager);
  let cluster: Cluster | undefined;
  const presence = new Presence({
    graceMs: config.disconnectGraceMs,
    onStreamsChanged: () => cluster?.beat(),
    onGone: (clientId) => {
      lifecycle.clientGone(clientId).catch((error: unknown) => {
        console.error(`vibes: cleaning up after client ${clientId} failed:`, error);
      });
    },
  });
  if (parts && shared && bus instanceof parts.StreamBus) {
    cluster = new parts.Cluster({
      node: shared.node,
      redisUrl: config.redisUrl!,
      store: shared,
      bus,
      manager,
      presence,
      token: () => auth.token,
      checkCredentials: (): Promise<void> => applySharedCredentials(shared, auth, hub),
      heartbeatMs: config.heartbeatMs,
      lostMs: config.nodeLostMs,
      forwardTimeoutMs: config.forwardTimeoutMs,
      prefix: config.redisPrefix,
    });
  }
  const sessions = cluster?.directory ?? managerView(manager);
  const hub = (hubHolder.hub = new SseHub({
    bus,
    sessions,
    manager,
    presence,
    maxClients: config.maxEventClients,
    maxClientsPerDevice: config.maxEventClientsPerDevice,
    clientBufferBytes: config.clientBufferBytes,
    clientStallMs: config.clientStallMs,
    pingMs: config.pingMs,
    allowBypass: config.allowBypass,
    demoDefault: config.demo,
  }));
  const watching = new Watching((clientId) => presence.isStreaming(clientId));
  const vapid = loadOrCreateVapidKeys(config.home);
  const notifier = new Notifier({
    // In a cluster each session's node notifies for it, once.
    bus: cluster ? ownEntries(bus, cluster.node) : bus,
    devices: devices.store,
    vapid,
    vapidSubject: config.vapidSubject,
    turnThresholdMs: config.notifyTurnSeconds * 1000,
    isWatched: (sessionId) => watching.isWatched(sessionId),
    allowPrivatePush: config.pushAllowPrivate,
    ...(config.notifyUrl
      ? { webhook: { url: config.notifyUrl, format: config.notifyFormat, publicUrl: config.publicUrl, secret: config.notifySecret } }
      : {}),
  });
  notifier.start();
  // A revoked device, or every one after a rotation, loses its event streams at once.
  devices.onRevoked((deviceId) => {
    hub.closeStreams((key) => (deviceId === null ? key !== 'token' : key === deviceKey(deviceId)));
    // A code it asked for and nobody used yet dies with it.
    if (deviceId !== null) pairingCodes.forgetIssuedBy(new Set([deviceId]));
    // The other nodes close that device's streams too (a rotation tells them through this as well).
    cluster?.credentialsChanged();
  });
  auth.onRotated(() => {
    pairingCodes.clear();
    hub.closeStreams(() => true);
  });
  let sweeping: Promise<void> | null = null;
  const sweep = setInterval(() => {
    // One sweep at a time: a slow database does not pile them up.
    sweeping ??= (async () => {
      if (config.retentionDays > 0) {
        await applyRetention(store, config.retentionDays);
        await pruneAttachments();
      }
      await devices.sweep([...hub.openPrincipals()].flatMap((key) => deviceIdOfKey(key) ?? []));
    })()
      .catch((error: unknown) => console.error('vibes: the sweep failed:', error))
      .finally(() => (sweeping = null));
  }, config.sweepMs);
  sweep.unref();
  const dispose = async () => {
    clearInterval(sweep);
    await sweeping;
    await manager.shutdown();
    notifier.stop();
    await notifier.settled();
    if (cluster && parts && bus instanceof parts.StreamBus) {
      // This node's clients see what they see on one machine: their sessions finished, then the
      // end of the stream. Only the other nodes hear (below) that the sessions left with the node.
      await bus.settled(SETTLE_ON_STOP_MS);
      hub.stop();
    }
    await cluster?.stop();
    if (parts && bus instanceof parts.StreamBus) await bus.stop();
    await store.close();
  };
  return {
    config,
    bus,
    store,
    cluster,
    sessions,
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

type ClusterParts = Awaited<ReturnType<typeof loadClusterParts>>;

/** Only a cluster needs the PostgreSQL and Redis clients: a single machine never loads them. */
async function loadClusterParts() {
  const [{ PostgresStore }, { StreamBus }, { Cluster }] = await Promise.all([
    import('../core/cluster/postgres-store.ts'),
    import('../core/cluster/stream-bus.ts'),
    import('./cluster/cluster.ts'),
  ]);
  return { PostgresStore, StreamBus, Cluster };
}

/** Opens the store; sessions it holds as live were cut off when the server went away, so they end now. */
async function openStore(config: ServerConfig, parts: ClusterParts | null): Promise<SessionStore> {
  const store =
    parts && config.databaseUrl
      ? await parts.PostgresStore.open({ url: config.databaseUrl, node: config.nodeName ?? hostname() })
      : config.store === 'memory'
        ? new MemoryStore()
        : new SqliteStore(join(config.home, 'vibes.db'), { maxBytes: config.maxDatabaseMb * 1024 * 1024 });
  const ended = await store.endAllLive('server_restarted', Math.floor(Date.now() / 1000));
  if (ended > 0)
    console.log(
      `vibes: ${ended} session${ended === 1 ? ' was' : 's were'} cut off by the last stop; they are in the history and can be resumed`,
    );
  if (config.retentionDays > 0) await applyRetention(store, config.retentionDays);
  return store;
}

async function applyRetention(store: SessionStore, days: number): Promise<void> {
  try {
    const deleted = await store.deleteEndedBefore(Math.floor(Date.now() / 1000 - days * 86_400));
    if (deleted > 0) console.log(`vibes: deleted ${deleted} session${deleted === 1 ? '' : 's'} that ended over ${days} days ago`);
  } catch (error) {
    console.error('vibes: deleting old sessions failed:', error);
  }
}

/**
 * A node takes the cluster's token from the database (the first node puts its own there), so
 * every node accepts the same CLI and pairing. A node given a different VIBES_TOKEN refuses to join.
 */
async function joinCluster(
  store: PostgresStore,
  credentials: { token: string; fromEnv: boolean },
  home: string,
): Promise<{ token: string; fromEnv: boolean }> {
  const token = await store.clusterToken(credentials.token);
  if (token === credentials.token) return credentials;
  if (credentials.fromEnv) {
    await store.close();
    throw new Error("this node's VIBES_TOKEN is not the cluster's token: refusing to join (unset it to take the cluster's)");
  }
  // The CLI on this machine reads the token file: it gets the cluster's too.
  writeToken(home, token);
  return { token, fromEnv: false };
}

/** The folder's real path (links resolved), or the folder as given when it cannot be resolved. */
function realpathOr(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return resolve(folder);
  }
}
