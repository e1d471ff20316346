import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDeviceStore, MemoryStore, type SessionStore } from '../../../lib/core/index.ts';
import { MIGRATIONS, SqliteStore } from '../../../lib/core/sqlite-store.ts';
import { describeStoreContract, entries, snapshot } from '../../support/store-contract.ts';

// PostgreSQL runs the same contract in tests/integration/core/postgres-store.test.ts: the unit tier starts no database server.
const dirs: string[] = [];
const stores: SessionStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

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

describeStoreContract('SqliteStore', () => open(), null);
describeStoreContract('MemoryStore', () => new MemoryStore(), null);

describe('SqliteStore on disk', () => {
  it('migrates an empty database to the latest schema, in WAL mode, and a second open changes nothing', async () => {
    const path = dbPath();
    const first = open(path);
    expect(first.schemaVersion).toBe(MIGRATIONS.length);
    await first.write({ sessions: [snapshot('s1')], events: entries(1, 10).map((entry) => ({ sessionId: 's1', entry })) });
    await first.close();

    const second = open(path);
    expect(second.schemaVersion).toBe(MIGRATIONS.length);
    expect(await second.readEvents('s1', 0, 100)).toHaveLength(10);
    expect(second.integrityCheck()).toBe('ok');
    await second.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('a database from before demo sessions keeps its sessions, which are not demos', async () => {
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
    expect(await store.getSession('old')).toMatchObject({ id: 'old', demo: false });
  });

  it('a database from before devices knew who paired them keeps its devices, paired by nobody', async () => {
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
    // Nor did it know of telling Claude about phones: off for every device it kept.
    expect(await store.devices.listDevices()).toEqual([
      { id: 'old', secretHash: 'h', label: 'Phone', createdAt: 1, lastSeenAt: 2, address: '-', pairedBy: null, tellClaudeOnPhone: false },
    ]);
    expect(await store.devices.deleteDevice('old')).toEqual(['old']);
    // The device cookie's name is made once and kept: a restart signs nobody out.
    const cookieId = await store.devices.deviceCookieId();
    expect(cookieId).toMatch(/^[0-9a-f]{12}$/);
    await store.close();
    expect(await open(path).devices.deviceCookieId()).toBe(cookieId);
  });

  it('keeps the commit a session started on, and a database from before it keeps its sessions (without one)', async () => {
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
    expect(await store.getSession('old')).toMatchObject({ id: 'old', start_commit: null, changes: null });
    const commit = 'a'.repeat(40);
    await store.write({ sessions: [snapshot('s1', { start_commit: commit, changes: { files: 2, additions: 3, deletions: 1 } })] });
    // The summary is recounted, never stored; the start commit is kept for the changes after a resume.
    expect(await store.getSession('s1')).toMatchObject({ start_commit: commit, changes: null });
  });

  it("keeps a device's 'tell Claude I'm on my phone' across a reopen, per device; an unknown device changes nothing", async () => {
    const path = dbPath();
    for (const store of [new MemoryDeviceStore(), open(path).devices]) {
      for (const id of ['phone', 'desk']) {
        await store.insertDevice({
          id,
          secretHash: `h-${id}`,
          label: id,
          createdAt: 1,
          lastSeenAt: 2,
          address: '-',
          pairedBy: null,
          tellClaudeOnPhone: true,
        });
      }
      const settings = async () => Object.fromEntries((await store.listDevices()).map((device) => [device.id, device.tellClaudeOnPhone]));
      // A new device starts with it off, whatever the record said.
      expect(await settings()).toEqual({ phone: false, desk: false });
      expect(await store.setTellClaudeOnPhone('phone', true)).toBe(true);
      expect(await store.setTellClaudeOnPhone('gone', true)).toBe(false);
      expect(await settings()).toEqual({ phone: true, desk: false });
      expect((await store.findDeviceBySecretHash('h-phone'))?.tellClaudeOnPhone).toBe(true);
    }
    await stores.pop()?.close();
    expect((await open(path).devices.listDevices()).map((device) => [device.id, device.tellClaudeOnPhone])).toEqual(
      expect.arrayContaining([
        ['phone', true],
        ['desk', false],
      ]),
    );
  });

  it('refuses a database from a newer vibes', async () => {
    const path = dbPath();
    await open(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => open(path)).toThrow(/newer vibes/);
  });

  it('a write is one transaction: when it fails, none of it is kept', async () => {
    const store = open();
    await store.write({ sessions: [snapshot('s1')] });
    const bad = { sessionId: 's1', entry: { seq: 2, at: 1, event: { type: 'text', message_id: 'm', text: 'x' } } } as const;
    // JSON.stringify throws on a BigInt, half-way through the batch.
    const broken = {
      sessionId: 's1',
      entry: { seq: 3, at: 1, event: { type: 'text', message_id: 'm', text: 1n as unknown as string } },
    } as const;
    await expect(store.write({ events: [bad, broken] })).rejects.toThrow();
    expect(await store.lastSeq('s1')).toBe(0);
    expect(store.integrityCheck()).toBe('ok');
  });

  it('what one connection committed is what another reads, while it stays open (a crash keeps it)', async () => {
    const path = dbPath();
    const writer = open(path);
    await writer.write({ sessions: [snapshot('s1')], events: entries(1, 100).map((entry) => ({ sessionId: 's1', entry })) });
    // The writer is never closed cleanly before the reader opens, as after a SIGKILL.
    const reader = open(path);
    expect(await reader.lastSeq('s1')).toBe(100);
    expect(await reader.endAllLive('server_restarted', 5)).toBe(1);
    expect(reader.integrityCheck()).toBe('ok');
  });
});
