import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { newToken } from '../../lib/server/token.ts';
import { startPostgres, startRedis, type Engine } from '../support/engines.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { deviceCookie } from '../support/sign-in.ts';

// Credentials are the cluster's, not a node's: a rotation or a revocation on one node holds on every node.
let redis: Engine;
let postgres: Awaited<ReturnType<typeof startPostgres>>;
let databaseUrl = '';
const nodes = new Map<string, ServerProcess>();
const streams: TestEventStream[] = [];

function startNode(name: string) {
  return startServerProcess({
    tokenFile: true,
    env: {
      VIBES_REDIS_URL: redis.url,
      VIBES_DATABASE_URL: databaseUrl,
      VIBES_NODE_NAME: name,
      VIBES_HEARTBEAT_MS: '250',
      VIBES_NODE_LOST_MS: '2000',
    },
  });
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  databaseUrl = await postgres.newDatabase();
  nodes.set('a', await startNode('a'));
  nodes.set('b', await startNode('b'));
}, 120_000);

afterAll(async () => {
  for (const stream of streams) stream.close();
  await Promise.all([...nodes.values()].map((node) => node.stop()));
  await Promise.all([redis?.stop(), postgres?.stop()]);
}, 60_000);

const node = (name: string) => nodes.get(name)!;
const client = (name: string, token = node(name).token()) => new ApiClient({ baseUrl: node(name).url, token, clientId: 'ops' });

async function stream(name: string, headers: Record<string, string>) {
  const opened = await TestEventStream.open(node(name).url, { headers });
  streams.push(opened);
  await opened.waitForEvent('hello');
  return opened;
}

async function status(name: string, headers: Record<string, string>): Promise<number> {
  return (await fetch(new URL('/api/sessions', node(name).url), { headers })).status;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const asDevice = (cookie: string) => ({ cookie });

describe('credentials across two nodes', () => {
  it("a device signed out on A loses its stream on B at once, and B refuses it; another device's stream stays", async () => {
    const token = node('a').token();
    const phone = await deviceCookie(node('a').url, token, 'phone');
    const laptop = await deviceCookie(node('a').url, token, 'laptop');
    const phoneOnB = await stream('b', asDevice(phone));
    const laptopOnB = await stream('b', asDevice(laptop));
    expect(await status('b', asDevice(phone))).toBe(200);

    const phoneId = (await client('a').listDevices()).find((device) => device.label === 'phone')!.id;
    const revokedAt = Date.now();
    await client('a').revokeDevice(phoneId);
    await phoneOnB.waitForEnd();
    console.log(`the revoked device's stream on B ended ${Date.now() - revokedAt} ms after the revocation on A`);
    expect(await status('b', asDevice(phone))).toBe(401);
    expect(await status('a', asDevice(phone))).toBe(401);

    // The other device still hears what happens.
    const session = await client('b').createSession({ name: 'still heard' });
    await laptopOnB.waitForEvent('session_updated', (event) => event.session.id === session.id);
    expect(laptopOnB.ended).toBe(false);
    expect(await status('b', asDevice(laptop))).toBe(200);
    await client('b')
      .kill(session.id)
      .catch(() => undefined);
  }, 30_000);

  it('revoking a device on B revokes the device it paired through A: its stream on A ends, and one cookie name serves both nodes', async () => {
    const token = node('a').token();
    const laptop = await deviceCookie(node('a').url, token, 'paired laptop');
    const minted = await fetch(new URL('/api/pairing', node('a').url), { method: 'POST', headers: asDevice(laptop) });
    const { code } = (await minted.json()) as { code: string };
    const signedIn = await fetch(new URL('/api/sign-in', node('a').url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, label: 'paired by laptop' }),
    });
    expect(signedIn.status).toBe(200);
    const child = signedIn.headers.get('set-cookie')!.split(';')[0]!;
    expect(child.split('=')[0]).toBe(laptop.split('=')[0]);
    const childOnA = await stream('a', asDevice(child));
    expect(await status('b', asDevice(child))).toBe(200);

    const laptopId = (await client('b').listDevices()).find((device) => device.label === 'paired laptop')!.id;
    await client('b').revokeDevice(laptopId);
    await childOnA.waitForEnd(5_000);
    for (const name of ['a', 'b']) expect(await status(name, asDevice(child))).toBe(401);
  }, 30_000);

  it("the token rotated on A: refused on A and B, B closes its streams, the new one works everywhere and is in B's token file", async () => {
    const oldToken = node('a').token();
    const cookie = await deviceCookie(node('a').url, oldToken, 'tablet');
    const cliOnB = await stream('b', bearer(oldToken));
    const browserOnB = await stream('b', asDevice(cookie));

    const rotatedAt = Date.now();
    const { token: rotated } = await client('a', oldToken).rotateToken();
    await Promise.all([cliOnB.waitForEnd(), browserOnB.waitForEnd()]);
    console.log(`B's streams ended ${Date.now() - rotatedAt} ms after the rotation on A`);
    for (const name of ['a', 'b']) {
      expect(await status(name, bearer(oldToken))).toBe(401);
      expect(await status(name, asDevice(cookie))).toBe(401);
      expect(await status(name, bearer(rotated))).toBe(200);
    }
    // B's own CLI reads its token file: it has the new token too.
    expect(node('b').token()).toBe(rotated);
    expect(node('a').token()).toBe(rotated);

    // The nodes still reach each other with the token they now share: a session started through A on B.
    const onB = await client('a', rotated).createSession({ name: 'after the rotation', node: 'b' });
    expect(onB.node).toBe('b');
    await client('b', rotated).kill(onB.id);
  }, 30_000);

  it('a change whose word between the nodes was lost is applied at the next heartbeat', async () => {
    const token = node('a').token();
    const cookie = await deviceCookie(node('a').url, token, 'watch');
    const watchOnB = await stream('b', asDevice(cookie));
    // Written straight into the database: no node says anything.
    const replacement = newToken();
    const database = new pg.Client({ connectionString: databaseUrl });
    await database.connect();
    try {
      await database.query("DELETE FROM devices WHERE label = 'watch'");
      await database.query('UPDATE cluster_credentials SET token = $1 WHERE id = 1', [replacement]);
    } finally {
      await database.end();
    }
    await watchOnB.waitForEnd();
    for (const name of ['a', 'b']) {
      await expect.poll(() => status(name, bearer(token)), { timeout: 5_000 }).toBe(401);
      expect(await status(name, bearer(replacement))).toBe(200);
    }
    expect(node('b').token()).toBe(replacement);
  }, 30_000);
});
