import { matchesFilter, type EndReason, type SessionFilter, type TranscriptEntry } from '../protocol/index.ts';
import type { SessionSnapshot } from './events.ts';

/** Everything written together, in one transaction: what the sessions did during one tick. */
export interface StoreWrite {
  /** Upserted; `ended_at` and `end_reason` are left as they are (see `ended` and `reopen`). */
  sessions?: readonly SessionSnapshot[];
  /** Appended; a (session, seq) pair is written once. */
  events?: readonly { sessionId: string; entry: TranscriptEntry }[];
  ended?: readonly { sessionId: string; reason: EndReason; at: number }[];
}

export interface HistoryQuery {
  limit: number;
  /** Only sessions that ended before this time (Unix seconds). */
  before?: number;
  /** Only the sessions it matches, searched over the whole history (the page is cut after). */
  filter?: SessionFilter | null;
}

/** A working directory sessions ran in, with the latest activity there. */
export interface ProjectUse {
  cwd: string;
  lastActiveAt: number;
}

/**
 * Where sessions and transcripts are kept. A write settles once it is committed: the caller
 * delivers what it wrote only then, so a crash, a kill or a dropped connection cannot take back
 * what a client saw. Every call is a promise: PostgreSQL (a cluster) answers over the network,
 * and the event loop never waits for it. SQLite answers within the call (local and fast).
 */
export interface SessionStore {
  write(batch: StoreWrite): Promise<void>;
  /** A live or ended session; live-only fields (pending permissions, viewers, queue) read as empty. */
  getSession(sessionId: string): Promise<SessionSnapshot | undefined>;
  /** Ended sessions, the most recently ended first. */
  listEnded(query: HistoryQuery): Promise<SessionSnapshot[]>;
  /** The working directories of live and ended sessions, each once, the most recently active first. */
  recentProjects(limit: number): Promise<ProjectUse[]>;
  /** Transcript entries after `after`, at most `limit`, oldest first. */
  readEvents(sessionId: string, after: number, limit: number): Promise<TranscriptEntry[]>;
  /** The highest seq written for the session; 0 when none. */
  lastSeq(sessionId: string): Promise<number>;
  /** Makes an ended session live again (it is being resumed). */
  reopen(sessionId: string): Promise<void>;
  /** At start: every session not marked ended is ended now. Returns how many. */
  endAllLive(reason: EndReason, at: number): Promise<number>;
  /** Retention: forgets sessions (and their transcripts) that ended before `at`. Returns how many. */
  deleteEndedBefore(at: number): Promise<number>;
  close(): Promise<void>;
}

interface MemoryRecord {
  snapshot: SessionSnapshot;
  events: TranscriptEntry[];
}

/** Keeps everything in this process: for unit tests, and the baseline of the store benchmark. */
export class MemoryStore implements SessionStore {
  readonly #sessions = new Map<string, MemoryRecord>();

  async write(batch: StoreWrite): Promise<void> {
    for (const snapshot of batch.sessions ?? []) {
      const record = this.#sessions.get(snapshot.id);
      if (record) record.snapshot = { ...snapshot, ended_at: record.snapshot.ended_at, end_reason: record.snapshot.end_reason };
      else this.#sessions.set(snapshot.id, { snapshot: { ...snapshot, ended_at: null, end_reason: null }, events: [] });
    }
    for (const { sessionId, entry } of batch.events ?? []) {
      const record = this.#sessions.get(sessionId);
      if (!record) throw new Error(`no stored session ${sessionId}`);
      if (entry.seq > (record.events.at(-1)?.seq ?? 0)) record.events.push(entry);
    }
    for (const { sessionId, reason, at } of batch.ended ?? []) {
      const record = this.#sessions.get(sessionId);
      if (record) record.snapshot = ended(record.snapshot, reason, at);
    }
  }

  async getSession(sessionId: string): Promise<SessionSnapshot | undefined> {
    const snapshot = this.#sessions.get(sessionId)?.snapshot;
    return snapshot && restful(snapshot);
  }

  async listEnded(query: HistoryQuery): Promise<SessionSnapshot[]> {
    return [...this.#sessions.values()]
      .map((record) => record.snapshot)
      .filter((snapshot) => snapshot.ended_at !== null && (query.before === undefined || snapshot.ended_at < query.before))
      .filter((snapshot) => matchesFilter(snapshot, query.filter ?? null))
      .sort((a, b) => (b.ended_at ?? 0) - (a.ended_at ?? 0) || b.created_at - a.created_at || a.id.localeCompare(b.id))
      .slice(0, query.limit)
      .map(restful);
  }

  async recentProjects(limit: number): Promise<ProjectUse[]> {
    const latest = new Map<string, number>();
    for (const { snapshot } of this.#sessions.values()) {
      latest.set(snapshot.cwd, Math.max(latest.get(snapshot.cwd) ?? 0, snapshot.last_activity_at));
    }
    return [...latest]
      .map(([cwd, lastActiveAt]) => ({ cwd, lastActiveAt }))
      .sort((a, b) => b.lastActiveAt - a.lastActiveAt || a.cwd.localeCompare(b.cwd))
      .slice(0, limit);
  }

  async readEvents(sessionId: string, after: number, limit: number): Promise<TranscriptEntry[]> {
    const events = this.#sessions.get(sessionId)?.events ?? [];
    // Seqs are 1, 2, 3... so the entry with seq n sits at index n - 1.
    return events.slice(after, after + limit);
  }

  async lastSeq(sessionId: string): Promise<number> {
    return this.#sessions.get(sessionId)?.events.at(-1)?.seq ?? 0;
  }

  async reopen(sessionId: string): Promise<void> {
    const record = this.#sessions.get(sessionId);
    if (record) record.snapshot = { ...record.snapshot, ended_at: null, end_reason: null };
  }

  async endAllLive(reason: EndReason, at: number): Promise<number> {
    let count = 0;
    for (const record of this.#sessions.values()) {
      if (record.snapshot.ended_at !== null) continue;
      record.snapshot = ended(record.snapshot, reason, at);
      count++;
    }
    return count;
  }

  async deleteEndedBefore(at: number): Promise<number> {
    let count = 0;
    for (const [id, record] of this.#sessions) {
      if (record.snapshot.ended_at !== null && record.snapshot.ended_at < at) {
        this.#sessions.delete(id);
        count++;
      }
    }
    return count;
  }

  async close(): Promise<void> {}
}

function ended(snapshot: SessionSnapshot, reason: EndReason, at: number): SessionSnapshot {
  return { ...snapshot, state: snapshot.state === 'failed' ? 'failed' : 'finished', ended_at: at, end_reason: reason };
}

/** What is stored leaves out who watches and what is pending: those live with the running session. */
function restful(snapshot: SessionSnapshot): SessionSnapshot {
  return { ...snapshot, subscriber_count: 0, pending_permissions: [], queued_inputs: 0 };
}
