import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { EndReason, TranscriptEntry } from '../protocol/index.ts';
import {
  deviceOf,
  endSessionsSql,
  entryOf,
  eventValues,
  historySql,
  pushSubscriptionOf,
  recentProjectsSql,
  sessionValues,
  snapshotOf,
  upsertSessionSql,
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
const INSERT_EVENTS = 'INSERT OR IGNORE INTO events (session_key, seq, at, type, data) VALUES ';
const INSERT_EVENT = `${INSERT_EVENTS}(?, ?, ?, ?, ?)`;
const INSERT_EVENT_ROWS = INSERT_EVENTS + Array<string>(ROWS_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', ');
const UPSERT_SESSION = `${upsertSessionSql(() => '?')} RETURNING key`;
const END_SESSIONS = endSessionsSql('?', '?');

type Prepare = <Params extends unknown[] = unknown[], Row = unknown>(sql: string) => Database.Statement<Params, Row>;

/** Prepares each SQL text once, at its first use. */
function statementsOf(db: Database.Database): Prepare {
  const statements = new Map<string, Database.Statement>();
  return <Params extends unknown[], Row>(sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement as unknown as Database.Statement<Params, Row>;
  };
}

/**
 * Sessions and transcripts in SQLite (WAL, synchronous=NORMAL). A write is committed when
 * `write` returns: a crash of the process loses none of it. With NORMAL the WAL is not fsynced
 * on every commit, so an OS crash or power loss can lose the last moments; FULL would cost an
 * fsync per tick for that.
 */
export class SqliteStore implements SessionStore {
  readonly #db: Database.Database;
  readonly #sql: Prepare;
  /** Session id to integer key, for the sessions this process wrote or read. */
  readonly #keys = new Map<string, number>();
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
    this.#sql = statementsOf(this.#db);
    this.devices = new SqliteDeviceStore(this.#db, this.#sql);

    this.#writeBatch = this.#db.transaction((batch: StoreWrite) => {
      for (const snapshot of batch.sessions ?? []) {
        // SQLite has no booleans: they are written as 0 or 1.
        const values = sessionValues(snapshot).map((value) => (typeof value === 'boolean' ? Number(value) : value));
        const row = this.#sql<unknown[], { key: number }>(UPSERT_SESSION).get(values);
        if (row) this.#keys.set(snapshot.id, row.key);
      }
      this.#appendEvents(batch.events ?? []);
      for (const { sessionId, reason, at } of batch.ended ?? []) this.#sql(`${END_SESSIONS} AND id = ?`).run(at, reason, sessionId);
    });
  }

  #appendEvents(events: NonNullable<StoreWrite['events']>): void {
    const full = events.length - (events.length % ROWS_PER_INSERT);
    const params: unknown[] = [];
    for (let index = 0; index < events.length; index++) {
      const { sessionId, entry } = events[index]!;
      const row = [this.#key(sessionId), ...eventValues(entry)];
      if (index >= full) {
        this.#sql(INSERT_EVENT).run(row);
        continue;
      }
      params.push(...row);
      if (params.length === ROWS_PER_INSERT * row.length) {
        this.#sql(INSERT_EVENT_ROWS).run(params);
        params.length = 0;
      }
    }
  }

  #key(sessionId: string): number {
    let key = this.#keys.get(sessionId);
    if (key === undefined) {
      key = this.#sql<[string], { key: number }>('SELECT key FROM sessions WHERE id = ?').get(sessionId)?.key;
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
    const row = this.#sql<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?').get(sessionId);
    return row && snapshotOf(row);
  }

  async listEnded(query: HistoryQuery): Promise<SessionSnapshot[]> {
    const values: Record<string, string | number> = {};
    const sql = historySql(query, (value) => {
      const name = `p${Object.keys(values).length}`;
      values[name] = value;
      return `@${name}`;
    });
    return this.#sql<[Record<string, string | number>], SessionRow>(sql).all(values).map(snapshotOf);
  }

  async recentProjects(limit: number): Promise<ProjectUse[]> {
    return this.#sql<[number], ProjectUse>(recentProjectsSql('?')).all(limit);
  }

  async readEvents(sessionId: string, after: number, limit: number): Promise<TranscriptEntry[]> {
    return this.#sql<[string, number, number], { seq: number; at: number; data: string }>(
      'SELECT seq, at, data FROM events WHERE session_key = (SELECT key FROM sessions WHERE id = ?) AND seq > ? ORDER BY seq LIMIT ?',
    )
      .all(sessionId, after, limit)
      .map(entryOf);
  }

  async lastSeq(sessionId: string): Promise<number> {
    const sql = 'SELECT MAX(seq) AS seq FROM events WHERE session_key = (SELECT key FROM sessions WHERE id = ?)';
    return this.#sql<[string], { seq: number | null }>(sql).get(sessionId)?.seq ?? 0;
  }

  async reopen(sessionId: string): Promise<void> {
    this.#sql('UPDATE sessions SET ended_at = NULL, end_reason = NULL WHERE id = ?').run(sessionId);
  }

  async endAllLive(reason: EndReason, at: number): Promise<number> {
    return this.#sql(END_SESSIONS).run(at, reason).changes;
  }

  async deleteEndedBefore(at: number): Promise<number> {
    return this.#db.transaction(() => {
      const old = this.#sql<[number], { key: number; id: string }>(
        'SELECT key, id FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?',
      ).all(at);
      for (const { key, id } of old) {
        this.#sql('DELETE FROM events WHERE session_key = ?').run(key);
        this.#sql('DELETE FROM sessions WHERE key = ?').run(key);
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

/** Signed-in browsers and their push subscriptions, in the same database as the sessions. */
class SqliteDeviceStore implements DeviceStore {
  readonly #db: Database.Database;
  readonly #sql: Prepare;

  constructor(db: Database.Database, sql: Prepare) {
    this.#db = db;
    this.#sql = sql;
  }

  async deviceCookieId(): Promise<string> {
    this.#sql("INSERT OR IGNORE INTO settings (name, value) VALUES ('device_cookie_id', ?)").run(newDeviceCookieId());
    return this.#sql<[], { value: string }>("SELECT value FROM settings WHERE name = 'device_cookie_id'").get()!.value;
  }

  async insertDevice(device: DeviceRecord): Promise<boolean> {
    return (
      this.#sql<[DeviceRecord]>(
        `INSERT INTO devices (id, secret_hash, label, created_at, last_seen_at, address, paired_by)
         SELECT @id, @secretHash, @label, @createdAt, @lastSeenAt, @address, @pairedBy
         WHERE @pairedBy IS NULL OR EXISTS (SELECT 1 FROM devices WHERE id = @pairedBy)`,
      ).run(device).changes > 0
    );
  }

  async setTellClaudeOnPhone(id: string, on: boolean): Promise<boolean> {
    return this.#sql('UPDATE devices SET tell_claude_on_phone = ? WHERE id = ?').run(on ? 1 : 0, id).changes > 0;
  }

  async findDeviceBySecretHash(secretHash: string): Promise<DeviceRecord | undefined> {
    const row = this.#sql<[string], DeviceRow>('SELECT * FROM devices WHERE secret_hash = ?').get(secretHash);
    return row && deviceOf(row);
  }

  async touchDevice(id: string, lastSeenAt: number, address: string): Promise<void> {
    this.#sql('UPDATE devices SET last_seen_at = ?, address = ? WHERE id = ?').run(lastSeenAt, address, id);
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return this.#sql<[], DeviceRow>('SELECT * FROM devices ORDER BY last_seen_at DESC, id').all().map(deviceOf);
  }

  async deleteDevice(id: string): Promise<string[]> {
    return this.#db.transaction(() => {
      const removed = this.#sql<[string], { id: string }>(
        `WITH RECURSIVE paired (id) AS (SELECT id FROM devices WHERE id = ? UNION SELECT devices.id FROM devices JOIN paired ON devices.paired_by = paired.id)
         DELETE FROM devices WHERE id IN (SELECT id FROM paired) RETURNING id`,
      ).all(id);
      this.#deleteOrphanSubscriptions();
      return removed.map((row) => row.id);
    })();
  }

  async deleteAllDevices(): Promise<number> {
    return this.#db.transaction(() => {
      this.#sql('DELETE FROM push_subscriptions').run();
      return this.#sql('DELETE FROM devices').run().changes;
    })();
  }

  async deleteDevicesSeenBefore(at: number): Promise<number> {
    return this.#db.transaction(() => {
      const count = this.#sql('DELETE FROM devices WHERE last_seen_at < ?').run(at).changes;
      this.#deleteOrphanSubscriptions();
      return count;
    })();
  }

  #deleteOrphanSubscriptions(): void {
    this.#sql('DELETE FROM push_subscriptions WHERE device_id NOT IN (SELECT id FROM devices)').run();
  }

  async savePushSubscription(subscription: PushSubscriptionRecord): Promise<void> {
    this.#db.transaction(() => {
      this.#sql('DELETE FROM push_subscriptions WHERE endpoint = ?').run(subscription.endpoint);
      this.#sql(
        `INSERT OR REPLACE INTO push_subscriptions (device_id, endpoint, p256dh, auth, kinds, created_at, last_used_at)
         VALUES (@deviceId, @endpoint, @p256dh, @auth, @kinds, @createdAt, @lastUsedAt)`,
      ).run({ ...subscription, kinds: subscription.kinds.join(',') });
    })();
  }

  async pushSubscription(deviceId: string): Promise<PushSubscriptionRecord | undefined> {
    const row = this.#sql<[string], PushSubscriptionRow>('SELECT * FROM push_subscriptions WHERE device_id = ?').get(deviceId);
    return row && pushSubscriptionOf(row);
  }

  async listPushSubscriptions(): Promise<PushSubscriptionRecord[]> {
    return this.#sql<[], PushSubscriptionRow>('SELECT * FROM push_subscriptions ORDER BY created_at, device_id')
      .all()
      .map(pushSubscriptionOf);
  }

  async deletePushSubscription(deviceId: string): Promise<boolean> {
    return this.#sql('DELETE FROM push_subscriptions WHERE device_id = ?').run(deviceId).changes > 0;
  }

  async deletePushSubscriptionByEndpoint(endpoint: string): Promise<boolean> {
    return this.#sql('DELETE FROM push_subscriptions WHERE endpoint = ?').run(endpoint).changes > 0;
  }

  async touchPushSubscription(deviceId: string, at: number): Promise<void> {
    this.#sql('UPDATE push_subscriptions SET last_used_at = ? WHERE device_id = ?').run(at, deviceId);
  }
}
