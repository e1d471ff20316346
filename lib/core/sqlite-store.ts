import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { EndReason, TranscriptEntry, TranscriptEvent } from '../protocol/index.ts';
import {
  deviceOf,
  filterConditions,
  pushSubscriptionOf,
  snapshotOf,
  type DeviceRow,
  type PushSubscriptionRow,
  type SessionRow,
} from './store-rows.ts';
import { newDeviceCookieId, type DeviceRecord, type DeviceStore, type PushSubscriptionRecord } from './devices.ts';
import type { SessionSnapshot } from './events.ts';
import type { HistoryQuery, ProjectUse, SessionStore, StoreWrite } from './store.ts';

/**
 * Forward migrations, run in order at open; `PRAGMA user_version` records how many have run.
 * Never edit one that has shipped: add the next.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (
     key INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     name TEXT,
     state TEXT NOT NULL,
     owner_id TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_activity_at INTEGER NOT NULL,
     cwd TEXT NOT NULL,
     model TEXT,
     cost_usd REAL NOT NULL DEFAULT 0,
     claude_session_id TEXT,
     failure TEXT,
     ended_at INTEGER,
     end_reason TEXT
   );
   CREATE INDEX sessions_ended ON sessions (ended_at) WHERE ended_at IS NOT NULL;
   -- Keyed by the session's integer key, not its 36-character id: rows half the size.
   CREATE TABLE events (
     session_key INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     at INTEGER NOT NULL,
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (session_key, seq)
   ) WITHOUT ROWID;`,
  // A session's permission mode, and its latest todo list (JSON), so both survive a restart.
  `ALTER TABLE sessions ADD COLUMN permission_mode TEXT NOT NULL DEFAULT 'default';
   ALTER TABLE sessions ADD COLUMN todos TEXT;`,
  `CREATE TABLE devices (
     id TEXT PRIMARY KEY,
     secret_hash TEXT NOT NULL UNIQUE,
     label TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     address TEXT NOT NULL
   );`,
  // Whether the fake Claude answers a session, so a resume runs the same kind.
  `ALTER TABLE sessions ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;`,
  // A device's Web Push subscription (issue 16); deleted with the device by the store itself.
  `CREATE TABLE push_subscriptions (
     device_id TEXT PRIMARY KEY,
     endpoint TEXT NOT NULL UNIQUE,
     p256dh TEXT NOT NULL,
     auth TEXT NOT NULL,
     kinds TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER
   );`,
  // What a card shows at a glance: the title (from the first prompt), the latest reply's line, the branch.
  `ALTER TABLE sessions ADD COLUMN title TEXT;
   ALTER TABLE sessions ADD COLUMN preview TEXT;
   ALTER TABLE sessions ADD COLUMN git_branch TEXT;`,
  // Which device's pairing code a device signed in with: revoking one revokes those it paired;
  // and settings of the installation (the device cookie's name).
  `ALTER TABLE devices ADD COLUMN paired_by TEXT;
   CREATE INDEX devices_paired_by ON devices (paired_by) WHERE paired_by IS NOT NULL;
   CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // The commit the session started on: its changes are counted against it, also after a resume.
  `ALTER TABLE sessions ADD COLUMN start_commit TEXT;`,
  // Pinned sessions are listed first, on every device.
  `ALTER TABLE sessions ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;`,
  // A device's own preference: input from it tells Claude the user is on a phone (issue 29).
  `ALTER TABLE devices ADD COLUMN tell_claude_on_phone INTEGER NOT NULL DEFAULT 0;`,
];

/** Events per INSERT statement: one statement with many rows costs far less per row than one per row. */
const ROWS_PER_INSERT = 64;

interface SqliteSessionRow extends SessionRow {
  key?: number;
  demo: number;
  pinned: number;
}

interface EventRow {
  seq: number;
  at: number;
  data: string;
}

/**
 * Sessions and transcripts in SQLite (WAL, synchronous=NORMAL). A write is committed when
 * `write` returns: a crash of the process loses none of it. With NORMAL the WAL is not fsynced
 * on every commit, so an OS crash or power loss can lose the last moments; FULL would cost an
 * fsync per tick for that.
 */
