import { rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { ApiError } from '../../lib/client/shared/api-error.ts';
import { ON_PHONE_CONTEXT } from '../../lib/core/reader-context.ts';
import { CLIENT_ID_HEADER } from '../../lib/protocol/index.ts';
import { POSTGRES_PASSWORD, startPostgres, startRedis, type Engine } from '../support/engines.ts';
import { TestEventStream } from '../support/event-stream.ts';
import { tempRepo } from '../support/git-repo.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { deviceCookie } from '../support/sign-in.ts';

// Three vibes nodes on one machine: three ports, one Redis, one PostgreSQL (issue 19's "Done when").
let redis: Engine;
let postgres: Awaited<ReturnType<typeof startPostgres>>;
let databaseUrl = '';
const nodes = new Map<string, ServerProcess>();
const streams: TestEventStream[] = [];

function startNode(name: string, extra: { tokenFile?: boolean; env?: Record<string, string> } = {}) {
  return startServerProcess({
    tokenFile: extra.tokenFile ?? true,
    env: {
      VIBES_REDIS_URL: redis.url,
      VIBES_DATABASE_URL: databaseUrl,
      VIBES_NODE_NAME: name,
      VIBES_HEARTBEAT_MS: '250',
      VIBES_NODE_LOST_MS: '2000',
      VIBES_DISCONNECT_GRACE_MS: '60000',
      ...extra.env,
    },
  });
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  databaseUrl = await postgres.newDatabase();
  // The first node puts its token in the database; the others take it from there.
  nodes.set('a', await startNode('a'));
  // B would notice a lost node only after a minute: until then, it knows of a loss from A's word.
  const [b, c] = await Promise.all([startNode('b', { env: { VIBES_NODE_LOST_MS: '60000' } }), startNode('c')]);
  nodes.set('b', b);
  nodes.set('c', c);
}, 120_000);

afterAll(async () => {
  for (const stream of streams) stream.close();
  await Promise.all([...nodes.values()].map((node) => node.stop()));
  await Promise.all([redis?.stop(), postgres?.stop()]);
}, 60_000);

const node = (name: string) => nodes.get(name)!;
const TOLD = `(Told beside your prompt: ${ON_PHONE_CONTEXT})`;
const client = (name: string, clientId: string) => new ApiClient({ baseUrl: node(name).url, token: node(name).token(), clientId });

async function stream(name: string, options: { clientId?: string; lastEventId?: string } = {}) {
  const opened = await TestEventStream.open(node(name).url, { ...options, headers: { Authorization: `Bearer ${node(name).token()}` } });
  streams.push(opened);
  return opened;
}

async function expectError(promise: Promise<unknown>, code: string, status: number) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ code, status });
}

