import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AttachmentStore, SessionLifecycle, SessionManager, type AgentFactory } from '../core/index.ts';
import { Auth, deviceIdOfKey, deviceKey, type Credentials } from './auth.ts';
import type { ServerConfig } from './config.ts';
import { DeviceSessions, PairingCodes } from './devices.ts';
import { Notifier } from './notify/notifier.ts';
import { Presence, Watching } from './presence.ts';
import { loadOrCreateVapidKeys } from './vapid.ts';
import { SignInThrottle } from './sign-in-throttle.ts';
import { SseHub } from './sse-hub.ts';
import type { SessionView } from './cluster/session-view.ts';
import { openTopology } from './open-topology.ts';
import { applyRetention, type Topology } from './topology.ts';

/**
 * Everything the long-lived server holds, created once before Next is prepared. Its parts are
 * handed to what uses them (the hub gets the bus, the guard the auth); the whole reaches only the
 * request handlers, through the one bridge Next needs (runtime-accessor.ts) or as an argument
 * from the custom server.
 */
export interface Runtime {
  readonly config: ServerConfig;
  readonly topology: Topology;
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
  /** Ends the sessions, leaves the cluster (if any) and closes the store. */
  dispose(): Promise<void>;
}

export async function createRuntime(
  config: ServerConfig,
  agentFactory: AgentFactory,
  credentials: Credentials,
  version: string,
): Promise<Runtime> {
  const topology = await openTopology(config, credentials);
  const { store, bus } = topology;
  const devices = await DeviceSessions.open({ store: topology.devices, idleSeconds: Math.round(config.deviceIdleDays * 86_400) });
  await devices.sweep();
  const auth = new Auth({
    home: config.home,
    ...topology.credentials,
    devices,
    ...(topology.saveToken ? { saveShared: topology.saveToken } : {}),
  });
  const pairingCodes = new PairingCodes({ ttlSeconds: config.pairingCodeTtlSeconds });
  const attachments = new AttachmentStore(join(config.home, 'attachments'));
  // A session's attachments go with it when retention deletes it (also at start, as the store's retention runs there).
  const pruneAttachments = () =>
    attachments
      .prune(async (sessionId) => manager.find(sessionId) !== undefined || (await store.getSession(sessionId)) !== undefined)
      .catch((error: unknown) => console.error('vibes: deleting old attachments failed:', error));
  const manager = new SessionManager({
    bus,
    attachments,
    agentFactory,
    maxSessions: config.maxSessions,
    store,
    delivery: 'tick',
    allowBypass: config.allowBypass,
    node: topology.node,
    trackWork: true,
    // Its token and database are no session's changes, even when a session works in a folder above it.
    hiddenFromWork: [resolve(config.home), realpathOr(config.home)],
  });
  if (config.retentionDays > 0) await pruneAttachments();
  const lifecycle = new SessionLifecycle(manager);
  const presence = new Presence({
    graceMs: config.disconnectGraceMs,
    onStreamsChanged: () => topology.streamsChanged(),
    onGone: (clientId) => {
      lifecycle.clientGone(clientId).catch((error: unknown) => {
        console.error(`vibes: cleaning up after client ${clientId} failed:`, error);
      });
    },
  });
  const sessions = topology.sessions({ manager, presence });
  const hub = new SseHub({
    bus,
    sessions,
    presence,
    maxClients: config.maxEventClients,
    maxClientsPerDevice: config.maxEventClientsPerDevice,
    clientBufferBytes: config.clientBufferBytes,
    clientStallMs: config.clientStallMs,
    pingMs: config.pingMs,
    allowBypass: config.allowBypass,
    demoDefault: config.demo,
  });
  topology.connect({ auth, hub });
  const watching = new Watching((clientId) => presence.isStreaming(clientId));
  const vapid = loadOrCreateVapidKeys(config.home);
  const notifier = new Notifier({
    bus: topology.notifications,
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
    topology.credentialsChanged();
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
    await topology.stop();
  };
  return {
    config,
    topology,
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

/** The folder's real path (links resolved), or the folder as given when it cannot be resolved. */
function realpathOr(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return resolve(folder);
  }
}
