import { describe, expect, it, vi } from 'vitest';
import { EventBus, MemoryStore, SessionManager, type CoreEvent } from '../../../lib/core/index.ts';
import { coreHarness } from '../../support/core-harness.ts';
import { scriptedAgents } from '../../support/scripted-agent.ts';

describe('SessionManager', () => {
  it('create with owner sets ownership and publishes the new session', async () => {
    const { create, published } = coreHarness();
    const session = await create('client-123', { name: 'test' });
    expect(session.ownership.ownerId).toBe('client-123');
    expect(session.ownership.isSubscribed('client-123')).toBe(true);
    expect(published[0]).toMatchObject({
      type: 'session_updated',
      session: { id: session.id, name: 'test', owner_id: 'client-123', state: 'idle', subscriber_count: 1 },
    });
  });

  it('starts the agent in the session cwd and sends the first prompt as the owner', async () => {
    const { create, agents, transcript } = coreHarness();
    const session = await create('owner', { prompt: 'hello' });
    const agent = agents.last();
    expect(agent.started).toBe(true);
    expect(agent.options.cwd).toBe(process.cwd());
    expect(agent.sent).toEqual(['hello']);
    expect(session.state).toBe('processing');
    expect(transcript(session.id)[0]?.event).toMatchObject({ type: 'user_input', client_id: 'owner', content: 'hello' });
  });

  it('get of an unknown id is NOT_FOUND', async () => {
    const { manager } = coreHarness();
    await expect(manager.get('missing')).rejects.toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(manager.find('missing')).toBeUndefined();
  });

  it('lists sessions oldest first', async () => {
    const { create, manager } = coreHarness();
    const a = await create('x');
    const b = await create('y');
    expect(manager.list().map((session) => session.id)).toEqual([a.id, b.id]);
  });

  it('sessions subscribed by a client include the ones it owns', async () => {
    const { create, manager, lifecycle } = coreHarness();
    const id1 = (await create('client-a')).id;
    const id2 = (await create('client-b')).id;
    await lifecycle.subscribe(id2, 'client-a');
    expect(manager.sessionsSubscribedBy('client-a').sort()).toEqual([id1, id2].sort());
  });

  it('remove ends the agent, forgets the session and then publishes why', async () => {
    const { create, manager, agents, published } = coreHarness();
    const session = await create('owner');
    await manager.remove(session.id, 'killed');
    expect(agents.last().stopped).toBe(true);
    expect(manager.find(session.id)).toBeUndefined();
    const lastTwo = published.slice(-2);
    expect(lastTwo[0]).toMatchObject({ type: 'session_updated', session: { state: 'finished' } });
    expect(lastTwo[1]).toEqual({ type: 'session_removed', session_id: session.id, reason: 'killed' });
  });

  it('two removes of one session share one stop and one announcement', async () => {
    const { create, manager, published } = coreHarness();
    const session = await create('owner');
    await Promise.all([manager.remove(session.id, 'killed'), manager.remove(session.id, 'owner_disconnected')]);
    expect(published.filter((event) => event.type === 'session_removed')).toHaveLength(1);
  });

  it('kill needs a subscribed client', async () => {
    const { create, manager } = coreHarness();
    const session = await create('owner');
    await expect(manager.kill(session.id, 'stranger')).rejects.toThrow(expect.objectContaining({ code: 'NOT_SUBSCRIBED' }));
    expect(manager.find(session.id)).toBe(session);
    await manager.kill(session.id, 'owner');
    expect(manager.find(session.id)).toBeUndefined();
  });

  it('a session whose agent ends by itself is removed as session_finished', async () => {
    const { create, manager, agents, published } = coreHarness();
    const session = await create('owner');
    agents.last().emitAgentEvent({ type: 'exited', failure: null });
    await expect.poll(() => manager.find(session.id)).toBeUndefined();
    expect(published.at(-1)).toEqual({ type: 'session_removed', session_id: session.id, reason: 'session_finished' });
  });

  it('a session whose agent crashed stays listed as failed', async () => {
    const { create, manager, agents } = coreHarness();
    const session = await create('owner');
    agents.last().emitAgentEvent({ type: 'exited', failure: 'boom' });
    await Promise.resolve();
    expect(manager.find(session.id)?.state).toBe('failed');
  });

  it('refuses a session past the limit with TOO_MANY_SESSIONS', async () => {
    const { create, manager } = coreHarness({ maxSessions: 1 });
    await create('a');
    await expect(create('b')).rejects.toMatchObject({ code: 'TOO_MANY_SESSIONS' });
    expect(manager.list()).toHaveLength(1);
  });

  it('shutdown stops every agent', async () => {
    const { create, manager, agents } = coreHarness();
    await create('a');
    await create('b');
    await manager.shutdown();
    expect(agents.agents.every((agent) => agent.stopped)).toBe(true);
  });
});

