import type { EndReason, TranscriptEntry } from '../../protocol/index.ts';
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
} from '../store-rows.ts';
import { newDeviceCookieId, type DeviceRecord, type DeviceStore, type PushSubscriptionRecord } from '../devices.ts';
import type { SessionSnapshot } from '../events.ts';
import type { HistoryQuery, ProjectUse, SessionStore, StoreWrite } from '../store.ts';
import { Postgres, type Statement } from './postgres.ts';

/**
 * Forward migrations, run in order at open under an advisory lock (nodes may start together);
 * `vibes_schema` records how many have run. Never edit one that has shipped: add the next.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE sessions (
     id TEXT PRIMARY KEY,
     node TEXT NOT NULL,
     name TEXT,
     state TEXT NOT NULL,
     owner_id TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     last_activity_at BIGINT NOT NULL,
     cwd TEXT NOT NULL,
     model TEXT,
     permission_mode TEXT NOT NULL DEFAULT 'default',
     todos TEXT,
     cost_usd DOUBLE PRECISION NOT NULL DEFAULT 0,
     claude_session_id TEXT,
     failure TEXT,
     ended_at BIGINT,
     end_reason TEXT
   );
   CREATE INDEX sessions_ended ON sessions (ended_at) WHERE ended_at IS NOT NULL;
   CREATE INDEX sessions_live ON sessions (node) WHERE ended_at IS NULL;
   CREATE TABLE events (
     session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     at BIGINT NOT NULL,
     type TEXT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (session_id, seq)
   );
   CREATE TABLE devices (
     id TEXT PRIMARY KEY,
     secret_hash TEXT NOT NULL UNIQUE,
     label TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     last_seen_at BIGINT NOT NULL,
     address TEXT NOT NULL
   );`,
  // The token every node accepts, so one CLI config and one pairing work everywhere.
  `CREATE TABLE cluster_credentials (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     token TEXT NOT NULL
   );`,
  // Whether the fake Claude answers a session, so a resume runs the same kind.
  `ALTER TABLE sessions ADD COLUMN demo BOOLEAN NOT NULL DEFAULT false;`,
  // A device's Web Push subscription; it goes with its device.
  `CREATE TABLE push_subscriptions (
     device_id TEXT PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
     endpoint TEXT NOT NULL UNIQUE,
     p256dh TEXT NOT NULL,
     auth TEXT NOT NULL,
     kinds TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     last_used_at BIGINT
   );`,
  // What a card shows at a glance: the title (from the first prompt), the latest reply's line, the branch.
  `ALTER TABLE sessions ADD COLUMN title TEXT;
   ALTER TABLE sessions ADD COLUMN preview TEXT;
   ALTER TABLE sessions ADD COLUMN git_branch TEXT;`,
  // Which device's pairing code a device signed in with: revoking one revokes those it paired;
  // and settings of the cluster (the device cookie's name, the same on every node).
  `ALTER TABLE devices ADD COLUMN paired_by TEXT;
   CREATE INDEX devices_paired_by ON devices (paired_by) WHERE paired_by IS NOT NULL;
   CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // The commit the session started on: its changes are counted against it, also after a resume.
  `ALTER TABLE sessions ADD COLUMN start_commit TEXT;`,
  // Pinned sessions are listed first, on every device.
  `ALTER TABLE sessions ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT false;`,
  // A device's own preference: input from it tells Claude the user is on a phone (issue 29).
  `ALTER TABLE devices ADD COLUMN tell_claude_on_phone BOOLEAN NOT NULL DEFAULT false;`,
];

/** Rows per INSERT: five parameters each, well under PostgreSQL's 65535. */
const ROWS_PER_INSERT = 500;
const MIGRATION_LOCK = 0x76696265; // 'vibe'

interface PostgresSessionRow extends SessionRow {
  node: string;
}

const UPSERT_SESSION = upsertSessionSql((n) => `$${n}`, ['node']);
const END_SESSIONS = endSessionsSql('$1', '$2');

/**
 * Sessions, transcripts and devices in PostgreSQL, shared by every node of a cluster. A write
 * is committed when `write` returns (one transaction per tick). Each node writes only the
 * sessions it runs; history and devices are everyone's.
 */
export class PostgresStore implements SessionStore {
  readonly node: string;
  readonly devices: DeviceStore;
  /** The sessions `endAllLive` ended: this node's, cut off by its last stop. */
  endedAtOpen: string[] = [];
  readonly #db: Postgres;

