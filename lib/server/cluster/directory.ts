import type { CoreEvent, SessionManager, SessionSnapshot } from '../../core/index.ts';
import { sessionInfoFor } from '../../core/index.ts';
import type { StreamEntry } from '../../core/cluster/stream-bus.ts';
import type { SessionInfo } from '../../protocol/index.ts';
import type { SessionView } from './session-view.ts';

interface RemoteSession {
  node: string;
  snapshot: SessionSnapshot;
  subscribers: Set<string>;
  /** The stream entry it was last updated by; none when seeded from the store. */
  at?: StreamPosition;
}

/** What a node says about its sessions in each heartbeat. */
export interface SessionPresence {
  id: string;
  subscribers: string[];
}

/** A place in the event stream: its epoch and a seq in it. */
export interface StreamPosition {
  epoch: string;
  seq: number;
}

/** What a node annotates its session updates with, for the other nodes' hubs. */
export interface SessionNote {
  subscribers: string[];
}

/**
 * Every node's live sessions: this node's from its manager, the others' as their updates came
 * through the stream (with their subscribers), checked against each heartbeat.
 */
export class ClusterDirectory implements SessionView {
  readonly #node: string;
  readonly #manager: SessionManager;
  readonly #remote = new Map<string, RemoteSession>();

  constructor(node: string, manager: SessionManager) {
    this.#node = node;
    this.#manager = manager;
  }

  /** Fed from the bus before the hub is, so the hub filters with what the entry says. */
  observe(entry: StreamEntry<CoreEvent>, epoch: string): void {
    const { event } = entry;
    if (event.type === 'session_removed') {
      this.#remote.delete(event.session_id);
      return;
    }
    if (event.type !== 'session_updated' || entry.node === this.#node) return;
    const note = entry.note as SessionNote | null;
    const known = this.#remote.get(event.session.id);
    this.#remote.set(event.session.id, {
      node: entry.node,
      snapshot: event.session,
      subscribers: note ? new Set(note.subscribers) : (known?.subscribers ?? new Set()),
      at: { epoch, seq: entry.seq },
    });
  }

  /** Seeds a session read from the store at start; its subscribers come with the next heartbeat. */
  seed(node: string, snapshot: SessionSnapshot): void {
    if (node !== this.#node && !this.#remote.has(snapshot.id)) this.#remote.set(snapshot.id, { node, snapshot, subscribers: new Set() });
  }

  /**
   * A heartbeat lists a node's live sessions: refresh their subscribers, forget what it no longer
   * runs. `seen` is how far that node had read the stream when it wrote the heartbeat: a session
   * announced after that point may be too new for it, not gone (the heartbeat and the stream are
   * two roads, and either may arrive first).
   */
  reconcile(node: string, sessions: readonly SessionPresence[], seen?: StreamPosition): void {
    const listed = new Map(sessions.map((session) => [session.id, session.subscribers]));
    for (const [id, remote] of this.#remote) {
      if (remote.node !== node) continue;
      const subscribers = listed.get(id);
      const tooNew = seen !== undefined && remote.at?.epoch === seen.epoch && remote.at.seq > seen.seq;
      if (subscribers) remote.subscribers = new Set(subscribers);
      else if (!tooNew) this.#remote.delete(id);
    }
  }

  dropNode(node: string): void {
    for (const [id, remote] of this.#remote) if (remote.node === node) this.#remote.delete(id);
  }

  /** The node running a session that is live elsewhere; undefined when it runs here or nowhere. */
  remoteNodeOf(sessionId: string): string | undefined {
    return this.#manager.find(sessionId) ? undefined : this.#remote.get(sessionId)?.node;
  }

  countByNode(): Map<string, number> {
    const counts = new Map<string, number>([[this.#node, this.#manager.list().length]]);
    for (const remote of this.#remote.values()) counts.set(remote.node, (counts.get(remote.node) ?? 0) + 1);
    return counts;
  }

  subscribersOf(sessionId: string): Iterable<string> | undefined {
    return this.#manager.find(sessionId)?.ownership.subscriberIds ?? this.#remote.get(sessionId)?.subscribers;
  }

  isSubscribed(sessionId: string, clientId: string): boolean {
    const local = this.#manager.find(sessionId);
    if (local) return local.ownership.isSubscribed(clientId);
    return this.#remote.get(sessionId)?.subscribers.has(clientId) ?? false;
  }

  list(clientId: string | null): SessionInfo[] {
    const local = this.#manager.list().map((session) => session.infoFor(clientId));
    const remote = [...this.#remote.values()].map((remote) => sessionInfoFor(remote.snapshot, clientId));
    return [...local, ...remote].sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
  }
}