describe('SessionManager cwd', () => {
  it('refuses a cwd that does not exist or is a file, with INVALID_CWD, and creates nothing', async () => {
    const { manager, published } = coreHarness();
    await expect(manager.create({ ownerId: 'o', cwd: '/definitely/not/here' })).rejects.toMatchObject({ code: 'INVALID_CWD' });
    await expect(manager.create({ ownerId: 'o', cwd: new URL(import.meta.url).pathname })).rejects.toMatchObject({
      code: 'INVALID_CWD',
      message: expect.stringMatching(/not a directory/),
    });
    expect(manager.list()).toEqual([]);
    expect(published).toEqual([]);
  });
});

describe('SessionManager history and resume', () => {
  it('an ended session stays readable: info, transcript and history, with when and why it ended', async () => {
    const { create, manager, agents } = coreHarness();
    const session = await create('owner', { prompt: 'hello' });
    agents.last().completeTurn();
    await manager.kill(session.id, 'owner');
    expect(manager.find(session.id)).toBeUndefined();
    expect(await manager.info(session.id, 'owner')).toMatchObject({
      state: 'finished',
      end_reason: 'killed',
      is_owner: true,
      subscriber_count: 0,
    });
    expect((await manager.info(session.id, null)).ended_at).toEqual(expect.any(Number));
    expect((await manager.readEvents(session.id, 0, 100)).events.map((entry) => entry.event.type)).toEqual(['user_input', 'turn_complete']);
    expect((await manager.history({ limit: 10 })).map((info) => info.id)).toEqual([session.id]);
    await expect(manager.get(session.id)).rejects.toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    await expect(manager.kill(session.id, 'owner')).rejects.toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    await expect(manager.readEvents('missing', 0, 1)).rejects.toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('resume continues the same session and transcript with Claude resuming its own session id', async () => {
    const { create, manager, agents, transcript, published } = coreHarness();
    const session = await create('owner', { prompt: 'hello' });
    agents.last().emitAgentEvent({ type: 'claude_session', claude_session_id: 'claude-1', model: 'opus' });
    agents.last().completeTurn(0.5);
    await manager.kill(session.id, 'owner');

    const resumed = await manager.resume(session.id, 'phone');
    expect(resumed.id).toBe(session.id);
    expect(agents.last().options.resume).toBe('claude-1');
    expect(resumed.snapshot()).toMatchObject({ owner_id: 'phone', created_at: session.createdAt, cost_usd: 0.5, ended_at: null });
    expect(resumed.ownership.isSubscribed('phone')).toBe(true);
    expect(published.at(-1)).toMatchObject({ type: 'session_updated', session: { id: session.id, state: 'idle' } });
    expect(await manager.history({ limit: 10 })).toEqual([]);
    resumed.sendInput('again', { clientId: 'phone', source: 'web' });
    expect(transcript(session.id).map((entry) => entry.seq)).toEqual([1, 2, 3]);
    // The resumed Claude's running total starts again at 0: its first turn adds to the session's, not replaces it.
    agents.last().completeTurn(0.25);
    expect(resumed.snapshot().cost_usd).toBe(0.75);
    await expect(manager.resume(session.id, 'phone')).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('a name and a pin, given live or ended, survive a resume; clearing the name brings back the first prompt', async () => {
    const { create, manager, agents, published } = coreHarness();
    const session = await create('owner', { prompt: 'write the release notes' });
    agents.last().emitAgentEvent({ type: 'claude_session', claude_session_id: 'claude-1', model: 'opus' });
    agents.last().completeTurn();
    await expect(manager.rename(session.id, 'Notes', 'stranger')).rejects.toMatchObject({ code: 'NOT_SUBSCRIBED' });
    expect(await manager.rename(session.id, 'Notes', 'owner')).toMatchObject({ name: 'Notes', title: 'Notes' });
    await manager.flush();
    expect(published.at(-1)).toMatchObject({ type: 'session_updated', session: { id: session.id, name: 'Notes' } });
    await manager.kill(session.id, 'owner');

    expect(await manager.setPinned(session.id, true, 'anyone')).toMatchObject({ pinned: true, name: 'Notes' });
    const resumed = await manager.resume(session.id, 'phone');
    expect(resumed.snapshot()).toMatchObject({ name: 'Notes', title: 'Notes', pinned: true });
    expect(await manager.rename(session.id, null, 'phone')).toMatchObject({ name: null, title: 'write the release notes' });
  });

  it('a demo session runs the demo agent, says so, and stays a demo when resumed', async () => {
    const { create, manager, agents } = coreHarness();
    const real = await create('owner');
    expect(agents.last().options.demo).toBe(false);
    expect(real.infoFor('owner').demo).toBe(false);
    const demo = await create('owner', { demo: true });
    expect(agents.last().options.demo).toBe(true);
    expect((await manager.info(demo.id, 'owner')).demo).toBe(true);
    agents.last().emitAgentEvent({ type: 'claude_session', claude_session_id: 'fake-1', model: null });
    await manager.kill(demo.id, 'owner');
    expect((await manager.history({ limit: 10 }))[0]).toMatchObject({ id: demo.id, demo: true });
    await manager.resume(demo.id, 'owner');
    expect(agents.last().options).toMatchObject({ demo: true, resume: 'fake-1' });
  });

  it('resume refuses an unknown session, and one Claude never started', async () => {
    const { create, manager } = coreHarness();
    await expect(manager.resume('missing', 'a')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const session = await create('owner');
    await manager.kill(session.id, 'owner');
    await expect(manager.resume(session.id, 'owner')).rejects.toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringContaining('never started'),
    });
  });

  it('shutdown stores the sessions as ended by the stop', async () => {
    const { create, manager } = coreHarness();
    const session = await create('owner');
    await manager.shutdown();
    expect(await manager.history({ limit: 10 })).toEqual([]);
    expect(await manager.info(session.id, null)).toMatchObject({ state: 'finished' });
  });
});

describe('SessionManager tick delivery', () => {
  it('commits a tick of events in one write, before any of it is published, in order', async () => {
    const store = new MemoryStore();
    const writes: number[] = [];
    const write = store.write.bind(store);
    store.write = async (batch) => {
      writes.push(batch.events?.length ?? 0);
      await write(batch);
    };
    const bus = new EventBus<CoreEvent>({ ringSize: 100 });
    const { factory, last } = scriptedAgents();
    const manager = new SessionManager({ bus, agentFactory: factory, store, delivery: 'tick' });
    // What the store held as each event was published (the memory store answers within the call).
    const seen: { seq: number; stored: Promise<number> }[] = [];
    bus.subscribe(({ event }) => {
      if (event.type === 'session_event') seen.push({ seq: event.entry.seq, stored: store.lastSeq(event.session_id) });
    });
    const session = await manager.create({ ownerId: 'owner', cwd: process.cwd(), prompt: 'go' });
    await new Promise((resolve) => setImmediate(resolve));
    writes.length = 0;
    for (let i = 0; i < 5; i++) last().emit({ type: 'text_delta', message_id: 'm', text: `${i}` });
    expect(seen).toHaveLength(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([5]);
    expect(seen.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const stored = await Promise.all(seen.map((entry) => entry.stored));
    expect(seen.every((entry, index) => stored[index]! >= entry.seq)).toBe(true);
    await manager.kill(session.id, 'owner');
    expect(await store.getSession(session.id)).toMatchObject({ end_reason: 'killed' });
  });
});

describe('SessionManager commits', () => {
  it('a burst goes in several transactions one after the other, each delivered once committed, in order; the end last', async () => {
    const store = new MemoryStore();
    const writes: { events: number; ended: number }[] = [];
    const write = store.write.bind(store);
    store.write = async (batch) => {
      writes.push({ events: batch.events?.length ?? 0, ended: batch.ended?.length ?? 0 });
      // A database that answers later than the next tick: what comes meanwhile waits for the next commit.
      await new Promise((resolve) => setImmediate(resolve));
      await write(batch);
    };
    const bus = new EventBus<CoreEvent>({ ringSize: 100 });
    const { factory, last } = scriptedAgents();
    const manager = new SessionManager({ bus, agentFactory: factory, store, delivery: 'tick' });
    const seen: { seq: number; stored: Promise<number> }[] = [];
    bus.subscribe(({ event }) => {
      if (event.type === 'session_event') seen.push({ seq: event.entry.seq, stored: store.lastSeq(event.session_id) });
    });
    const session = await manager.create({ ownerId: 'owner', cwd: process.cwd() });
    await manager.flush();
    writes.length = 0;
    for (let i = 0; i < 2500; i++) last().emit({ type: 'text_delta', message_id: 'm', text: `${i}` });
    await manager.kill(session.id, 'owner');
    // Then the end, in a commit of its own: its last events were delivered while it was still listed.
    expect(writes).toEqual([
      { events: 1000, ended: 0 },
      { events: 1000, ended: 0 },
      { events: 500, ended: 0 },
      { events: 0, ended: 1 },
    ]);
    expect(seen.map((entry) => entry.seq)).toEqual(Array.from({ length: 2500 }, (_, index) => index + 1));
    const stored = await Promise.all(seen.map((entry) => entry.stored));
    expect(seen.every((entry, index) => stored[index]! >= entry.seq)).toBe(true);
    expect(await store.getSession(session.id)).toMatchObject({ end_reason: 'killed' });
  });
});

describe('SessionManager writes', () => {
  it("writes a session's row only when what the store keeps of it changed: viewers coming cost no write", async () => {
    const store = new MemoryStore();
    const written: string[][] = [];
    const write = store.write.bind(store);
    store.write = async (batch) => {
      written.push((batch.sessions ?? []).map((snapshot) => `${snapshot.permission_mode} ${snapshot.subscriber_count}`));
      await write(batch);
    };
    const bus = new EventBus<CoreEvent>({ ringSize: 100 });
    const { factory, last } = scriptedAgents();
    const manager = new SessionManager({ bus, agentFactory: factory, store, delivery: 'sync' });
    const updates: number[] = [];
    bus.subscribe(({ event }) => {
      if (event.type === 'session_updated') updates.push(event.session.subscriber_count);
    });
    const session = await manager.create({ ownerId: 'owner', cwd: process.cwd() });
    written.length = 0;
    updates.length = 0;
    for (const viewer of ['a', 'b', 'c']) session.addSubscriber(viewer);
    expect(updates).toEqual([2, 3, 4]);
    expect(written).toEqual([]);
    last().emitAgentEvent({ type: 'permission_mode', mode: 'plan' });
    expect(written.flat()).toEqual(['plan 4']);
    await manager.kill(session.id, 'owner');
    expect(await store.getSession(session.id)).toMatchObject({ end_reason: 'killed' });
  });

  it('a store that stays full is said once, in one line without a stack; and once more when writes work again', async () => {
    const store = new MemoryStore();
    const write = store.write.bind(store);
    let full = false;
    store.write = async (batch) => {
      if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      await write(batch);
    };
    const { factory, last } = scriptedAgents();
    const manager = new SessionManager({ bus: new EventBus<CoreEvent>({ ringSize: 100 }), agentFactory: factory, store, delivery: 'sync' });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const logs = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const session = await manager.create({ ownerId: 'owner', cwd: process.cwd() });
      full = true;
      for (const mode of ['plan', 'acceptEdits', 'default'] as const) last().emitAgentEvent({ type: 'permission_mode', mode });
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors.mock.calls).toEqual([
        [expect.stringMatching(/^vibes: writing sessions to the store failed \(database or disk is full\)[^\n]*$/)],
      ]);
      full = false;
      last().emitAgentEvent({ type: 'permission_mode', mode: 'plan' });
      last().emitAgentEvent({ type: 'permission_mode', mode: 'default' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(logs.mock.calls).toEqual([['vibes: writing sessions to the store works again']]);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(await store.getSession(session.id)).toMatchObject({ permission_mode: 'default' });
    } finally {
      errors.mockRestore();
      logs.mockRestore();
    }
  });
});
