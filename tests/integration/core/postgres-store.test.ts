import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PG_MIGRATIONS, PostgresStore } from '../../../lib/core/cluster/postgres-store.ts';
import { SyncPostgres } from '../../../lib/core/cluster/sync-postgres.ts';
import type { SessionStore } from '../../../lib/core/index.ts';
import { startPostgres } from '../../support/engines.ts';
import { describeStoreContract, entries, snapshot } from '../../support/store-contract.ts';

// The cluster's store on a real PostgreSQL: one server per file, a database per store.
const stores: SessionStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

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

describeStoreContract('PostgresStore', () => openPostgres(), 'node-a');

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
      { id: 'old', secretHash: 'h', label: 'Phone', createdAt: 1, lastSeenAt: 2, address: '-', pairedBy: null, tellClaudeOnPhone: false },
    ]);
    expect(store.devices.setTellClaudeOnPhone('old', true)).toBe(true);
    expect(store.devices.setTellClaudeOnPhone('gone', true)).toBe(false);
    expect(store.devices.findDeviceBySecretHash('h')?.tellClaudeOnPhone).toBe(true);
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
    expect(b.devices.findDeviceBySecretHash('h1')).toEqual({ ...device, tellClaudeOnPhone: false });
    expect(() => b.devices.insertDevice({ ...device, id: 'd2' })).toThrow(expect.objectContaining({ code: '23505' }));
    b.devices.touchDevice('d1', 50, '10.0.0.3');
    expect(a.devices.listDevices()).toEqual([{ ...device, tellClaudeOnPhone: false, lastSeenAt: 50, address: '10.0.0.3' }]);
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