describe('a cluster of three nodes', () => {
  it('shares one token through the database; every node answers with it, and no URL password is printed', async () => {
    expect(node('b').token()).toBe(node('a').token());
    expect(node('c').token()).toBe(node('a').token());
    for (const name of ['a', 'b', 'c']) {
      expect(node(name).output()).toContain(`cluster node ${name}`);
      expect(node(name).output()).not.toContain(POSTGRES_PASSWORD);
    }
  });

  it('GET /api/nodes on any node lists the three, up, with the one that answered marked', async () => {
    await expect
      .poll(async () => (await client('b', 'ops').listNodes()).nodes.map((listed) => [listed.name, listed.state, listed.self]), {
        timeout: 10_000,
      })
      .toEqual([
        ['a', 'up', false],
        ['b', 'up', true],
        ['c', 'up', false],
      ]);
    const answer = await client('a', 'ops').listNodes();
    expect(answer.cluster).toBe(true);
    expect(answer.nodes.find((listed) => listed.name === 'c')?.url).toBe(node('c').url);
  });

  it('a node given a different VIBES_TOKEN refuses to join', async () => {
    await expect(startNode('intruder', { tokenFile: false })).rejects.toThrow(/refusing to join/);
  });

  it('a dashboard on A sees a session started on C, drives it, and sees every event once', async () => {
    const dashboard = await stream('a', { clientId: 'phone' });
    const onC = client('c', 'laptop');
    const session = await onC.createSession({ name: 'on c' });
    await dashboard.waitForEvent('session_updated', (event) => event.session.id === session.id);
    expect((await client('a', 'phone').listSessions()).map((listed) => listed.id)).toContain(session.id);

    const phone = client('a', 'phone');
    await expectError(phone.sendInput(session.id, 'hello'), 'NOT_SUBSCRIBED', 403);
    expect(await phone.subscribe(session.id)).toMatchObject({ id: session.id, subscriber_count: 2, is_owner: false });

    // Input and an approval, sent to A, reach the Claude process on C.
    await phone.sendInput(session.id, 'bash');
    const request = await dashboard.waitForEvent(
      'session_event',
      (event) => event.session_id === session.id && event.event.type === 'permission_request',
    );
    const requestId = (request.event as { request_id: string }).request_id;
    await phone.answerPermission(session.id, requestId, { behavior: 'allow' });
    await expectError(phone.answerPermission(session.id, requestId, { behavior: 'deny' }), 'CONFLICT', 409);
    await dashboard.waitForEvent('session_event', (event) => event.session_id === session.id && event.event.type === 'turn_complete');

    // Interrupt mid-turn, then kill.
    await phone.sendInput(session.id, 'stream 60 chunks every 100ms');
    await dashboard.waitForEvent('session_event', (event) => event.session_id === session.id && event.event.type === 'text_delta');
    await phone.interrupt(session.id);
    await dashboard.waitForEvent('session_updated', (event) => event.session.id === session.id && event.session.state === 'idle', 15_000);
    expect(await phone.kill(session.id)).toEqual({ session_id: session.id, reason: 'killed' });
    await dashboard.waitForEvent('session_removed', (event) => event.session_id === session.id && event.reason === 'killed');

    // Every transcript event once, in order, exactly what the shared store holds.
    const seen = dashboard.events('session_event').filter((event) => event.session_id === session.id);
    const seqs = seen.map((event) => event.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    const stored = await phone.events(session.id, { after: 0, limit: 1000 });
    expect(seqs).toEqual(stored.events.map((entry) => entry.seq).filter((seq) => seqs.includes(seq)));
    expect(seqs[0]).toBeLessThanOrEqual(2);
    expect(seqs.at(-1)).toBe(stored.last_seq);
  }, 60_000);

  it('a phone that reconnects to B with its last event id gets exactly what it missed', async () => {
    const first = await stream('a', { clientId: 'roamer' });
    const onC = client('c', 'roamer');
    const session = await onC.createSession({ name: 'roaming' });
    await onC.sendInput(session.id, 'stream 30 chunks every 40ms');
    await first.waitForEvent('session_event', (event) => event.session_id === session.id && event.event.type === 'text_delta');
    first.close();
    const lastId = first.lastEventId!;
    // Back once the session has gone on without it, so there is something to replay.
    const lastSeen =
      first
        .events('session_event')
        .filter((event) => event.session_id === session.id)
        .at(-1)?.seq ?? 0;
    await expect.poll(async () => (await onC.events(session.id, { limit: 1 })).last_seq).toBeGreaterThan(lastSeen + 2);
    const second = await stream('b', { clientId: 'roamer', lastEventId: lastId });
    await second.waitForEvent('session_event', (event) => event.session_id === session.id && event.event.type === 'turn_complete');
    expect(second.events('resync')).toEqual([]);
    const before = first.events('session_event').filter((event) => event.session_id === session.id);
    const after = second.events('session_event').filter((event) => event.session_id === session.id);
    const seqs = [...before, ...after].map((event) => event.seq);
    const stored = await onC.events(session.id, { after: 0, limit: 1000 });
    expect(seqs).toEqual(stored.events.map((entry) => entry.seq));
    await onC.kill(session.id);
  }, 30_000);

  it('a session created through A on node B runs on B; an unknown node is NOT_FOUND', async () => {
    const watcher = await stream('c');
    const onA = await stream('a');
    const session = await client('a', 'picker').createSession({ name: 'on b', node: 'b' });
    expect(session.node).toBe('b');
    const update = await watcher.waitForEvent('session_updated', (event) => event.session.id === session.id);
    expect(update.session.node).toBe('b');
    // A lists what it has read from the stream: ask it once it has told its own clients.
    await onA.waitForEvent('session_updated', (event) => event.session.id === session.id);
    expect((await client('a', 'picker').listSessions()).find((listed) => listed.id === session.id)?.node).toBe('b');
    expect(await client('b', 'picker').sendInput(session.id, 'hello')).toMatchObject({ id: session.id });
    await expectError(client('a', 'picker').createSession({ node: 'nowhere' }), 'NOT_FOUND', 404);
    await client('c', 'picker').kill(session.id);
  }, 30_000);

  it("a device's requests passed from A to B are the device's there: Claude is told it is a phone, its answer is recorded as its own", async () => {
    const phone = await deviceCookie(node('a').url, node('a').token(), 'sofa phone');
    const asPhone = async (path: string, body: unknown) => {
      const answer = await fetch(new URL(path, node('a').url), {
        method: 'POST',
        headers: { cookie: phone, origin: node('a').url, 'content-type': 'application/json', [CLIENT_ID_HEADER]: 'sofa' },
        body: JSON.stringify(body),
      });
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    expect((await asPhone('/api/devices/current/phone', { on: true })).status).toBe(200);
    const replies = async (sessionId: string, count: number) => {
      let texts: string[] = [];
      await expect
        .poll(
          async () => {
            const { events } = await client('b', 'sofa').events(sessionId, { limit: 1000 });
            texts = events.flatMap((entry) => (entry.event.type === 'turn_complete' ? [entry.event.result ?? ''] : []));
            return texts.length;
          },
          { timeout: 20_000 },
        )
        .toBeGreaterThanOrEqual(count);
      return texts;
    };

    const created = await asPhone('/api/sessions', { node: 'b', prompt: 'first from the sofa' });
    expect(created.status).toBe(201);
    const session = created.body.session as { id: string; node: string };
    expect(session.node).toBe('b');
    expect((await replies(session.id, 1))[0]).toContain(TOLD);
    // Input to a session on B, sent to A: proxied with the cluster's token, and the phone's still.
    expect((await asPhone(`/api/sessions/${session.id}/input`, { content: 'bash' })).status).toBe(202);
    let requestId: string | undefined;
    await expect
      .poll(async () => (requestId = (await client('b', 'sofa').getSession(session.id)).pending_permissions[0]?.request_id), {
        timeout: 15_000,
      })
      .toBeDefined();
    expect((await asPhone(`/api/sessions/${session.id}/permissions/${requestId}`, { behavior: 'allow' })).status).toBe(200);
    const texts = await replies(session.id, 2);
    expect(texts[1]).toContain(TOLD);
    const { events } = await client('b', 'sofa').events(session.id, { limit: 1000 });
    expect(events.map((entry) => entry.event).find((event) => event.type === 'permission_resolved')).toMatchObject({
      behavior: 'allow',
      client_id: 'sofa',
      device: 'sofa phone',
    });

    // The token alone says nothing of a device; a device that is not (or no longer) signed in is refused.
    const forwardedBy = { authorization: `Bearer ${node('b').token()}`, 'x-vibes-forwarded-by': 'a' };
    const unknown = await fetch(new URL('/api/sessions', node('b').url), { headers: { ...forwardedBy, 'x-vibes-on-behalf-of': 'gone' } });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    await client('b', 'sofa').kill(session.id);
  }, 40_000);

  it("a session's files are read on its node: vibes' home there is refused through any node; once ended elsewhere, not read here", async () => {
    // B's session runs in the folder that holds B's home: only B knows that home is never served.
    const onB = node('b');
    writeFileSync(join(onB.home, 'marker'), 'b home\n');
    writeFileSync(join(dirname(onB.home), `${basename(onB.home)}-visible.txt`), 'visible\n');
    const session = await client('a', 'reader').createSession({ name: 'files on b', node: 'b', cwd: dirname(onB.home) });
    await expect(client('a', 'reader').readFile(session.id, `${basename(onB.home)}-visible.txt`)).resolves.toMatchObject({
      text: 'visible\n',
    });
    await expectError(client('a', 'reader').readFile(session.id, `${basename(onB.home)}/marker`), 'PATH_FORBIDDEN', 403);
    await expectError(client('c', 'reader').listFiles(session.id, basename(onB.home)), 'PATH_FORBIDDEN', 403);
    await client('a', 'reader').kill(session.id);
    await expect.poll(async () => (await client('a', 'reader').getSession(session.id)).ended_at, { timeout: 10_000 }).not.toBeNull();
    await expectError(client('a', 'reader').readFile(session.id, `${basename(onB.home)}-visible.txt`), 'INVALID_STATE', 409);
    rmSync(join(dirname(onB.home), `${basename(onB.home)}-visible.txt`));
  }, 30_000);

  it('the work routes asked of A about a session on B are answered by B, where its folder and its Claude are', async () => {
    const cwd = tempRepo({ 'a.txt': 'one\n' });
    writeFileSync(join(cwd, 'a.txt'), 'two\n');
    const session = await client('a', 'worker').createSession({ cwd, node: 'b', prompt: 'hello' });
    await expect.poll(async () => (await client('a', 'worker').getSession(session.id)).state, { timeout: 15_000 }).toBe('idle');
    expect((await client('a', 'worker').changes(session.id)).files.map((file) => file.path)).toEqual(['a.txt']);
    expect((await client('a', 'worker').fileDiff(session.id, 'a.txt')).patch).toContain('+two');
    // Rewind needs the live session and its Claude: only B has them.
    expect(await client('a', 'worker').rewind(session.id, { dry_run: true })).toMatchObject({ can_rewind: true, dry_run: true });
    await client('a', 'worker').kill(session.id);
  }, 30_000);

  it('Redis restarted mid-stream: clients resync and the transcript is whole', async () => {
    const watcher = await stream('a', { clientId: 'survivor' });
    const onC = client('c', 'survivor');
    const session = await onC.createSession({ name: 'through a restart' });
    await onC.sendInput(session.id, 'stream 40 chunks every 50ms');
    await watcher.waitForEvent('session_event', (event) => event.session_id === session.id && event.event.type === 'text_delta');
    await redis.kill();
    await redis.restart();
    await watcher.waitForEnd(15_000);
    const again = await stream('a', { clientId: 'survivor', lastEventId: watcher.lastEventId! });
    await again.waitForEvent('resync', () => true);
    const list = await again.waitForEvent('session_list');
    expect(list.sessions.map((listed) => listed.id)).toContain(session.id);
    await expect
      .poll(
        async () => (await onC.events(session.id, { after: 0, limit: 1000 })).events.some((entry) => entry.event.type === 'turn_complete'),
        {
          timeout: 15_000,
        },
      )
      .toBe(true);
    const stored = await onC.events(session.id, { after: 0, limit: 1000 });
    expect(stored.events.map((entry) => entry.seq)).toEqual(stored.events.map((_, index) => index + 1));
    expect(stored.last_seq).toBe(stored.events.length);
    await onC.kill(session.id);
  }, 60_000);

  it('node C SIGKILLed: its sessions end as node_lost on A and B within 15 s, C is listed lost first, and what it committed stays', async () => {
    const onA = await stream('a');
    const onB = await stream('b');
    const onC = client('c', 'doomed');
    const session = await onC.createSession({ name: 'doomed' });
    await onC.sendInput(session.id, 'hello');
    await onA.waitForEvent('session_updated', (event) => event.session.id === session.id);
    await expect
      .poll(async () => (await onC.events(session.id, { after: 0, limit: 100 })).last_seq, { timeout: 10_000 })
      .toBeGreaterThan(1);
    const committed = (await client('a', 'x').events(session.id, { after: 0, limit: 1000 })).events;
    const killedAt = Date.now();
    await node('c').stop({ signal: 'SIGKILL' });
    // A node that has told a client C's sessions ended lists C lost: A, which noticed, and B, which heard it from A.
    for (const [name, watcher] of [
      ['a', onA],
      ['b', onB],
    ] as const) {
      await watcher.waitForEvent('session_removed', (event) => event.session_id === session.id && event.reason === 'node_lost', 15_000);
      expect((await client(name, 'x').listNodes()).nodes.find((listed) => listed.name === 'c')).toMatchObject({ state: 'lost' });
    }
    console.log(`node_lost seen on A and B ${Date.now() - killedAt} ms after the SIGKILL`);
    expect(await client('b', 'x').getSession(session.id)).toMatchObject({ end_reason: 'node_lost', ended_at: expect.any(Number) });
    const after = (await client('b', 'x').events(session.id, { after: 0, limit: 1000 })).events;
    expect(after.slice(0, committed.length)).toEqual(committed);
    expect((await client('a', 'x').listSessions()).map((listed) => listed.id)).not.toContain(session.id);
  }, 30_000);
});
