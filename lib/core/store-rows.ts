import type {
  EndReason,
  NotificationKind,
  PermissionMode,
  SessionFilter,
  SessionState,
  TodoList,
  TranscriptEntry,
  TranscriptEvent,
} from '../protocol/index.ts';
import type { DeviceRecord, PushSubscriptionRecord } from './devices.ts';
import type { SessionSnapshot } from './events.ts';
import type { HistoryQuery } from './store.ts';
import { projectOf, untitled } from './summary.ts';

/** Rows as both stores keep them: SQLite and PostgreSQL use the same columns. */
export interface SessionRow {
  id: string;
  name: string | null;
  state: string;
  owner_id: string;
  created_at: number;
  last_activity_at: number;
  cwd: string;
  model: string | null;
  permission_mode: string;
  todos: string | null;
  cost_usd: number;
  claude_session_id: string | null;
  failure: string | null;
  title: string | null;
  preview: string | null;
  git_branch: string | null;
  ended_at: number | null;
  end_reason: string | null;
  /** HEAD when the session started; null outside git. */
  start_commit: string | null;
  /** SQLite has no booleans: 0 or 1 there. */
  demo: number | boolean;
  pinned: number | boolean;
  /** PostgreSQL only: the node (machine) that runs it, or ran it. */
  node?: string;
}

export function snapshotOf(row: SessionRow): SessionSnapshot {
  return {
    id: row.id,
    name: row.name,
    title: row.title ?? row.name ?? untitled(row.id),
    preview: row.preview,
    project: projectOf(row.cwd),
    git_branch: row.git_branch,
    state: row.state as SessionState,
    owner_id: row.owner_id,
    subscriber_count: 0,
    created_at: row.created_at,
    last_activity_at: row.last_activity_at,
    cwd: row.cwd,
    model: row.model,
    permission_mode: row.permission_mode as PermissionMode,
    todos: row.todos === null ? null : (JSON.parse(row.todos) as TodoList),
    pending_permissions: [],
    queued_inputs: 0,
    cost_usd: row.cost_usd,
    claude_session_id: row.claude_session_id,
    failure: row.failure,
    ended_at: row.ended_at,
    end_reason: row.end_reason as EndReason | null,
    demo: Boolean(row.demo),
    node: row.node ?? null,
    changes: null,
    start_commit: row.start_commit,
    context: null,
    pinned: Boolean(row.pinned),
  };
}

/** What a session's upsert writes in both stores (PostgreSQL adds the node): the snapshot's fields of these names. */
const SESSION_COLUMNS = (
  'id, name, state, owner_id, created_at, last_activity_at, cwd, model, permission_mode, todos, cost_usd, claude_session_id, ' +
  'failure, demo, title, preview, git_branch, start_commit, pinned'
).split(', ') as (keyof SessionSnapshot & keyof SessionRow)[];

/** The values of `upsertSessionSql`, in its order (then those of its `extraColumns`). */
export function sessionValues(snapshot: SessionSnapshot): unknown[] {
  const stored = { ...snapshot, todos: snapshot.todos === null ? null : JSON.stringify(snapshot.todos) };
  return SESSION_COLUMNS.map((column) => stored[column]);
}

/**
 * Writes a session, the nth value (from 1) at `placeholder(n)`. An update keeps `created_at` as
 * first written, and `ended_at` and `end_reason` as they are (see StoreWrite).
 */
export function upsertSessionSql(placeholder: (n: number) => string, extraColumns: readonly string[] = []): string {
  const columns = [...SESSION_COLUMNS, ...extraColumns];
  const updated = columns.filter((column) => column !== 'id' && column !== 'created_at');
  return `INSERT INTO sessions (${columns.join(', ')}) VALUES (${columns.map((_, index) => placeholder(index + 1)).join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${updated.map((column) => `${column} = excluded.${column}`).join(', ')}`;
}

/** Ends the live sessions a further `AND` picks; a failed one stays failed, the others are finished. */
export function endSessionsSql(at: string, reason: string): string {
  return `UPDATE sessions SET ended_at = ${at}, end_reason = ${reason}, state = CASE state WHEN 'failed' THEN 'failed' ELSE 'finished' END WHERE ended_at IS NULL`;
}

