import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PG_MIGRATIONS, PostgresStore } from '../../../lib/core/cluster/postgres-store.ts';
import { Postgres } from '../../../lib/core/cluster/postgres.ts';
import type { SessionStore } from '../../../lib/core/index.ts';
import { startPostgres } from '../../support/engines.ts';
import { describeStoreContract, entries, snapshot } from '../../support/store-contract.ts';

// The cluster's store on a real PostgreSQL: one server per file, a database per store.
const stores: SessionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
let admin: Postgres | undefined;
let databases = 0;
beforeAll(async () => {
  postgres = await startPostgres();
  admin = new Postgres(postgres.url);
}, 60_000);
afterAll(async () => {
  await admin?.close();
  await postgres?.stop();
});

async function postgresUrl(): Promise<string> {
  const name = `store_${++databases}`;
  await admin!.query(`CREATE DATABASE ${name}`);
  return postgres!.url.replace(/\/postgres$/, `/${name}`);
}

async function openPostgres(url?: string, node = 'node-a'): Promise<PostgresStore> {
  const store = await PostgresStore.open({ url: url ?? (await postgresUrl()), node });
  stores.push(store);
  return store;
}

describeStoreContract('PostgresStore', () => openPostgres(), 'node-a');

describe('PostgresStore', () => {
  it('migrates an empty database once, even when nodes open it together, and a second open changes nothing', async () => {
    const url = await postgresUrl();
    const [first, second] = await Promise.all([openPostgres(url, 'a'), openPostgres(url, 'b')]);
    expect(await first.schemaVersion()).toBe(PG_MIGRATIONS.length);
    expect(await second.schemaVersion()).toBe(PG_MIGRATIONS.length);
    await first.write({ sessions: [snapshot('s1')], events: entries(1, 1200).map((entry) => ({ sessionId: 's1', entry })) });
    expect(await (await openPostgres(url, 'c')).readEvents('s1', 1100, 500)).toEqual(entries(1101, 100));
  });

  it('a database from before devices knew who paired them keeps its devices, paired by nobody', async () => {
    const url = await postgresUrl();
    const raw = new Postgres(url);
    await raw.query('CREATE TABLE vibes_schema (version INTEGER NOT NULL)');
    const before = PG_MIGRATIONS.findIndex((migration) => migration.includes('paired_by'));
    await raw.query(`INSERT INTO vibes_schema (version) VALUES (${before})`);
    for (const migration of PG_MIGRATIONS.slice(0, before)) await raw.query(migration);
    await raw.query(
      "INSERT INTO devices (id, secret_hash, label, created_at, last_seen_at, address) VALUES ('old', 'h', 'Phone', 1, 2, '-')",
    );
    await raw.close();
    const store = await openPostgres(url);
    expect(await store.schemaVersion()).toBe(PG_MIGRATIONS.length);
    expect(await store.devices.listDevices()).toEqual([
      { id: 'old', secretHash: 'h', label: 'Phone', createdAt: 1, lastSeenAt: 2, address: '-', pairedBy: null, tellClaudeOnPhone: false },
    ]);
    expect(await store.devices.setTellClaudeOnPhone('old', true)).toBe(true);
    expect(await store.devices.setTellClaudeOnPhone('gone', true)).toBe(false);
    expect((await store.devices.findDeviceBySecretHash('h'))?.tellClaudeOnPhone).toBe(true);
  });

  it('removing a device removes, transitively, the devices it paired; one paired by a device gone is not stored', async () => {
    const url = await postgresUrl();
    const [a, b] = await Promise.all([openPostgres(url, 'a'), openPostgres(url, 'b')]);
    const device = (id: string, pairedBy: string | null) => ({
      id,
      secretHash: `h-${id}`,
      label: id,
      createdAt: 1,
      lastSeenAt: 2,
      address: '-',
      pairedBy,
    });
    expect(await a.devices.insertDevice(device('laptop', null))).toBe(true);
    expect(await b.devices.insertDevice(device('phone', 'laptop'))).toBe(true);
    expect(await a.devices.insertDevice(device('tablet', 'phone'))).toBe(true);
    expect(await a.devices.insertDevice(device('desktop', null))).toBe(true);
    expect((await b.devices.deleteDevice('phone')).sort()).toEqual(['phone', 'tablet']);
    expect((await a.devices.listDevices()).map((found) => found.id).sort()).toEqual(['desktop', 'laptop']);
    expect(await a.devices.insertDevice(device('thief', 'phone'))).toBe(false);
    expect(await b.devices.deleteDevice('phone')).toEqual([]);
    expect(await b.devices.findDeviceBySecretHash('h-thief')).toBeUndefined();
    // One device table, one cookie name: a browser signed in through one node is signed in on all.
    expect(await a.devices.deviceCookieId()).toBe(await b.devices.deviceCookieId());
  });

  it('refuses a database from a newer vibes', async () => {
    const url = await postgresUrl();
    await (await openPostgres(url)).close();
    const raw = new Postgres(url);
    await raw.query('UPDATE vibes_schema SET version = version + 1');
    await raw.close();
    await expect(openPostgres(url)).rejects.toThrow(/newer vibes/);
  });

  it('a write is one transaction: when it fails, none of it is kept', async () => {
    const store = await openPostgres();
    await store.write({ sessions: [snapshot('s1')] });
    const good = entries(1, 3).map((entry) => ({ sessionId: 's1', entry }));
    // An event of a session never written breaks the foreign key, after the good rows.
    await expect(store.write({ events: [...good, { sessionId: 'nope', entry: entries(1, 1)[0]! }] })).rejects.toThrow();
    expect(await store.lastSeq('s1')).toBe(0);
    await store.write({ events: good });
    expect(await store.lastSeq('s1')).toBe(3);
  });

  it("each node owns what it writes: a restart ends only its own live sessions, and a lost node's are ended by name", async () => {
    const url = await postgresUrl();
    const [a, b] = await Promise.all([openPostgres(url, 'a'), openPostgres(url, 'b')]);
    await a.write({ sessions: [snapshot('on-a')] });
    await b.write({ sessions: [snapshot('on-b1'), snapshot('on-b2')] });
    expect((await a.listLive()).find((live) => live.session.id === 'on-b1')?.node).toBe('b');
    expect((await a.listLive()).map((live) => [live.node, live.session.id])).toEqual([
      ['a', 'on-a'],
      ['b', 'on-b1'],
      ['b', 'on-b2'],
    ]);
    expect(await a.endAllLive('server_restarted', 10)).toBe(1);
    expect(await b.getSession('on-b1')).toMatchObject({ ended_at: null });
    expect((await a.endLiveOf('b', 'node_lost', 20)).sort()).toEqual(['on-b1', 'on-b2']);
    expect(await a.listLive()).toEqual([]);
    // Resuming on a runs the session there.
    await a.reopen('on-b1');
    expect((await b.listLive()).find((live) => live.session.id === 'on-b1')?.node).toBe('a');
  });

  it('devices are shared by every node', async () => {
    const url = await postgresUrl();
    const [a, b] = await Promise.all([openPostgres(url, 'a'), openPostgres(url, 'b')]);
    const device = {
      id: 'd1',
      secretHash: 'h1',
      label: 'Phone',
      createdAt: 1,
      lastSeenAt: 2,
      address: '10.0.0.2',
      pairedBy: null,
      tellClaudeOnPhone: false,
    };
    await a.devices.insertDevice(device);
    expect(await b.devices.findDeviceBySecretHash('h1')).toEqual(device);
    await expect(b.devices.insertDevice({ ...device, id: 'd2' })).rejects.toThrow(expect.objectContaining({ code: '23505' }));
    await b.devices.touchDevice('d1', 50, '10.0.0.3');
    expect(await a.devices.listDevices()).toEqual([{ ...device, lastSeenAt: 50, address: '10.0.0.3' }]);
    expect(await a.devices.deleteDevicesSeenBefore(40)).toBe(0);
    expect(await b.devices.deleteDevice('d1')).toEqual(['d1']);
    expect(await a.devices.deleteAllDevices()).toBe(0);
  });

  it('push subscriptions are shared, one per device and endpoint, and go with their device', async () => {
    const url = await postgresUrl();
    const [a, b] = await Promise.all([openPostgres(url, 'a'), openPostgres(url, 'b')]);
    for (const id of ['d1', 'd2'])
      await a.devices.insertDevice({ id, secretHash: `h-${id}`, label: id, createdAt: 1, lastSeenAt: 2, address: '-', pairedBy: null });
    const subscription = {
      deviceId: 'd1',
      endpoint: 'https://push.example/1',
      p256dh: 'k',
      auth: 'a',
      kinds: ['permission' as const],
      createdAt: 5,
      lastUsedAt: null,
    };
    await a.devices.savePushSubscription(subscription);
    expect(await b.devices.pushSubscription('d1')).toEqual(subscription);
    // The same endpoint saved for another device moves there.
    await b.devices.savePushSubscription({ ...subscription, deviceId: 'd2' });
    expect((await a.devices.listPushSubscriptions()).map((saved) => saved.deviceId)).toEqual(['d2']);
    await b.devices.touchPushSubscription('d2', 9);
    expect((await a.devices.pushSubscription('d2'))?.lastUsedAt).toBe(9);
    expect(await a.devices.deletePushSubscriptionByEndpoint('https://push.example/none')).toBe(false);
    await a.devices.deleteDevice('d2');
    expect(await b.devices.listPushSubscriptions()).toEqual([]);
  });
});
