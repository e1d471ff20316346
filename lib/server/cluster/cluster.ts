import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import type { CoreEvent, SessionManager } from '../../core/index.ts';
import type { PostgresStore } from '../../core/cluster/postgres-store.ts';
import type { StreamBus } from '../../core/cluster/stream-bus.ts';
import { CLIENT_ID_HEADER } from '../../protocol/index.ts';
import { sendError } from '../http-errors.ts';
import type { Presence } from '../presence.ts';
import { ClusterDirectory, type SessionPresence, type StreamPosition } from './directory.ts';

/** Marks a request one node sent another: it is answered where it lands, never sent on. */
export const FORWARDED_HEADER = 'x-vibes-forwarded-by';

export interface ClusterOptions {
  node: string;
  redisUrl: string;
  store: PostgresStore;
  bus: StreamBus<CoreEvent>;
  manager: SessionManager;
  presence: Presence;
  /** The cluster's token: what one node shows another. */
  token: () => string;
  heartbeatMs: number;
  /** A node not heard from for this long is lost: its sessions end as `node_lost`. */
  lostMs: number;
  forwardTimeoutMs: number;
  /**
   * Re-reads the shared credentials (token, signed-in devices): called when another node says
   * they changed, and on every heartbeat in case that word was lost.
   */
  checkCredentials?: () => Promise<void>;
  prefix?: string;
  clock?: () => number;
}

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

export interface NodeState {
  name: string;
  url: string;
  state: 'up' | 'lost';
  self: boolean;
  sessions: number;
  /** Unix seconds. */
  started_at: number;
  last_seen_at: number;
}

interface Heard {
  url: string;
  startedAt: number;
  /** Milliseconds, by our clock. */
  at: number;
}

/**
 * This node's part in a cluster: heartbeats with its streams and sessions, the other nodes'
 * presence, `node_lost` for nodes that stop answering, and requests for sessions that run
 * elsewhere sent on to their node.
 */
export class Cluster {
  readonly node: string;
  readonly directory: ClusterDirectory;
  readonly #options: ClusterOptions;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #credentialsChannel: string;
  readonly #heard = new Map<string, Heard>();
  readonly #lost = new Map<string, Heard & { lostAt: number }>();
  readonly #clock: () => number;
  #url = '';
  #startedAt = 0;
  #connectedSince: number | null = null;
  #timer: NodeJS.Timeout | null = null;
  #beatScheduled = false;
  #stopped = false;

