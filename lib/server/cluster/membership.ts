import type { CoreEvent, SessionManager } from '../../core/index.ts';
import type { PostgresStore } from '../../core/cluster/postgres-store.ts';
import type { StreamBus } from '../../core/cluster/stream-bus.ts';
import { type NodeInfo } from '../../protocol/index.ts';
import type { Presence } from '../presence.ts';
import type { RedisChannels } from './channels.ts';
import { ClusterDirectory, type SessionPresence, type StreamPosition } from './directory.ts';
import { errorMessage } from '../../protocol/text.ts';

export interface MembershipOptions {
  node: string;
  channels: RedisChannels;
  store: PostgresStore;
  bus: StreamBus<CoreEvent>;
  manager: SessionManager;
  presence: Presence;
  heartbeatMs: number;
  /** A node not heard from for this long is lost: its sessions end as `node_lost`. */
  lostMs: number;
  /** Also run at every heartbeat. */
  onHeartbeat?: () => void;
}

const CHANNEL = 'nodes';

interface Heartbeat {
  node: string;
  url: string;
  started_at: number;
  streams: string[];
  sessions: SessionPresence[];
  /** How far the node had read the event stream when it wrote this: its sessions are as of then. */
  seen?: StreamPosition;
  /** The node is stopping cleanly: forget it now. */
  leaving?: boolean;
}

interface Heard {
  url: string;
  startedAt: number;
  /** Milliseconds, by our clock. */
  at: number;
}

/**
 * Which nodes are in the cluster: heartbeats with this node's streams and sessions, the other
 * nodes' presence and sessions (the directory), and `node_lost` for nodes that stop answering.
 */
export class Membership {
  readonly node: string;
  readonly directory: ClusterDirectory;
  readonly #options: MembershipOptions;
  readonly #heard = new Map<string, Heard>();
  readonly #lost = new Map<string, Heard>();
  #url = '';
  #startedAt = 0;
  #connectedSince: number | null = null;
  #timer: NodeJS.Timeout | null = null;
  #beatScheduled = false;
  #stopped = false;

