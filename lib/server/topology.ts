import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { EventBus, sessionStateKey, VibesError, type Bus, type CoreEvent, type SessionManager, type SessionStore } from '../core/index.ts';
import type { DeviceStore } from '../core/devices.ts';
import type { CreateSessionBody, NodeListResponse, RouteResponse } from '../protocol/index.ts';
import type { Auth, Credentials, Principal } from './auth.ts';
import { managerView, type SessionView } from './cluster/session-view.ts';
import type { ServerConfig } from './config.ts';
import type { Presence } from './presence.ts';
import type { SseHub } from './sse-hub.ts';

/**
 * What differs between one machine and a cluster of them, chosen once at start (`openTopology`):
 * where sessions, transcripts and devices are kept, how events travel, which token is accepted,
 * which sessions clients see, and where a request about a session is answered. Nothing else in
 * the server asks whether it runs in a cluster (see open-topology.ts).
 */
export interface Topology {
  /** This node's name in a cluster; null on one machine. */
  readonly node: string | null;
  readonly store: SessionStore;
  readonly devices: DeviceStore;
  readonly bus: Bus<CoreEvent>;
  /** The token this server accepts: in a cluster, the one every node shares. */
  readonly credentials: Credentials;
  /** Where a rotation puts the new token before anything changes here (a cluster's database). */
  readonly saveToken: ((token: string) => Promise<void>) | undefined;
  /** What a cluster node says at start about where it belongs (secrets redacted); null on one machine. */
  readonly description: string | null;
  /** The events notifications come from: in a cluster, each session's node notifies for it, once. */
  readonly notifications: Bus<CoreEvent>;
  /** The live sessions clients see, once the manager exists: this server's, or every node's. */
  sessions(parts: { manager: SessionManager; presence: Presence }): SessionView;
  /** The parts that act on what other nodes change (credentials, a reset event stream). */
  connect(parts: { auth: Auth; hub: SseHub }): void;
  /** Once listening at `url` (the server's own): a cluster node joins. */
  start(url: string): Promise<void>;
  /** This server's event streams changed: a cluster tells the other nodes. */
  streamsChanged(): void;
  /** A device was revoked or the token rotated here: a cluster tells the other nodes. */
  credentialsChanged(): void;
  /** Answers a request about a session another node runs, for the principal who asked; false when it is answered here. */
  forward(req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal): boolean;
  createSession(
    node: string,
    body: Omit<CreateSessionBody, 'node'>,
    clientId: string,
    principal: Principal,
  ): Promise<RouteResponse<'createSession'>>;
  nodes(): NodeListResponse;
  /** After the sessions ended: leaves the cluster, then closes the store. */
  stop(): Promise<void>;
}

/** The store at start: sessions it holds as live were cut off when the server went away, so they end now. */
export async function settleStore(store: SessionStore, config: ServerConfig): Promise<void> {
  const ended = await store.endAllLive('server_restarted', Math.floor(Date.now() / 1000));
  if (ended > 0)
    console.log(
      `vibes: ${ended} session${ended === 1 ? ' was' : 's were'} cut off by the last stop; they are in the history and can be resumed`,
    );
  if (config.retentionDays > 0) await applyRetention(store, config.retentionDays);
}

export async function applyRetention(store: SessionStore, days: number): Promise<void> {
  try {
    const deleted = await store.deleteEndedBefore(Math.floor(Date.now() / 1000 - days * 86_400));
    if (deleted > 0) console.log(`vibes: deleted ${deleted} session${deleted === 1 ? '' : 's'} that ended over ${days} days ago`);
  } catch (error) {
    console.error('vibes: deleting old sessions failed:', error);
  }
}

/** One machine: SQLite (or memory), an in-process bus, every session answered here. */
export class SingleMachine implements Topology {
  readonly node = null;
  readonly bus: Bus<CoreEvent>;
  readonly saveToken = undefined;
  readonly description = null;
  readonly #startedAt = Math.floor(Date.now() / 1000);
  #manager: SessionManager | null = null;
  #url = '';

  constructor(
    readonly store: SessionStore,
    readonly devices: DeviceStore,
    config: ServerConfig,
    readonly credentials: Credentials,
  ) {
    this.bus = new EventBus<CoreEvent>({ ringSize: config.replayRingSize, supersedeKey: sessionStateKey });
  }

  get notifications(): Bus<CoreEvent> {
    return this.bus;
  }

  sessions({ manager }: { manager: SessionManager }): SessionView {
    this.#manager = manager;
    return managerView(manager);
  }

  connect(): void {}

  async start(url: string): Promise<void> {
    this.#url = url;
  }

  streamsChanged(): void {}

  credentialsChanged(): void {}

  forward(): boolean {
    return false;
  }

  async createSession(): Promise<never> {
    throw new VibesError('VALIDATION_FAILED', 'This server is not part of a cluster: leave out node');
  }

  nodes(): NodeListResponse {
    const node = {
      name: hostname(),
      url: this.#url,
      state: 'up' as const,
      self: true,
      sessions: this.#manager?.list().length ?? 0,
      started_at: this.#startedAt,
      last_seen_at: Math.floor(Date.now() / 1000),
    };
    return { cluster: false, nodes: [node] };
  }

  stop(): Promise<void> {
    return this.store.close();
  }
}