  private constructor(db: Postgres, node: string) {
    this.node = node;
    this.#db = db;
    this.devices = new PostgresDeviceStore(db);
  }

  /**
   * Connects and runs the migrations the database lacks. `node` is this node's name: written
   * beside the sessions it runs; `endAllLive` ends only those.
   */
  static async open(options: { url: string; node: string }): Promise<PostgresStore> {
    const db = new Postgres(options.url);
    try {
      await migrate(db);
    } catch (error) {
      await db.close();
      throw error;
    }
    return new PostgresStore(db, options.node);
  }

  schemaVersion(): Promise<number> {
    return schemaVersion(this.#db);
  }

  async write(batch: StoreWrite): Promise<void> {
    const statements: Statement[] = [];
    for (const snapshot of batch.sessions ?? []) {
      // An ended session renamed here stays the node's that ran it.
      statements.push({ sql: UPSERT_SESSION, params: [...sessionValues(snapshot), snapshot.node ?? this.node] });
    }
    const events = batch.events ?? [];
    for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
      const chunk = events.slice(start, start + ROWS_PER_INSERT);
      const params: unknown[] = [];
      const rows = chunk.map(({ sessionId, entry }, index) => {
        params.push(sessionId, ...eventValues(entry));
        const at = index * 5;
        return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5})`;
      });
      statements.push({
        sql: `INSERT INTO events (session_id, seq, at, type, data) VALUES ${rows.join(', ')} ON CONFLICT DO NOTHING`,
        params,
      });
    }
    for (const { sessionId, reason, at } of batch.ended ?? []) {
      statements.push({
        sql: `${END_SESSIONS} AND id = $3`,
        params: [at, reason, sessionId],
      });
    }
    await this.#db.transaction(statements);
  }

  async getSession(sessionId: string): Promise<SessionSnapshot | undefined> {
    const [row] = await this.#db.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [sessionId]);
    return row && snapshotOf(row);
  }

  /** Sessions no node has ended, with the node each runs on. */
  async listLive(): Promise<{ node: string; session: SessionSnapshot }[]> {
    const rows = await this.#db.query<PostgresSessionRow>('SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY created_at, id');
    return rows.map((row) => ({ node: row.node, session: snapshotOf(row) }));
  }

  async listEnded(query: HistoryQuery): Promise<SessionSnapshot[]> {
    const params: unknown[] = [];
    const sql = historySql(query, (value) => `$${params.push(value)}`);
    return (await this.#db.query<SessionRow>(sql, params)).map(snapshotOf);
  }

  async recentProjects(limit: number): Promise<ProjectUse[]> {
    return this.#db.query<ProjectUse>(recentProjectsSql('$1'), [limit]);
  }

  async readEvents(sessionId: string, after: number, limit: number): Promise<TranscriptEntry[]> {
    const rows = await this.#db.query<{ seq: number; at: number; data: string }>(
      'SELECT seq, at, data FROM events WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [sessionId, after, limit],
    );
    return rows.map(entryOf);
  }

  async lastSeq(sessionId: string): Promise<number> {
    const [row] = await this.#db.query<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM events WHERE session_id = $1', [sessionId]);
    return row?.seq ?? 0;
  }

  async reopen(sessionId: string): Promise<void> {
    // Resuming runs the session here, so it becomes this node's.
    await this.#db.query('UPDATE sessions SET ended_at = NULL, end_reason = NULL, node = $2 WHERE id = $1', [sessionId, this.node]);
  }

  /** Ends this node's live sessions only: the other nodes' are still running. */
  async endAllLive(reason: EndReason, at: number): Promise<number> {
    this.endedAtOpen = await this.endLiveOf(this.node, reason, at);
    return this.endedAtOpen.length;
  }

  /** The cluster's token: the one stored, or `candidate` when this is the first node. */
  async clusterToken(candidate: string): Promise<string> {
    const [, rows] = await this.#db.transaction([
      { sql: 'INSERT INTO cluster_credentials (id, token) VALUES (1, $1) ON CONFLICT DO NOTHING', params: [candidate] },
      { sql: 'SELECT token FROM cluster_credentials WHERE id = 1' },
    ]);
    return String(rows?.[0]?.token);
  }

  /** A rotation on this node: every node takes the new token from here. */
  async replaceClusterToken(token: string): Promise<void> {
    await this.#db.query('UPDATE cluster_credentials SET token = $1 WHERE id = 1', [token]);
  }

  /** What every node must agree on, in one round trip: the token and the devices still signed in. */
  async sharedCredentials(): Promise<{ token: string; deviceIds: string[] }> {
    const [row] = await this.#db.query<{ token: string; device_ids: string[] | null }>(
      'SELECT (SELECT token FROM cluster_credentials WHERE id = 1) AS token, (SELECT array_agg(id) FROM devices) AS device_ids',
    );
    return { token: String(row?.token), deviceIds: row?.device_ids ?? [] };
  }

  /** Ends every live session of `node` (it restarted, or was lost); returns their ids. */
  async endLiveOf(node: string, reason: EndReason, at: number): Promise<string[]> {
    const rows = await this.#db.query<{ id: string }>(`${END_SESSIONS} AND node = $3 RETURNING id`, [at, reason, node]);
    return rows.map((row) => row.id);
  }

  async deleteEndedBefore(at: number): Promise<number> {
    return (await this.#db.query('DELETE FROM sessions WHERE ended_at IS NOT NULL AND ended_at < $1 RETURNING id', [at])).length;
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

async function schemaVersion(db: Postgres): Promise<number> {
  const [table] = await db.query<{ exists: boolean }>("SELECT to_regclass('vibes_schema') IS NOT NULL AS exists");
  if (!table?.exists) return 0;
  return (await db.query<{ version: number }>('SELECT version FROM vibes_schema'))[0]?.version ?? 0;
}

async function migrate(db: Postgres): Promise<void> {
  const version = await schemaVersion(db);
  if (version > PG_MIGRATIONS.length) {
    throw new Error(`The vibes database is from a newer vibes (schema ${version}, this one knows ${PG_MIGRATIONS.length})`);
  }
  if (version === PG_MIGRATIONS.length) return;
  // Under the lock, a node that lost the race finds the work done and re-reads the version in SQL.
  await db.transaction([
    { sql: 'SELECT pg_advisory_xact_lock($1)', params: [MIGRATION_LOCK] },
    { sql: 'CREATE TABLE IF NOT EXISTS vibes_schema (version INTEGER NOT NULL)' },
    { sql: 'INSERT INTO vibes_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM vibes_schema)' },
  ]);
  for (let next = 0; next < PG_MIGRATIONS.length; next++) {
    await db.transaction([
      { sql: 'SELECT pg_advisory_xact_lock($1)', params: [MIGRATION_LOCK] },
      {
        sql: `DO $migrate$ BEGIN
                IF (SELECT version FROM vibes_schema) = ${next} THEN
                  EXECUTE ${dollarQuote(PG_MIGRATIONS[next] ?? '')};
                  UPDATE vibes_schema SET version = ${next + 1};
                END IF;
              END $migrate$`,
      },
    ]);
  }
}

function dollarQuote(sql: string): string {
  return `$sql$${sql}$sql$`;
}

/** The devices named and, transitively, those they paired. */
const DELETE_PAIRED = `
  WITH RECURSIVE paired (id) AS (
    SELECT id FROM devices WHERE id = ANY($1::text[])
    UNION SELECT devices.id FROM devices JOIN paired ON devices.paired_by = paired.id)
  DELETE FROM devices WHERE id IN (SELECT id FROM paired) RETURNING id`;

/** Signed-in browsers, shared by every node: a phone signed in through one node is known to all. */
class PostgresDeviceStore implements DeviceStore {
  readonly #db: Postgres;

  constructor(db: Postgres) {
    this.#db = db;
  }

  async deviceCookieId(): Promise<string> {
    const [, rows] = await this.#db.transaction([
      { sql: "INSERT INTO settings (name, value) VALUES ('device_cookie_id', $1) ON CONFLICT DO NOTHING", params: [newDeviceCookieId()] },
      { sql: "SELECT value FROM settings WHERE name = 'device_cookie_id'" },
    ]);
    return String(rows?.[0]?.value);
  }

  async insertDevice(device: DeviceRecord): Promise<boolean> {
    // FOR KEY SHARE: a revocation of the pairing device waits for this insert, or this one finds it gone.
    const rows = await this.#db.query(
      `INSERT INTO devices (id, secret_hash, label, created_at, last_seen_at, address, paired_by)
       SELECT $1, $2, $3, $4, $5, $6, $7::text
       WHERE $7::text IS NULL OR EXISTS (SELECT 1 FROM devices WHERE id = $7::text FOR KEY SHARE)
       RETURNING id`,
      [device.id, device.secretHash, device.label, device.createdAt, device.lastSeenAt, device.address, device.pairedBy],
    );
    return rows.length > 0;
  }

  async findDeviceBySecretHash(secretHash: string): Promise<DeviceRecord | undefined> {
    const [row] = await this.#db.query<DeviceRow>('SELECT * FROM devices WHERE secret_hash = $1', [secretHash]);
    return row && deviceOf(row);
  }

  async touchDevice(id: string, lastSeenAt: number, address: string): Promise<void> {
    await this.#db.query('UPDATE devices SET last_seen_at = $1, address = $2 WHERE id = $3', [lastSeenAt, address, id]);
  }

  async setTellClaudeOnPhone(id: string, on: boolean): Promise<boolean> {
    return (await this.#db.query('UPDATE devices SET tell_claude_on_phone = $1 WHERE id = $2 RETURNING id', [on, id])).length > 0;
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return (await this.#db.query<DeviceRow>('SELECT * FROM devices ORDER BY last_seen_at DESC, id')).map(deviceOf);
  }

  async deleteDevice(id: string): Promise<string[]> {
    const removed: string[] = [];
    // Again until none is left: a device that signed in with a code of one removed meanwhile is found by the next pass.
    for (let roots = [id]; roots.length > 0;) {
      removed.push(...(await this.#db.query<{ id: string }>(DELETE_PAIRED, [roots])).map((row) => row.id));
      roots = (await this.#db.query<{ id: string }>('SELECT id FROM devices WHERE paired_by = ANY($1::text[])', [removed])).map(
        (row) => row.id,
      );
    }
    return removed;
  }

  async deleteAllDevices(): Promise<number> {
    return (await this.#db.query('DELETE FROM devices RETURNING id')).length;
  }

  async deleteDevicesSeenBefore(at: number): Promise<number> {
    return (await this.#db.query('DELETE FROM devices WHERE last_seen_at < $1 RETURNING id', [at])).length;
  }

  async savePushSubscription(subscription: PushSubscriptionRecord): Promise<void> {
    await this.#db.transaction([
      { sql: 'DELETE FROM push_subscriptions WHERE endpoint = $1', params: [subscription.endpoint] },
      {
        sql: `INSERT INTO push_subscriptions (device_id, endpoint, p256dh, auth, kinds, created_at, last_used_at)
              VALUES ($1, $2, $3, $4, $5, $6, $7)
              ON CONFLICT (device_id) DO UPDATE SET endpoint = excluded.endpoint, p256dh = excluded.p256dh, auth = excluded.auth,
                kinds = excluded.kinds, created_at = excluded.created_at, last_used_at = excluded.last_used_at`,
        params: [
          subscription.deviceId,
          subscription.endpoint,
          subscription.p256dh,
          subscription.auth,
          subscription.kinds.join(','),
          subscription.createdAt,
          subscription.lastUsedAt,
        ],
      },
    ]);
  }

  async pushSubscription(deviceId: string): Promise<PushSubscriptionRecord | undefined> {
    const [row] = await this.#db.query<PushSubscriptionRow>('SELECT * FROM push_subscriptions WHERE device_id = $1', [deviceId]);
    return row && pushSubscriptionOf(row);
  }

  async listPushSubscriptions(): Promise<PushSubscriptionRecord[]> {
    return (await this.#db.query<PushSubscriptionRow>('SELECT * FROM push_subscriptions ORDER BY created_at, device_id')).map(
      pushSubscriptionOf,
    );
  }

  async deletePushSubscription(deviceId: string): Promise<boolean> {
    return (await this.#db.query('DELETE FROM push_subscriptions WHERE device_id = $1 RETURNING device_id', [deviceId])).length > 0;
  }

  async deletePushSubscriptionByEndpoint(endpoint: string): Promise<boolean> {
    return (await this.#db.query('DELETE FROM push_subscriptions WHERE endpoint = $1 RETURNING device_id', [endpoint])).length > 0;
  }

  async touchPushSubscription(deviceId: string, at: number): Promise<void> {
    await this.#db.query('UPDATE push_subscriptions SET last_used_at = $1 WHERE device_id = $2', [at, deviceId]);
  }
}
