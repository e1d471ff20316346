import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { sessionStateKey, type Bus, type CoreEvent, type SessionManager } from '../../core/index.ts';
import { PostgresStore } from '../../core/cluster/postgres-store.ts';
import { StreamBus } from '../../core/cluster/stream-bus.ts';
import { type CreateSessionBody, type NodeListResponse, type RouteResponse } from '../../protocol/index.ts';
import type { Auth, Credentials, Principal } from '../auth.ts';
import type { ServerConfig } from '../config.ts';
import type { Presence } from '../presence.ts';
import type { SseHub } from '../sse-hub.ts';
import { writeToken } from '../token.ts';
import { settleStore, type Topology } from '../topology.ts';
import { RedisChannels } from './channels.ts';
import { CredentialSync } from './credential-sync.ts';
import type { SessionNote } from './directory.ts';
import { Forwarding } from './forwarding.ts';
import { Membership } from './membership.ts';
import { ownEntries, type SessionView } from './session-view.ts';
import { errorMessage } from '../../protocol/text.ts';

/** How long a stopping node waits to read back its last events (Redis may be gone). */
const SETTLE_ON_STOP_MS = 3000;

/**
 * A node of a cluster: PostgreSQL keeps what every node shares (sessions, transcripts, devices,
 * the token), Redis carries events, heartbeats and word of changed credentials. Made of its
 * membership (who is up, whose sessions), forwarding (requests about another node's sessions)
 * and credential sync (the token and devices every node accepts).
 */
export async function openClusterNode(config: ServerConfig, credentials: Credentials): Promise<ClusterNode> {
  const store = await PostgresStore.open({ url: config.databaseUrl!, node: config.nodeName ?? hostname() });
  try {
    const shared = await joinCluster(store, credentials, config.home);
    await settleStore(store, config);
    return new ClusterNode(store, shared, config);
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * A node takes the cluster's token from the database (the first node puts its own there), so
 * every node accepts the same CLI and pairing. A node given a different VIBES_TOKEN refuses to join.
 */
async function joinCluster(store: PostgresStore, credentials: Credentials, home: string): Promise<Credentials> {
  const token = await store.clusterToken(credentials.token);
  if (token === credentials.token) return credentials;
  if (credentials.fromEnv) {
    throw new Error("this node's VIBES_TOKEN is not the cluster's token: refusing to join (unset it to take the cluster's)");
  }
  // The CLI on this machine reads the token file: it gets the cluster's too.
  writeToken(home, token);
  return { token, fromEnv: false };
}

class ClusterNode implements Topology {
  readonly node: string;
  readonly bus: StreamBus<CoreEvent>;
  readonly notifications: Bus<CoreEvent>;
  readonly description: string;
  readonly saveToken: (token: string) => Promise<void>;
  readonly #config: ServerConfig;
  readonly #channels: RedisChannels;
  readonly #credentialSync: CredentialSync;
  #membership: Membership | null = null;
  #forwarding: Forwarding | null = null;
  #manager: SessionManager | null = null;
  #hub: SseHub | null = null;

  constructor(
    readonly store: PostgresStore,
    readonly credentials: Credentials,
    config: ServerConfig,
  ) {
    this.#config = config;
    this.node = store.node;
    this.description = `cluster node ${this.node} (redis ${redactUrl(config.redisUrl!)}, postgres ${redactUrl(config.databaseUrl!)})`;
    this.saveToken = (token) => store.replaceClusterToken(token);
    this.bus = new StreamBus<CoreEvent>({
      url: config.redisUrl!,
      node: this.node,
      ringSize: config.replayRingSize,
      supersedeKey: sessionStateKey,
      prefix: config.redisPrefix,
      annotate: (event): SessionNote | null =>
        event.type === 'session_updated'
          ? { subscribers: [...(this.#manager?.find(event.session.id)?.ownership.subscriberIds ?? [])] }
          : null,
      // Redis lost the stream (restart) or a reader fell behind it: every client resyncs.
      onReset: () => this.#hub?.closeStreams(() => true),
      onError: (error) => console.error(`vibes: the event stream failed: ${errorMessage(error)}`),
    });
    this.notifications = ownEntries(this.bus, this.node);
    this.#channels = new RedisChannels(config.redisUrl!, config.redisPrefix);
    this.#credentialSync = new CredentialSync(this.node, this.#channels, store);
  }

  get devices() {
    return this.store.devices;
  }

  sessions({ manager, presence }: { manager: SessionManager; presence: Presence }): SessionView {
    this.#manager = manager;
    const membership = new Membership({
      node: this.node,
      channels: this.#channels,
      store: this.store,
      bus: this.bus,
      manager,
      presence,
      heartbeatMs: this.#config.heartbeatMs,
      lostMs: this.#config.nodeLostMs,
      onHeartbeat: () => this.#credentialSync.check(),
    });
    this.#membership = membership;
    return membership.directory;
  }

  connect(parts: { auth: Auth; hub: SseHub }): void {
    this.#hub = parts.hub;
    this.#credentialSync.connect(parts);
    this.#forwarding = new Forwarding({
      membership: this.#joined(),
      token: () => parts.auth.token,
      timeoutMs: this.#config.forwardTimeoutMs,
    });
  }

  async start(url: string): Promise<void> {
    await this.bus.start();
    await this.#channels.connect();
    await this.#joined().start(url);
  }

  streamsChanged(): void {
    this.#membership?.beat();
  }

  credentialsChanged(): void {
    this.#credentialSync.changed();
  }

  forward(req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal): boolean {
    return this.#forwarding?.forward(req, res, url, principal) ?? false;
  }

  createSession(
    node: string,
    body: Omit<CreateSessionBody, 'node'>,
    clientId: string,
    principal: Principal,
  ): Promise<RouteResponse<'createSession'>> {
    return this.#forwarding!.createSession(node, body, clientId, principal);
  }

  nodes(): NodeListResponse {
    return { cluster: true, nodes: this.#joined().nodes() };
  }

  async stop(): Promise<void> {
    // This node's clients see what they see on one machine: their sessions finished, then the
    // end of the stream. Only the other nodes hear (below) that the sessions left with the node.
    await this.bus.settled(SETTLE_ON_STOP_MS);
    this.#hub?.stop();
    this.#credentialSync.stop();
    await this.#membership?.stop();
    await this.#channels.close();
    await this.bus.stop();
    await this.store.close();
  }

  #joined(): Membership {
    if (!this.#membership) throw new Error('the cluster node has no sessions yet: call sessions() first');
    return this.#membership;
  }
}

/** A URL fit for a log line: the password (and user) replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username !== '') parsed.username = '***';
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
