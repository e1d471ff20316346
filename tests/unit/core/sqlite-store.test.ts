import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PG_MIGRATIONS, PostgresStore } from '../../../lib/core/cluster/postgres-store.ts';
import { SyncPostgres } from '../../../lib/core/cluster/sync-postgres.ts';
import { MemoryStore, type SessionSnapshot, type SessionStore } from '../../../lib/core/index.ts';
import { MIGRATIONS, SqliteStore } from '../../../lib/core/sqlite-store.ts';
import type { TranscriptEntry } from '../../../lib/protocol/index.ts';
import { startPostgres } from '../../support/engines.ts';

const dirs: string[] = [];
const stores: SessionStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// The same cases run against a real PostgreSQL (the cluster's store): one server per file, a database per store.
let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
let admin: SyncPostgres | undefined;
let databases = 0;
beforeAll(async () => {
  postgres = await startPostgres();
  admin = new SyncPostgres(postgres.url);
}, 60_000);
afterAll(async () => {
  admin?.close();
  await postgres?.stop();
});

function postgresUrl(): string {
  const name = `store_${++databases}`;
  admin!.query(`CREATE DATABASE ${name}`);
  return postgres!.url.replace(/\/postgres$/, `/${name}`);
}

function openPostgres(url = postgresUrl(), node = 'node-a'): PostgresStore {
  const store = new PostgresStore({ url, node });
  stores.push(store);
  return store;
}

function dbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vibes-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'vibes.db');
}

function open(path = dbPath()): SqliteStore {
  const store = new SqliteStore(path);
  stores.push(store);
  return store;
}

const snapshot = (id: string, extra: Partial<SessionSnapshot> = {}): SessionSnapshot => ({
  id,
  name: 'build',
  title: 'build',
  preview: null,
  project: 'tmp',
  git_branch: null,
  state: 'processing',
  owner_id: 'owner',
  subscriber_count: 2,
  created_at: 1_700_000_000,
  last_activity_at: 1_700_000_010,
  cwd: '/tmp',
  model: 'opus',
  permission_mode: 'default',
  todos: null,
  pending_permissions: [],
  queued_inputs: 0,
  cost_usd: 0.25,
  claude_session_id: 'claude-1',
  failure: null,
  ended_at: null,
  end_reason: null,
  demo: false,
  node: null,
  changes: null,
  start_commit: null,
  context: null,
  ...extra,
});

const entries = (from: number, count: number): TranscriptEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    at: 1_700_000_000 + from + i,
    event: { type: 'text_delta', message_id: 'm', text: `chunk ${from + i}` },
  }));