/** An event row's columns after the session: seq, at, type, data. */
export function eventValues(entry: TranscriptEntry): [number, number, string, string] {
  return [entry.seq, entry.at, entry.event.type, JSON.stringify(entry.event)];
}

export function entryOf(row: { seq: number; at: number; data: string }): TranscriptEntry {
  return { seq: row.seq, at: row.at, event: JSON.parse(row.data) as TranscriptEvent };
}

/** The working directories, each once, with `limit` its placeholder; rows are ProjectUse. */
export function recentProjectsSql(limit: string): string {
  return `SELECT cwd, MAX(last_activity_at) AS "lastActiveAt" FROM sessions GROUP BY cwd ORDER BY "lastActiveAt" DESC, cwd LIMIT ${limit}`;
}

/** The history's SELECT, the same in both stores: `param` adds a value and answers its placeholder. */
export function historySql(query: HistoryQuery, param: (value: string | number) => string): string {
  const before = param(query.before ?? Number.MAX_SAFE_INTEGER);
  const conditions = filterConditions(query.filter, param).map((condition) => `AND ${condition} `);
  return `SELECT * FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ${before} ${conditions.join('')}ORDER BY ended_at DESC, created_at DESC, id LIMIT ${param(query.limit)}`;
}

/** Matching ignores case (SQLite's lower() folds ASCII letters only). */
function filterConditions(filter: SessionFilter | null | undefined, param: (value: string) => string): string[] {
  if (!filter) return [];
  const conditions: string[] = [];
  if (filter.status !== null) conditions.push(`state = ${param(filter.status)}`);
  if (filter.project !== null) {
    conditions.push(
      filter.project.includes('/')
        ? `cwd = ${param(filter.project)}`
        : `(lower(cwd) = ${param(filter.project.toLowerCase())} OR lower(cwd) LIKE ${param(`%/${escapeLike(filter.project.toLowerCase())}`)} ESCAPE '\\')`,
    );
  }
  for (const word of filter.words) {
    const pattern = param(`%${escapeLike(word)}%`);
    conditions.push(
      `(lower(COALESCE(name, '')) LIKE ${pattern} ESCAPE '\\' OR lower(COALESCE(title, '')) LIKE ${pattern} ESCAPE '\\' OR lower(cwd) LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  return conditions;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/**
 * What the stores keep of a live session, as one string. A snapshot that differs from the last one
 * written only in what lives in memory (viewers, pending requests, queued inputs, the changes summary, the context
 * figure) needs no write:
 * a storm of viewers subscribing costs no transaction each.
 */
export function storedFields(snapshot: SessionSnapshot): string {
  const {
    subscriber_count: _viewers,
    pending_permissions: _pending,
    queued_inputs: _queued,
    changes: _changes,
    context: _context,
    ...stored
  } = snapshot;
  return JSON.stringify(stored);
}

export interface DeviceRow {
  id: string;
  secret_hash: string;
  label: string;
  created_at: number;
  last_seen_at: number;
  address: string;
  paired_by: string | null;
  /** 0 or 1 in SQLite, a boolean in PostgreSQL. */
  tell_claude_on_phone: number | boolean;
}

export const deviceOf = (row: DeviceRow): DeviceRecord => ({
  id: row.id,
  secretHash: row.secret_hash,
  label: row.label,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  address: row.address,
  pairedBy: row.paired_by,
  tellClaudeOnPhone: Boolean(row.tell_claude_on_phone),
});

export interface PushSubscriptionRow {
  device_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  kinds: string;
  created_at: number;
  last_used_at: number | null;
}

export const pushSubscriptionOf = (row: PushSubscriptionRow): PushSubscriptionRecord => ({
  deviceId: row.device_id,
  endpoint: row.endpoint,
  p256dh: row.p256dh,
  auth: row.auth,
  kinds: row.kinds === '' ? [] : (row.kinds.split(',') as NotificationKind[]),
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});