export class SqliteStore implements SessionStore {
  readonly #db: Database.Database;
  readonly #upsertSession: Database.Statement<[Omit<SqliteSessionRow, 'ended_at' | 'end_reason'>], { key: number }>;
  readonly #insertEvent: Database.Statement;
  readonly #insertEvents: Database.Statement;
  readonly #keyOf: Database.Statement<[string], { key: number }>;
  /** Session id to integer key, for the sessions this process wrote or read. */
  readonly #keys = new Map<string, number>();
  readonly #endSession: Database.Statement;
  readonly #getSession: Database.Statement<[string], SqliteSessionRow>;
  /** The history's statements by their SQL: one per combination of filters asked for. */
  readonly #listEnded = new Map<string, Database.Statement<[Record<string, string | number>], SqliteSessionRow>>();
  readonly #recentProjects: Database.Statement<[number], { cwd: string; last_active_at: number }>;
  readonly #readEvents: Database.Statement<[string, number, number], EventRow>;
  readonly #lastSeq: Database.Statement<[string], { seq: number | null }>;
  readonly #reopen: Database.Statement;
  readonly #writeBatch: (batch: StoreWrite) => void;

  readonly devices: DeviceStore;

  /**
   * Opens (or creates) the database and runs the migrations it lacks. `maxBytes` bounds the
   * file: past it, writes fail with SQLITE_FULL instead of filling the disk.
   */
  constructor(path: string, options: { maxBytes?: number } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    migrate(this.#db);
    if (options.maxBytes !== undefined) {
      const pageSize = this.#db.pragma('page_size', { simple: true }) as number;
      this.#db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxBytes / pageSize))}`);
    }
    // Transcripts hold what the user typed and what Claude read: only the user may read them.
    if (path !== ':memory:') for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
    this.devices = new SqliteDeviceStore(this.#db);

    this.#upsertSession = this.#db.prepare(`
      INSERT INTO sessions (id, name, state, owner_id, created_at, last_activity_at, cwd, model, permission_mode, todos, cost_usd, claude_session_id, failure, demo, title, preview, git_branch, start_commit, pinned)
      VALUES (@id, @name, @state, @owner_id, @created_at, @last_activity_at, @cwd, @model, @permission_mode, @todos, @cost_usd, @claude_session_id, @failure, @demo, @title, @preview, @git_branch, @start_commit, @pinned)
      ON CONFLICT (id) DO UPDATE SET
        name = excluded.name, state = excluded.state, owner_id = excluded.owner_id,
        last_activity_at = excluded.last_activity_at, cwd = excluded.cwd, model = excluded.model,
        permission_mode = excluded.permission_mode, todos = excluded.todos,
        cost_usd = excluded.cost_usd, claude_session_id = excluded.claude_session_id, failure = excluded.failure,
        title = excluded.title, preview = excluded.preview, git_branch = excluded.git_branch, start_commit = excluded.start_commit,
        pinned = excluded.pinned
      RETURNING key`);
    const insert = 'INSERT OR IGNORE INTO events (session_key, seq, at, type, data) VALUES ';
    this.#insertEvent = this.#db.prepare(`${insert}(?, ?, ?, ?, ?)`);
    this.#insertEvents = this.#db.prepare(insert + Array<string>(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', '));
    this.#keyOf = this.#db.prepare('SELECT key FROM sessions WHERE id = ?');
    this.#endSession = this.#db.prepare(`
      UPDATE sessions SET ended_at = ?, end_reason = ?, state = CASE state WHEN 'failed' THEN 'failed' ELSE 'finished' END
      WHERE id = ? AND ended_at IS NULL`);
    this.#getSession = this.#db.prepare('SELECT * FROM sessions WHERE id = ?');
    this.#recentProjects = this.#db.prepare(
      'SELECT cwd, MAX(last_activity_at) AS last_active_at FROM sessions GROUP BY cwd ORDER BY last_active_at DESC, cwd LIMIT ?',
    );
    this.#readEvents = this.#db.prepare(
      'SELECT seq, at, data FROM events WHERE session_key = (SELECT key FROM sessions WHERE id = ?) AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.#lastSeq = this.#db.prepare('SELECT MAX(seq) AS seq FROM events WHERE session_key = (SELECT key FROM sessions WHERE id = ?)');
    this.#reopen = this.#db.prepare('UPDATE sessions SET ended_at = NULL, end_reason = NULL WHERE id = ?');

    this.#writeBatch = this.#db.transaction((batch: StoreWrite) => {
      for (const snapshot of batch.sessions ?? []) {
        const row = this.#upsertSession.get(sessionParams(snapshot));
        if (row) this.#keys.set(snapshot.id, row.key);
      }
      this.#appendEvents(batch.events ?? []);
      for (const { sessionId, reason, at } of batch.ended ?? []) this.#endSession.run(at, reason, sessionId);
    });
  }

  #appendEvents(events: NonNullable<StoreWrite['events']>): void {
    const full = events.length - (events.length % ROWS_PER_INSERT);
    const params: unknown[] = [];
    for (let index = 0; index < events.length; index++) {
      const { sessionId, entry } = events[index]!;
      const row = [this.#key(sessionId), entry.seq, entry.at, entry.event.type, JSON.stringify(entry.event)];
      if (index >= full) {
        this.#insertEvent.run(row);
        continue;
      }
      params.push(...row);
      if (params.length === ROWS_PER_INSERT * row.length) {
        this.#insertEvents.run(params);
        params.length = 0;
      }
    }
  }

  #key(sessionId: string): number {
    let key = this.#keys.get(sessionId);
    if (key === undefined) {
      key = this.#keyOf.get(sessionId)?.key;
      if (key === undefined) throw new Error(`no stored session ${sessionId}`);
      this.#keys.set(sessionId, key);
    }
    return key;
  }

  get schemaVersion(): number {
    return this.#db.pragma('user_version', { simple: true }) as number;
  }

  async write(batch: StoreWrite): Promise<void> {
    this.#writeBatch(batch);
  }

  async getSession(sessionId: string): Promise<SessionSnapshot | undefined> {
    const row = this.#getSession.get(sessionId);
    return row && snapshotOf(row);
  }

  async listEnded(query: HistoryQuery): Promise<SessionSnapshot[]> {
    const values: Record<string, string | number> = { before: query.before ?? Number.MAX_SAFE_INTEGER, limit: query.limit };
    const conditions = filterConditions(query.filter, (value) => {
      const name = `p${Object.keys(values).length}`;
      values[name] = value;
      return `@${name}`;
    });
    const sql = `SELECT * FROM sessions WHERE ended_at IS NOT NULL AND ended_at < @before ${conditions.map((condition) => `AND ${condition} `).join('')}ORDER BY ended_at DESC, created_at DESC, id LIMIT @limit`;
    let statement = this.#listEnded.get(sql);
    if (!statement) this.#listEnded.set(sql, (statement = this.#db.prepare(sql)));
    return statement.all(values).map(snapshotOf);
  }

  async recentProjects(limit: number): Promise<ProjectUse[]> {
    return this.#recentProjects.all(limit).map((row) => ({ cwd: row.cwd, lastActiveAt: row.last_active_at }));
  }

  async readEvents(sessionId: string, after: number, limit: number): Promise<TranscriptEntry[]> {
    return this.#readEvents
      .all(sessionId, after, limit)
      .map((row) => ({ seq: row.seq, at: row.at, event: JSON.parse(row.data) as TranscriptEvent }));
  }

  async lastSeq(sessionId: string): Promise<number> {
    return this.#lastSeq.get(sessionId)?.seq ?? 0;
  }

  async reopen(sessionId: string): Promise<void> {
    this.#reopen.run(sessionId);
  }

  async endAllLive(reason: EndReason, at: number): Promise<number> {
    return this.#db
      .prepare(
        `UPDATE sessions SET ended_at = ?, end_reason = ?, state = CASE state WHEN 'failed' THEN 'failed' ELSE 'finished' END
         WHERE ended_at IS NULL`,
      )
      .run(at, reason).changes;
  }

  async deleteEndedBefore(at: number): Promise<number> {
    return this.#db.transaction(() => {
      const old = this.#db
        .prepare<[number], { key: number; id: string }>('SELECT key, id FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?')
        .all(at);
      const dropEvents = this.#db.prepare('DELETE FROM events WHERE session_key = ?');
      const dropSession = this.#db.prepare('DELETE FROM sessions WHERE key = ?');
      for (const { key, id } of old) {
        dropEvents.run(key);
        dropSession.run(key);
        this.#keys.delete(id);
      }
      return old.length;
    })();
  }

  /** `ok` when the database is sound, else SQLite's list of problems. */
  integrityCheck(): string {
    return (this.#db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('\n');
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new Error(`The vibes database is from a newer vibes (schema ${version}, this one knows ${MIGRATIONS.length})`);
  }
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next] ?? '');
      db.pragma(`user_version = ${next + 1}`);
    })();
  }
}

function sessionParams(snapshot: SessionSnapshot): Omit<SqliteSessionRow, 'ended_at' | 'end_reason'> {
  return {
    id: snapshot.id,
    name: snapshot.name,
    state: snapshot.state,
    owner_id: snapshot.owner_id,
    created_at: snapshot.created_at,
    last_activity_at: snapshot.last_activity_at,
    cwd: snapshot.cwd,
    model: snapshot.model,
    permission_mode: snapshot.permission_mode,
    todos: snapshot.todos === null ? null : JSON.stringify(snapshot.todos),
    cost_usd: snapshot.cost_usd,
    claude_session_id: snapshot.claude_session_id,
    failure: snapshot.failure,
    demo: snapshot.demo ? 1 : 0,
    title: snapshot.title,
    preview: snapshot.preview,
    git_branch: snapshot.git_branch,
    start_commit: snapshot.start_commit,
    pinned: snapshot.pinned ? 1 : 0,
  };
}

/** Signed-in browsers and their push subscriptions, in the same database as the sessions. */
class SqliteDeviceStore implements DeviceStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #bySecret: Database.Statement<[string], DeviceRow>;
  readonly #touch: Database.Statement;
  readonly #list: Database.Statement<[], DeviceRow>;
  readonly #delete: Database.Statement<[string], { id: string }>;
  readonly #deleteAll: Database.Statement;
  readonly #setPhone: Database.Statement<[number, string]>;
  readonly #deleteSeenBefore: Database.Statement;
  readonly #saveSubscription: Database.Statement;
  readonly #deleteSubscriptionEndpoint: Database.Statement;
  readonly #subscription: Database.Statement<[string], PushSubscriptionRow>;
  readonly #subscriptions: Database.Statement<[], PushSubscriptionRow>;
  readonly #deleteSubscription: Database.Statement;
  readonly #deleteAllSubscriptions: Database.Statement;
  readonly #deleteOrphanSubscriptions: Database.Statement;
  readonly #touchSubscription: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO devices (id, secret_hash, label, created_at, last_seen_at, address, paired_by)
       SELECT @id, @secretHash, @label, @createdAt, @lastSeenAt, @address, @pairedBy
       WHERE @pairedBy IS NULL OR EXISTS (SELECT 1 FROM devices WHERE id = @pairedBy)`,
    );
    this.#bySecret = db.prepare('SELECT * FROM devices WHERE secret_hash = ?');
    this.#touch = db.prepare('UPDATE devices SET last_seen_at = ?, address = ? WHERE id = ?');
    this.#setPhone = db.prepare('UPDATE devices SET tell_claude_on_phone = ? WHERE id = ?');
    this.#list = db.prepare('SELECT * FROM devices ORDER BY last_seen_at DESC, id');
    this.#delete = db.prepare(
      `WITH RECURSIVE paired (id) AS (SELECT id FROM devices WHERE id = ? UNION SELECT devices.id FROM devices JOIN paired ON devices.paired_by = paired.id)
       DELETE FROM devices WHERE id IN (SELECT id FROM paired) RETURNING id`,
    );
    this.#deleteAll = db.prepare('DELETE FROM devices');
    this.#deleteSeenBefore = db.prepare('DELETE FROM devices WHERE last_seen_at < ?');
    this.#saveSubscription = db.prepare(
      `INSERT OR REPLACE INTO push_subscriptions (device_id, endpoint, p256dh, auth, kinds, created_at, last_used_at)
       VALUES (@deviceId, @endpoint, @p256dh, @auth, @kinds, @createdAt, @lastUsedAt)`,
    );
    this.#deleteSubscriptionEndpoint = db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?');
    this.#subscription = db.prepare('SELECT * FROM push_subscriptions WHERE device_id = ?');
    this.#subscriptions = db.prepare('SELECT * FROM push_subscriptions ORDER BY created_at, device_id');
    this.#deleteSubscription = db.prepare('DELETE FROM push_subscriptions WHERE device_id = ?');
    this.#deleteAllSubscriptions = db.prepare('DELETE FROM push_subscriptions');
    this.#deleteOrphanSubscriptions = db.prepare('DELETE FROM push_subscriptions WHERE device_id NOT IN (SELECT id FROM devices)');
    this.#touchSubscription = db.prepare('UPDATE push_subscriptions SET last_used_at = ? WHERE device_id = ?');
  }

  async deviceCookieId(): Promise<string> {
    this.#db.prepare("INSERT OR IGNORE INTO settings (name, value) VALUES ('device_cookie_id', ?)").run(newDeviceCookieId());
    return this.#db.prepare<[], { value: string }>("SELECT value FROM settings WHERE name = 'device_cookie_id'").get()!.value;
  }

  async insertDevice(device: DeviceRecord): Promise<boolean> {
    return this.#insert.run(device).changes > 0;
  }

  async setTellClaudeOnPhone(id: string, on: boolean): Promise<boolean> {
    return this.#setPhone.run(on ? 1 : 0, id).changes > 0;
  }

  async findDeviceBySecretHash(secretHash: string): Promise<DeviceRecord | undefined> {
    const row = this.#bySecret.get(secretHash);
    return row && deviceOf(row);
  }

  async touchDevice(id: string, lastSeenAt: number, address: string): Promise<void> {
    this.#touch.run(lastSeenAt, address, id);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return this.#list.all().map(deviceOf);
  }

  async deleteDevice(id: string): Promise<string[]> {
    return this.#db.transaction(() => {
      const removed = this.#delete.all(id).map((row) => row.id);
      this.#deleteOrphanSubscriptions.run();
      return removed;
    })();
  }

  async deleteAllDevices(): Promise<number> {
    return this.#db.transaction(() => {
      this.#deleteAllSubscriptions.run();
      return this.#deleteAll.run().changes;
    })();
  }

  async deleteDevicesSeenBefore(at: number): Promise<number> {
    return this.#db.transaction(() => {
      const count = this.#deleteSeenBefore.run(at).changes;
      this.#deleteOrphanSubscriptions.run();
      return count;
    })();
  }

  async savePushSubscription(subscription: PushSubscriptionRecord): Promise<void> {
    this.#db.transaction(() => {
      this.#deleteSubscriptionEndpoint.run(subscription.endpoint);
      this.#saveSubscription.run({ ...subscription, kinds: subscription.kinds.join(',') });
    })();
  }

  async pushSubscription(deviceId: string): Promise<PushSubscriptionRecord | undefined> {
    const row = this.#subscription.get(deviceId);
    return row && pushSubscriptionOf(row);
  }

  async listPushSubscriptions(): Promise<PushSubscriptionRecord[]> {
    return this.#subscriptions.all().map(pushSubscriptionOf);
  }

  async deletePushSubscription(deviceId: string): Promise<boolean> {
    return this.#deleteSubscription.run(deviceId).changes > 0;
  }

  async deletePushSubscriptionByEndpoint(endpoint: string): Promise<boolean> {
    return this.#deleteSubscriptionEndpoint.run(endpoint).changes > 0;
  }

  async touchPushSubscription(deviceId: string, at: number): Promise<void> {
    this.#touchSubscription.run(at, deviceId);
  }
}
