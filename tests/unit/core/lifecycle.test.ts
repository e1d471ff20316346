import { describe, expect, it } from 'vitest';
import { coreHarness } from '../../support/core-harness.ts';

describe('SessionLifecycle', () => {
  it('disconnecting the owner transfers to the subscriber', async () => {
    const { create, lifecycle, published } = coreHarness();
    const session = await create('client-a');
    await lifecycle.subscribe(session.id, 'client-b');
    const result = await lifecycle.clientGone('client-a');
    expect(result).toEqual({ transfers: [{ session_id: session.id, new_owner_id: 'client-b' }], cleanups: [], deferred: [] });
    expect(session.ownership.ownerId).toBe('client-b');
    expect(published).toContainEqual({
      type: 'ownership_transferred',
      session_id: session.id,
      new_owner_id: 'client-b',
      previous_owner_id: 'client-a',
    });
  });

  it('disconnecting the owner with no subscribers cleans up', async () => {
    const { create, lifecycle, manager, agents, published } = coreHarness();
    const session = await create('client-a');
    const result = await lifecycle.clientGone('client-a');
    expect(result.transfers).toEqual([]);
    expect(result.cleanups).toEqual([session.id]);
    expect(manager.find(session.id)).toBeUndefined();
    await expect(manager.get(session.id)).rejects.toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(await manager.info(session.id, null)).toMatchObject({ state: 'finished', end_reason: 'owner_disconnected' });
    expect(agents.last().stopped).toBe(true);
    expect(published.at(-1)).toEqual({ type: 'session_removed', session_id: session.id, reason: 'owner_disconnected' });
  });

  it('a session whose Claude already failed keeps that as its end when its last viewer leaves', async () => {
    const { create, lifecycle, manager, agents, published } = coreHarness();
    const session = await create('client-a');
    agents.last().emitAgentEvent({ type: 'exited', failure: 'Claude exited with code 1' });
    expect(session.state).toBe('failed');
    await lifecycle.clientGone('client-a');
    expect(await manager.info(session.id, null)).toMatchObject({ state: 'failed', end_reason: 'session_finished' });
    expect(published.at(-1)).toEqual({ type: 'session_removed', session_id: session.id, reason: 'session_finished' });
  });

  it('disconnecting a subscriber does not transfer', async () => {
    const { create, lifecycle } = coreHarness();
    const session = await create('owner');
    await lifecycle.subscribe(session.id, 'subscriber');
    const result = await lifecycle.clientGone('subscriber');
    expect(result).toEqual({ transfers: [], cleanups: [], deferred: [] });
    expect(session.ownership.ownerId).toBe('owner');
    expect(session.ownership.isSubscribed('subscriber')).toBe(false);
  });

  it('disconnect handles several sessions at once', async () => {
    const { create, lifecycle } = coreHarness();
    const id1 = (await create('client')).id;
    const id2 = (await create('client')).id;
    await lifecycle.subscribe(id1, 'other');
    const result = await lifecycle.clientGone('client');
    expect(result.transfers).toEqual([{ session_id: id1, new_owner_id: 'other' }]);
    expect(result.cleanups).toEqual([id2]);
  });

  it('the next owner is the longest-standing remaining subscriber', async () => {
    const { create, lifecycle } = coreHarness();
    const session = await create('owner');
    for (const id of ['second', 'third', 'fourth']) await lifecycle.subscribe(session.id, id);
    await lifecycle.clientGone('owner');
    expect(session.ownership.ownerId).toBe('second');
    await lifecycle.clientGone('second');
    expect(session.ownership.ownerId).toBe('third');
  });

  it('a client unknown to every session changes nothing', async () => {
    const { create, lifecycle } = coreHarness();
    const session = await create('owner');
    expect(await lifecycle.clientGone('nobody')).toEqual({ transfers: [], cleanups: [], deferred: [] });
    expect(session.ownership.subscriberCount).toBe(1);
  });

  it('subscribe adds the client to the session and is idempotent', async () => {
    const { create, lifecycle } = coreHarness();
    const session = await create('owner');
    await lifecycle.subscribe(session.id, 'new-client');
    await lifecycle.subscribe(session.id, 'new-client');
    expect(session.ownership.isSubscribed('new-client')).toBe(true);
    expect(session.ownership.subscriberCount).toBe(2);
  });

  it('subscribe to an unknown session is NOT_FOUND', async () => {
    const { lifecycle } = coreHarness();
    await expect(lifecycle.subscribe('missing', 'c')).rejects.toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('unsubscribe removes the client from the session', async () => {
    const { create, lifecycle } = coreHarness();
    const session = await create('owner');
    await lifecycle.subscribe(session.id, 'client');
    const result = await lifecycle.unsubscribe(session.id, 'client');
    expect(result.was_owner).toBe(false);
    expect(session.ownership.isSubscribed('client')).toBe(false);
  });

  it('the owner unsubscribing passes ownership on, like a disconnect', async () => {
    const { create, lifecycle } = coreHarness();
    const session = await create('owner');
    await lifecycle.subscribe(session.id, 'watcher');
    const result = await lifecycle.unsubscribe(session.id, 'owner');
    expect(result.was_owner).toBe(true);
    expect(result.transfers).toEqual([{ session_id: session.id, new_owner_id: 'watcher' }]);
  });

  it('the last subscriber unsubscribing ends the session, so none is left that nobody can end', async () => {
    const { create, lifecycle, manager } = coreHarness();
    const session = await create('owner');
    const result = await lifecycle.unsubscribe(session.id, 'owner');
    expect(result.cleanups).toEqual([session.id]);
    expect(manager.find(session.id)).toBeUndefined();
  });

  it('never cuts a turn: the session ends when its turn completes', async () => {
    const { create, lifecycle, manager, agents, published } = coreHarness();
    const session = await create('owner', { prompt: 'work' });
    const result = await lifecycle.clientGone('owner');
    expect(result.deferred).toEqual([session.id]);
    expect(result.cleanups).toEqual([]);
    expect(manager.find(session.id)).toBe(session);
    expect(agents.last().stopped).toBe(false);
    agents.last().completeTurn();
    await expect.poll(() => manager.find(session.id)).toBeUndefined();
    expect(published.at(-1)).toEqual({ type: 'session_removed', session_id: session.id, reason: 'owner_disconnected' });
  });

  it('a client who comes back during the turn keeps the session alive', async () => {
    const { create, lifecycle, manager, agents } = coreHarness();
    const session = await create('owner', { prompt: 'work' });
    await lifecycle.clientGone('owner');
    await lifecycle.subscribe(session.id, 'returning');
    agents.last().completeTurn();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(manager.find(session.id)).toBe(session);
    expect(session.state).toBe('idle');
  });
});