  constructor(options: MembershipOptions) {
    this.#options = options;
    this.node = options.node;
    this.directory = new ClusterDirectory(options.node, options.manager);
    options.channels.listen(CHANNEL, (message) => this.#onHeartbeat(message));
    options.channels.onListening(
      () => {
        this.#connectedSince = Date.now();
        // After a Redis restart the others may have missed our streams: say them again now.
        this.beat();
      },
      () => (this.#connectedSince = null),
    );
    options.bus.subscribe((entry) => {
      const observed = entry as Parameters<ClusterDirectory['observe']>[0];
      const { event } = observed;
      // Another node found this session's node lost: so is it here, before any client hears of the end.
      if (event.type === 'session_removed' && event.reason === 'node_lost') {
        const node = this.directory.remoteNodeOf(event.session_id);
        if (node !== undefined && node !== observed.node) this.#markLost(node);
      }
      this.directory.observe(observed, options.bus.epoch);
    });
  }

  /**
   * Joins, once Redis is connected: this node's sessions cut off by its last stop are announced
   * as ended, the other nodes' live sessions are known from the store until their heartbeats arrive.
   */
  async start(url: string): Promise<void> {
    this.#url = url;
    this.#startedAt = Math.floor(Date.now() / 1000);
    this.#connectedSince = Date.now();
    for (const { node, session } of await this.#options.store.listLive()) {
      if (node === this.node) continue;
      this.directory.seed(node, session);
      // A node with live sessions that never beats again is lost like one that stops beating.
      if (!this.#heard.has(node)) this.#heard.set(node, { url: '', startedAt: 0, at: Date.now() });
    }
    for (const sessionId of this.#options.store.endedAtOpen)
      this.#options.bus.publish({ type: 'session_removed', session_id: sessionId, reason: 'node_lost' });
    this.beat();
    this.#timer = setInterval(() => {
      this.beat();
      this.#checkLost();
      this.#options.onHeartbeat?.();
    }, this.#options.heartbeatMs);
    this.#timer.unref();
  }

  /** Tells the others what this node streams and runs; soon, once per tick however often asked. */
  beat(): void {
    if (this.#beatScheduled || this.#url === '') return;
    this.#beatScheduled = true;
    setImmediate(() => {
      this.#beatScheduled = false;
      if (!this.#stopped) void this.#options.channels.publish(CHANNEL, JSON.stringify(this.#heartbeat(false)));
    });
  }

  /** Before the store closes: the others forget this node's sessions at once. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#url === '') return;
    // The manager has ended them (stored as server_stopped); every other node's dashboards drop
    // them now (this node's own streams were closed first, as on one machine).
    for (const session of this.#options.manager.list()) {
      this.#options.bus.publish({ type: 'session_removed', session_id: session.id, reason: 'server_stopped' });
    }
    await this.#options.channels.publish(CHANNEL, JSON.stringify(this.#heartbeat(true)));
  }

  nodes(): NodeInfo[] {
    const counts = this.directory.countByNode();
    const info = (name: string, heard: Heard, state: 'up' | 'lost'): NodeInfo => ({
      name,
      url: heard.url,
      state,
      self: name === this.node,
      sessions: state === 'up' ? (counts.get(name) ?? 0) : 0,
      started_at: heard.startedAt,
      last_seen_at: Math.floor(heard.at / 1000),
    });
    return [
      info(this.node, { url: this.#url, startedAt: this.#startedAt, at: Date.now() }, 'up'),
      ...[...this.#heard].map(([name, heard]) => info(name, heard, 'up')),
      ...[...this.#lost].map(([name, heard]) => info(name, heard, 'lost')),
    ].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The address of a node that is up, or undefined. */
  urlOf(node: string): string | undefined {
    if (node === this.node) return this.#url;
    const url = this.#heard.get(node)?.url;
    return url === '' ? undefined : url;
  }

  #heartbeat(leaving: boolean): Heartbeat {
    return {
      node: this.node,
      url: this.#url,
      started_at: this.#startedAt,
      streams: this.#options.presence.localStreams(),
      sessions: this.#options.manager.list().map((session) => ({ id: session.id, subscribers: [...session.ownership.subscriberIds] })),
      seen: { epoch: this.#options.bus.epoch, seq: this.#options.bus.lastSeq },
      ...(leaving ? { leaving } : {}),
    };
  }

  #onHeartbeat(message: string): void {
    let heartbeat: Heartbeat;
    try {
      heartbeat = JSON.parse(message) as Heartbeat;
    } catch {
      return;
    }
    if (heartbeat.node === this.node || this.#stopped) return;
    if (heartbeat.leaving) {
      this.#heard.delete(heartbeat.node);
      this.#options.presence.setRemoteStreams(heartbeat.node, new Set());
      this.directory.dropNode(heartbeat.node);
      return;
    }
    this.#lost.delete(heartbeat.node);
    this.#heard.set(heartbeat.node, { url: heartbeat.url, startedAt: heartbeat.started_at, at: Date.now() });
    this.#options.presence.setRemoteStreams(heartbeat.node, new Set(heartbeat.streams));
    this.directory.reconcile(heartbeat.node, heartbeat.sessions, heartbeat.seen);
  }

  #checkLost(): void {
    const now = Date.now();
    // Without Redis we hear nobody: that says nothing about the others.
    if (this.#connectedSince === null || now - this.#connectedSince < this.#options.lostMs) return;
    for (const [node, heard] of this.#heard) {
      if (now - heard.at <= this.#options.lostMs) continue;
      this.#markLost(node);
      // The first node to notice ends them in the store (one UPDATE) and tells everyone.
      this.#options.store.endLiveOf(node, 'node_lost', Math.floor(now / 1000)).then(
        (ended) => {
          for (const sessionId of ended) this.#options.bus.publish({ type: 'session_removed', session_id: sessionId, reason: 'node_lost' });
          console.log(`vibes: node ${node} stopped answering; ${ended.length} of its session${ended.length === 1 ? '' : 's'} ended`);
        },
        (error: unknown) => console.error(`vibes: ending the sessions of lost node ${node} failed: ${errorMessage(error)}`),
      );
    }
  }

  /** A node listed lost before its sessions' end is published or passed on: no client sees one without the other. */
  #markLost(node: string): void {
    const heard = this.#heard.get(node);
    if (!heard) return;
    this.#heard.delete(node);
    this.#lost.set(node, heard);
    this.#options.presence.setRemoteStreams(node, new Set());
  }
}