// PostgreSQL records the node that wrote a session: the machine it runs on.
describe.each([
  ['SqliteStore', () => open(), null],
  ['MemoryStore', () => new MemoryStore(), null],
  ['PostgresStore', () => openPostgres(), 'node-a'],
])('%s', (_name, make: () => SessionStore, node: string | null) => {
  it('keeps every SessionInfo field, and pages the transcript', () => {
    const store = make();
    store.write({ sessions: [snapshot('s1')], events: entries(1, 250).map((entry) => ({ sessionId: 's1', entry })) });
    expect(store.getSession('s1')).toEqual({ ...snapshot('s1'), subscriber_count: 0, node });
    expect(store.lastSeq('s1')).toBe(250);
    expect(store.lastSeq('nope')).toBe(0);
    expect(store.readEvents('s1', 0, 3)).toEqual(entries(1, 3));
    expect(store.readEvents('s1', 200, 100)).toEqual(entries(201, 50));
    expect(store.readEvents('s1', 250, 10)).toEqual([]);
    expect(store.getSession('nope')).toBeUndefined();
    store.write({ sessions: [snapshot('demo', { demo: true })] });
    expect(store.getSession('demo')).toEqual({ ...snapshot('demo', { demo: true }), subscriber_count: 0, node });
  });

  it('ends sessions, lists the history newest first, and reopens one', () => {
    const store = make();
    store.write({ sessions: [snapshot('a'), snapshot('b'), snapshot('c', { state: 'failed', failure: 'boom' })] });
    store.write({
      ended: [
        { sessionId: 'a', reason: 'killed', at: 100 },
        { sessionId: 'b', reason: 'session_finished', at: 200 },
      ],
    });
    // An update after the end leaves the end alone.
    store.write({ sessions: [snapshot('a', { state: 'finished', cost_usd: 1 })] });
    expect(store.listEnded({ limit: 10 }).map((s) => [s.id, s.end_reason, s.state])).toEqual([
      ['b', 'session_finished', 'finished'],
      ['a', 'killed', 'finished'],
    ]);
    expect(store.listEnded({ limit: 10, before: 200 }).map((s) => s.id)).toEqual(['a']);
    expect(store.listEnded({ limit: 1 }).map((s) => s.id)).toEqual(['b']);
    expect(store.getSession('a')).toMatchObject({ cost_usd: 1, ended_at: 100, subscriber_count: 0 });

    expect(store.endAllLive('server_restarted', 300)).toBe(1);
    expect(store.getSession('c')).toMatchObject({ state: 'failed', failure: 'boom', end_reason: 'server_restarted', ended_at: 300 });
    expect(store.endAllLive('server_restarted', 400)).toBe(0);

    store.reopen('a');
    expect(store.getSession('a')).toMatchObject({ ended_at: null, end_reason: null });
    expect(store.listEnded({ limit: 10 }).map((s) => s.id)).toEqual(['c', 'b']);
  });

  it('retention deletes sessions that ended long ago, with their transcripts, and nothing live', () => {
    const store = make();
    store.write({ sessions: [snapshot('old'), snapshot('new'), snapshot('live')] });
    store.write({
      events: [
        ...entries(1, 5).map((entry) => ({ sessionId: 'old', entry })),
        ...entries(1, 5).map((entry) => ({ sessionId: 'live', entry })),
      ],
    });
    store.write({
      ended: [
        { sessionId: 'old', reason: 'killed', at: 1000 },
        { sessionId: 'new', reason: 'killed', at: 5000 },
      ],
    });
    expect(store.deleteEndedBefore(2000)).toBe(1);
    expect(store.getSession('old')).toBeUndefined();
    expect(store.readEvents('old', 0, 10)).toEqual([]);
    expect(store.getSession('new')).toBeDefined();
    expect(store.readEvents('live', 0, 10)).toHaveLength(5);
  });

  it('writes a seq once', () => {
    const store = make();
    store.write({ sessions: [snapshot('s1')], events: entries(1, 3).map((entry) => ({ sessionId: 's1', entry })) });
    store.write({ events: entries(3, 2).map((entry) => ({ sessionId: 's1', entry: { ...entry, at: 1 } })) });
    expect(store.readEvents('s1', 0, 10).map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
    expect(store.readEvents('s1', 2, 1)).toEqual(entries(3, 1));
  });
});

describe('SqliteStore on disk', () => {
  it('migrates an empty database to the latest schema, in WAL mode, and a second open changes nothing', () => {
    const path = dbPath();
    const first = open(path);
    expect(first.schemaVersion).toBe(MIGRATIONS.length);
    first.write({ sessions: [snapshot('s1')], events: entries(1, 10).map((entry) => ({ sessionId: 's1', entry })) });
    first.close();

    const second = open(path);
    expect(second.schemaVersion).toBe(MIGRATIONS.length);
    expect(second.readEvents('s1', 0, 100)).toHaveLength(10);
    expect(second.integrityCheck()).toBe('ok');
    second.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('a database from before demo sessions keeps its sessions, which are not demos', () => {
    const path = dbPath();
    mkdirSync(dirname(path), { recursive: true });
    const raw = new Database(path);
    for (const migration of MIGRATIONS.slice(0, 3)) raw.exec(migration);
    raw.pragma('user_version = 3');
    raw
      .prepare("INSERT INTO sessions (id, state, owner_id, created_at, last_activity_at, cwd) VALUES ('old', 'idle', 'o', 1, 1, '/tmp')")
      .run();
    raw.close();
    const store = open(path);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(store.getSession('old')).toMatchObject({ id: 'old', demo: false });
  });

  it('a database from before devices knew who paired them keeps its devices, paired by nobody', () => {
    const path = dbPath();
    mkdirSync(dirname(path), { recursive: true });
    const raw = new Database(path);
    const before = MIGRATIONS.findIndex((migration) => migration.includes('paired_by'));
    for (const migration of MIGRATIONS.slice(0, before)) raw.exec(migration);
    raw.pragma(`user_version = ${before}`);
    raw
      .prepare("INSERT INTO devices (id, secret_hash, label, created_at, last_seen_at, address) VALUES ('old', 'h', 'Phone', 1, 2, '-')")
      .run();
    raw.close();
    const store = open(path);
    expect(store.schemaVersion).toBe(MIGRATIONS.length);
    expect(store.devices.listDevices()).toEqual([
      { id: 'old', secretHash: 'h', label: 'Phone', createdAt: 1, lastSeenAt: 2, address: '-', pairedBy: null },
    ]);
    expect(store.devices.deleteDevice('old')).toEqual(['old']);
    // The device cookie's name is made once and kept: a restart signs nobody out.
    const cookieId = store.devices.deviceCookieId();
    expect(cookieId).toMatch(/^[0-9a-f]{12}$/);
    store.close();
    expect(open(path).devices.deviceCookieId()).toBe(cookieId);
  });

  it('keeps the commit a session started on, and a database from before it keeps its sessions (without one)', () => {
    const path = dbPath();
    mkdirSync(dirname(path), { recursive: true });
    const raw = new Database(path);
    const before = MIGRATIONS.length - 1;
    for (const migration of MIGRATIONS.slice(0, before)) raw.exec(migration);
    raw.pragma(`user_version = ${before}`);
    raw
      .prepare("INSERT INTO sessions (id, state, owner_id, created_at, last_activity_at, cwd) VALUES ('old', 'idle', 'o', 1, 1, '/tmp')")
      .run();
    raw.close();
    const store = open(path);
    expect(store.getSession('old')).toMatchObject({ id: 'old', start_commit: null, changes: null });
    const commit = 'a'.repeat(40);
    store.write({ sessions: [snapshot('s1', { start_commit: commit, changes: { files: 2, additions: 3, deletions: 1 } })] });
    // The summary is recounted, never stored; the start commit is kept for the changes after a resume.
    expect(store.getSession('s1')).toMatchObject({ start_commit: commit, changes: null });
  });

  it('refuses a database from a newer vibes', () => {
    const path = dbPath();
    open(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => open(path)).toThrow(/newer vibes/);
  });

  it('a write is one transaction: when it fails, none of it is kept', () => {
    const store = open();
    store.write({ sessions: [snapshot('s1')] });
    const bad = { sessionId: 's1', entry: { seq: 2, at: 1, event: { type: 'text', message_id: 'm', text: 'x' } } } as const;
    // JSON.stringify throws on a BigInt, half-way through the batch.
    const broken = {
      sessionId: 's1',
      entry: { seq: 3, at: 1, event: { type: 'text', message_id: 'm', text: 1n as unknown as string } },
    } as const;
    expect(() => store.write({ events: [bad, broken] })).toThrow();
    expect(store.lastSeq('s1')).toBe(0);
    expect(store.integrityCheck()).toBe('ok');
  });

  it('what one connection committed is what another reads, while it stays open (a crash keeps it)', () => {
    const path = dbPath();
    const writer = open(path);
    writer.write({ sessions: [snapshot('s1')], events: entries(1, 100).map((entry) => ({ sessionId: 's1', entry })) });
    // The writer is never closed cleanly before the reader opens, as after a SIGKILL.
    const reader = open(path);
    expect(reader.lastSeq('s1')).toBe(100);
    expect(reader.endAllLive('server_restarted', 5)).toBe(1);
    expect(reader.integrityCheck()).toBe('ok');
  });
});

describe('PostgresStore', () => {
  it('migrates an empty database once, even when nodes open it together, and a second open changes nothing', () => {
    const url = postgresUrl();
    const [first, second] = [openPostgres(url, 'a'), openPostgres(url, 'b')];
    expect(first.schemaVersion).toBe(PG_MIGRATIONS.length);
    expect(second.schemaVersion).toBe(PG_MIGRATIONS.length);
    first.write({ sessions: [snapshot('s1')], events: entries(1, 1200).map((entry) => ({ sessionId: 's1', entry })) });
    expect(openPostgres(url, 'c').readEvents('s1', 1100, 500)).toEqual(entries(1101, 100));
  });

  it('a database from before devices knew who paired them keeps its devices, paired by nobody', () => {
    const url = postgresUrl();
    const raw = new SyncPostgres(url);
    raw.query('CREATE TABLE vibes_schema (version INTEGER NOT NULL)');
    const before = PG_MIGRATIONS.findIndex((migration) => migration.includes('paired_by'));
    raw.query(`INSERT INTO vibes_schema (version) VALUES (${before})`);
    for (const migration of PG_MIGRATIONS.slice(0, before)) raw.query(migration);
    raw.query("INSERT INTO devices (id, secret_hash, label, created_at, last_seen_at, address) VALUES ('old', 'h', 'Phone', 1, 2, '-')");
    raw.close();
    const store = openPostgres(url);
    expect(store.schemaVersion).toBe(PG_MIGRATIONS.length);
    expect(store.devices.listDevices()).toEqual([
      { id: 'old', secretHash: 'h', label: 'Phone', createdAt: 1, lastSeenAt: 2, address: '-', pairedBy: null },
    ]);
  });

  it('removing a device removes, transitively, the devices it paired; one paired by a device gone is not stored', () => {
    const url = postgresUrl();
    const [a, b] = [openPostgres(url, 'a'), openPostgres(url, 'b')];
    const device = (id: string, pairedBy: string | null) => ({
      id,
      secretHash: `h-${id}`,
      label: id,
      createdAt: 1,
      lastSeenAt: 2,
      address: '-',
      pairedBy,
    });
    expect(a.devices.insertDevice(device('laptop', null))).toBe(true);
    expect(b.devices.insertDevice(device('phone', 'laptop'))).toBe(true);
    expect(a.devices.insertDevice(device('tablet', 'phone'))).toBe(true);
    expect(a.devices.insertDevice(device('desktop', null))).toBe(true);
    expect(b.devices.deleteDevice('phone').sort()).toEqual(['phone', 'tablet']);
    expect(
      a.devices
        .listDevices()
        .map((found) => found.id)
        .sort(),
    ).toEqual(['desktop', 'laptop']);
    expect(a.devices.insertDevice(device('thief', 'phone'))).toBe(false);
    expect(b.devices.deleteDevice('phone')).toEqual([]);
    expect(b.devices.findDeviceBySecretHash('h-thief')).toBeUndefined();
    // One device table, one cookie name: a browser signed in through one node is signed in on all.
    expect(a.devices.deviceCookieId()).toBe(b.devices.deviceCookieId());
  });

  it('refuses a database from a newer vibes', () => {
    const url = postgresUrl();
    openPostgres(url).close();
    const raw = new SyncPostgres(url);
    raw.query('UPDATE vibes_schema SET version = version + 1');
    raw.close();
    expect(() => openPostgres(url)).toThrow(/newer vibes/);
  });

  it('a write is one transaction: when it fails, none of it is kept', () => {
    const store = openPostgres();
    store.write({ sessions: [snapshot('s1')] });
    const good = entries(1, 3).map((entry) => ({ sessionId: 's1', entry }));
    // An event of a session never written breaks the foreign key, after the good rows.
    expect(() => store.write({ events: [...good, { sessionId: 'nope', entry: entries(1, 1)[0]! }] })).toThrow();
    expect(store.lastSeq('s1')).toBe(0);
    store.write({ events: good });
    expect(store.lastSeq('s1')).toBe(3);
  });

  it("each node owns what it writes: a restart ends only its own live sessions, and a lost node's are ended by name", () => {
    const url = postgresUrl();
    const [a, b] = [openPostgres(url, 'a'), openPostgres(url, 'b')];
    a.write({ sessions: [snapshot('on-a')] });
    b.write({ sessions: [snapshot('on-b1'), snapshot('on-b2')] });
    expect(a.nodeOf('on-b1')).toBe('b');
    expect(a.listLive().map((live) => [live.node, live.session.id])).toEqual([
      ['a', 'on-a'],
      ['b', 'on-b1'],
      ['b', 'on-b2'],
    ]);
    expect(a.endAllLive('server_restarted', 10)).toBe(1);
    expect(b.getSession('on-b1')).toMatchObject({ ended_at: null });
    expect(a.endLiveOf('b', 'node_lost', 20).sort()).toEqual(['on-b1', 'on-b2']);
    expect(a.listLive()).toEqual([]);
    // Resuming on a runs the session there.
    a.reopen('on-b1');
    expect(b.nodeOf('on-b1')).toBe('a');
  });

  it('devices are shared by every node', () => {
    const url = postgresUrl();
    const [a, b] = [openPostgres(url, 'a'), openPostgres(url, 'b')];
    const device = { id: 'd1', secretHash: 'h1', label: 'Phone', createdAt: 1, lastSeenAt: 2, address: '10.0.0.2', pairedBy: null };
    a.devices.insertDevice(device);
    expect(b.devices.findDeviceBySecretHash('h1')).toEqual(device);
    expect(() => b.devices.insertDevice({ ...device, id: 'd2' })).toThrow(expect.objectContaining({ code: '23505' }));
    b.devices.touchDevice('d1', 50, '10.0.0.3');
    expect(a.devices.listDevices()).toEqual([{ ...device, lastSeenAt: 50, address: '10.0.0.3' }]);
    expect(a.devices.deleteDevicesSeenBefore(40)).toBe(0);
    expect(b.devices.deleteDevice('d1')).toEqual(['d1']);
    expect(a.devices.deleteAllDevices()).toBe(0);
  });

  it('push subscriptions are shared, one per device and endpoint, and go with their device', () => {
    const url = postgresUrl();
    const [a, b] = [openPostgres(url, 'a'), openPostgres(url, 'b')];
    for (const id of ['d1', 'd2'])
      a.devices.insertDevice({ id, secretHash: `h-${id}`, label: id, createdAt: 1, lastSeenAt: 2, address: '-', pairedBy: null });
    const subscription = {
      deviceId: 'd1',
      endpoint: 'https://push.example/1',
      p256dh: 'k',
      auth: 'a',
      kinds: ['permission' as const],
      createdAt: 5,
      lastUsedAt: null,
    };
    a.devices.savePushSubscription(subscription);
    expect(b.devices.pushSubscription('d1')).toEqual(subscription);
    // The same endpoint saved for another device moves there.
    b.devices.savePushSubscription({ ...subscription, deviceId: 'd2' });
    expect(a.devices.listPushSubscriptions().map((saved) => saved.deviceId)).toEqual(['d2']);
    b.devices.touchPushSubscription('d2', 9);
    expect(a.devices.pushSubscription('d2')?.lastUsedAt).toBe(9);
    expect(a.devices.deletePushSubscriptionByEndpoint('https://push.example/none')).toBe(false);
    a.devices.deleteDevice('d2');
    expect(b.devices.listPushSubscriptions()).toEqual([]);
  });
});