  constructor(options: ClusterOptions) {
    this.#options = options;
    this.node = options.node;
    this.#clock = options.clock ?? Date.now;
    this.#channel = `${options.prefix ?? 'vibes:'}nodes`;
    this.#credentialsChannel = `${options.prefix ?? 'vibes:'}credentials`;
    this.directory = new ClusterDirectory(options.node, options.manager);
    const connection = { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => 250 } as const;
    this.#publisher = new Redis(options.redisUrl, connection);
    this.#subscriber = new Redis(options.redisUrl, connection);
    this.#publisher.on('error', () => undefined);
    this.#subscriber.on('error', () => undefined);
    this.#subscriber.on('ready', () => {
      this.#connectedSince = this.#clock();
      // After a Redis restart the others may have missed our streams: say them again now.
      this.beat();
    });
    this.#subscriber.on('close', () => (this.#connectedSince = null));
    this.#subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.#credentialsChannel) this.#onCredentialsChanged(message);
      else this.#onHeartbeat(message);
    });
    options.bus.subscribe((entry) => {
      const observed = entry as Parameters<ClusterDirectory['observe']>[0];
      const { event } = observed;
      // Another node found this session's node lost: so is it here, before any client hears of the end.
      if (event.type === 'session_removed' && event.reason === 'node_lost') {
        const node = this.directory.remoteNodeOf(event.session_id);
        if (node !== undefined && node !== observed.node) this.#markLost(node, this.#clock());
      }
      this.directory.observe(observed, options.bus.epoch);
    });
  }

  get url(): string {
    return this.#url;
  }

  /**
   * Joins: this node's sessions cut off by its last stop are announced as ended, the other
   * nodes' live sessions are known from the store until their heartbeats arrive.
   */
  async start(url: string): Promise<void> {
    this.#url = url;
    this.#startedAt = Math.floor(this.#clock() / 1000);
    await this.#options.bus.start();
    await Promise.all([this.#publisher.connect(), this.#subscriber.connect()]);
    await this.#subscriber.subscribe(this.#channel, this.#credentialsChannel);
    this.#connectedSince = this.#clock();
    for (const { node, session } of await this.#options.store.listLive()) {
      if (node === this.node) continue;
      this.directory.seed(node, session);
      // A node with live sessions that never beats again is lost like one that stops beating.
      if (!this.#heard.has(node)) this.#heard.set(node, { url: '', startedAt: 0, at: this.#clock() });
    }
    for (const sessionId of this.#options.store.endedAtOpen)
      this.#options.bus.publish({ type: 'session_removed', session_id: sessionId, reason: 'node_lost' });
    this.beat();
    this.#timer = setInterval(() => {
      this.beat();
      this.#checkLost();
      this.#checkCredentials();
    }, this.#options.heartbeatMs);
    this.#timer.unref();
  }

  /** Tells the others what this node streams and runs; soon, once per tick however often asked. */
  beat(): void {
    if (this.#beatScheduled || this.#url === '') return;
    this.#beatScheduled = true;
    setImmediate(() => {
      this.#beatScheduled = false;
      if (!this.#stopped) this.#publish(this.#heartbeat(false));
    });
  }

  /** Before the store closes: the others forget this node's sessions at once. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#url !== '') {
      // The manager has ended them (stored as server_stopped); every other node's dashboards drop
      // them now (this node's own streams were closed first, as on one machine).
      for (const session of this.#options.manager.list()) {
        this.#options.bus.publish({ type: 'session_removed', session_id: session.id, reason: 'server_stopped' });
      }
      await this.#publisher.publish(this.#channel, JSON.stringify(this.#heartbeat(true))).catch(() => undefined);
    }
    this.#subscriber.disconnect();
    await this.#publisher.quit().catch(() => this.#publisher.disconnect());
  }

  /** This node revoked a device or rotated the token: the others check theirs now. Nothing secret is sent. */
  credentialsChanged(): void {
    if (this.#stopped) return;
    this.#publisher.publish(this.#credentialsChannel, this.node).catch(() => undefined);
  }

  nodes(): NodeState[] {
    const counts = this.directory.countByNode();
    const now = this.#clock();
    const up: NodeState[] = [...this.#heard].map(([name, heard]) => ({
      name,
      url: heard.url,
      state: 'up',
      self: false,
      sessions: counts.get(name) ?? 0,
      started_at: heard.startedAt,
      last_seen_at: Math.floor(heard.at / 1000),
    }));
    const lost: NodeState[] = [...this.#lost].map(([name, heard]) => ({
      name,
      url: heard.url,
      state: 'lost',
      self: false,
      sessions: 0,
      started_at: heard.startedAt,
      last_seen_at: Math.floor(heard.at / 1000),
    }));
    const self: NodeState = {
      name: this.node,
      url: this.#url,
      state: 'up',
      self: true,
      sessions: counts.get(this.node) ?? 0,
      started_at: this.#startedAt,
      last_seen_at: Math.floor(now / 1000),
    };
    return [self, ...up, ...lost].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The address of a node that is up, or undefined. */
  urlOf(node: string): string | undefined {
    if (node === this.node) return this.#url;
    const url = this.#heard.get(node)?.url;
    return url === '' ? undefined : url;
  }

  /**
   * Sends a request about a session that runs on another node to that node and streams its
   * answer back: same status, same error code. False when the request is answered here.
   */
  forward(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    if (req.headers[FORWARDED_HEADER] !== undefined) return false;
    const match = /^\/api\/sessions\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!match?.[1]) return false;
    // The transcript is in the shared store: read it here.
    if (match[2] === '/events' && req.method === 'GET') return false;
    const node = this.directory.remoteNodeOf(decodeURIComponent(match[1]));
    if (node === undefined) return false;
    const target = this.urlOf(node);
    if (target === undefined) {
      sendError(res, 'NODE_UNAVAILABLE', `The machine running this session (${node}) is not answering`);
      return true;
    }
    this.#proxy(req, res, new URL(url.pathname + url.search, target), node);
    return true;
  }

  /** A request this node makes of another on a client's behalf (creating a session there). */
  async send(node: string, path: string, init: { method: string; clientId: string | null; body?: unknown }): Promise<Response> {
    const target = this.urlOf(node);
    if (target === undefined) throw new NodeUnavailable(node);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#options.token()}`,
      [FORWARDED_HEADER]: this.node,
      'content-type': 'application/json',
    };
    if (init.clientId) headers[CLIENT_ID_HEADER] = init.clientId;
    return fetch(new URL(path, target), {
      method: init.method,
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(this.#options.forwardTimeoutMs),
    }).catch(() => {
      throw new NodeUnavailable(node);
    });
  }

  #proxy(req: IncomingMessage, res: ServerResponse, target: URL, node: string): void {
    const headers: Record<string, string | string[]> = {
      authorization: `Bearer ${this.#options.token()}`,
      [FORWARDED_HEADER]: this.node,
      host: target.host,
    };
    for (const name of ['content-type', 'content-length', 'transfer-encoding', 'accept', CLIENT_ID_HEADER.toLowerCase()]) {
      const value = req.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    const outgoing = request(target, { method: req.method, headers, timeout: this.#options.forwardTimeoutMs }, (answer) => {
      const copied: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) copied[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, copied);
      answer.pipe(res);
    });
    const fail = () => {
      if (!res.headersSent) sendError(res, 'NODE_UNAVAILABLE', `The machine running this session (${node}) did not answer in time`);
      else res.destroy();
    };
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', fail);
    req.pipe(outgoing);
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

  #publish(heartbeat: Heartbeat): void {
    this.#publisher.publish(this.#channel, JSON.stringify(heartbeat)).catch(() => undefined);
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
    this.#heard.set(heartbeat.node, { url: heartbeat.url, startedAt: heartbeat.started_at, at: this.#clock() });
    this.#options.presence.setRemoteStreams(heartbeat.node, new Set(heartbeat.streams));
    this.directory.reconcile(heartbeat.node, heartbeat.sessions, heartbeat.seen);
  }

  #onCredentialsChanged(from: string): void {
    if (from !== this.node && !this.#stopped) this.#checkCredentials();
  }

  #checkCredentials(): void {
    this.#options.checkCredentials?.().catch((error: unknown) => {
      // The database may be away for a moment: the next heartbeat tries again.
      console.error(`vibes: checking the cluster's credentials failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  #checkLost(): void {
    const now = this.#clock();
    // Without Redis we hear nobody: that says nothing about the others.
    if (this.#connectedSince === null || now - this.#connectedSince < this.#options.lostMs) return;
    for (const [node, heard] of this.#heard) {
      if (now - heard.at <= this.#options.lostMs) continue;
      this.#markLost(node, now);
      // The first node to notice ends them in the store (one UPDATE) and tells everyone.
      this.#options.store.endLiveOf(node, 'node_lost', Math.floor(now / 1000)).then(
        (ended) => {
          for (const sessionId of ended) this.#options.bus.publish({ type: 'session_removed', session_id: sessionId, reason: 'node_lost' });
          console.log(`vibes: node ${node} stopped answering; ${ended.length} of its session${ended.length === 1 ? '' : 's'} ended`);
        },
        (error: unknown) =>
          console.error(
            `vibes: ending the sessions of lost node ${node} failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
      );
    }
  }

  /** A node listed lost before its sessions' end is published or passed on: no client sees one without the other. */
  #markLost(node: string, now: number): void {
    const heard = this.#heard.get(node);
    if (!heard) return;
    this.#heard.delete(node);
    this.#lost.set(node, { ...heard, lostAt: now });
    this.#options.presence.setRemoteStreams(node, new Set());
  }
}

export class NodeUnavailable extends Error {
  constructor(readonly node: string) {
    super(`The machine ${node} is not answering`);
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/** A URL fit for a log line: the password (and user) replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '' || parsed.username !== '') {
      parsed.username = parsed.username === '' ? '' : '***';
      parsed.password = parsed.password === '' ? '' : '***';
    }
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
