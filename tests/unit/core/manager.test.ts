import { describe, expect, it } from 'vitest';
import { coreHarness } from '../../support/core-harness.ts';

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
    const { create, agents } = coreHarness();
    const session = await create('owner', { prompt: 'hello' });
    const agent = agents.last();
    expect(agent.started).toBe(true);
    expect(agent.options.cwd).toBe(process.cwd());
    expect(agent.sent).toEqual(['hello']);
    expect(session.state).toBe('processing');
    expect(session.transcript[0]?.event).toMatchObject({ type: 'user_input', client_id: 'owner', content: 'hello' });
  });

  it('get of an unknown id is NOT_FOUND', () => {
    const { manager } = coreHarness();
    expect(() => manager.get('missing')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(manager.find('missing')).toBeUndefined();
  });

  it('lists sessions oldest first', async () => {
    const { create, manager } = coreHarness();
    const a = await create('x');
    const b = await create('y');
    expect(manager.list().map((session) => session.id)).toEqual([a.id, b.id]);
  });

  it('sessions owned by a client', async () => {
    const { create, manager } = coreHarness();
    const id1 = (await create('client-a')).id;
    await create('client-b');
    const id3 = (await create('client-a')).id;
    expect(manager.sessionsOwnedBy('client-a').sort()).toEqual([id1, id3].sort());
  });

  it('sessions subscribed by a client include the ones it owns', async () => {
    const { create, manager, lifecycle } = coreHarness();
    const id1 = (await create('client-a')).id;
    const id2 = (await create('client-b')).id;
    lifecycle.subscribe(id2, 'client-a');
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
    expect(() => manager.kill(session.id, 'stranger')).toThrow(expect.objectContaining({ code: 'NOT_SUBSCRIBED' }));
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
