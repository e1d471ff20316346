import { describe, expect, it } from 'vitest';
import { useServer } from '../support/api-harness.ts';
import { childPids, commandLine, isAlive } from '../support/processes.ts';
import { SCENARIO } from '../support/scenarios.ts';

const GRACE_MS = 600;
const vibes = useServer({ env: { VIBES_DISCONNECT_GRACE_MS: String(GRACE_MS) } });

describe('presence, grace period and ownership transfer', () => {
  it('passes ownership to the remaining subscriber, then ends the session when the last one goes', async () => {
    const a = await vibes.stream();
    const b = await vibes.stream();
    const c = await vibes.stream();
    const before = new Set(childPids(vibes.server.pid));
    const session = await vibes.client(a.clientId).createSession({ name: 'shared' });
    await vibes.client(b.clientId).subscribe(session.id);
    const [agentPid] = childPids(vibes.server.pid).filter((pid) => !before.has(pid) && commandLine(pid).includes('fake-claude'));
    expect(agentPid).toBeDefined();

    a.close();
    const transfer = await b.waitForEvent('ownership_transferred', (event) => event.session_id === session.id);
    expect(transfer).toMatchObject({ new_owner_id: b.clientId, you_are_owner: true });
    const seenByC = await c.waitForEvent('ownership_transferred', (event) => event.session_id === session.id);
    expect(seenByC.you_are_owner).toBe(false);
    await c.waitForEvent('session_updated', (event) => event.session.id === session.id && event.session.owner_id === b.clientId);
    expect(await vibes.client(b.clientId).getSession(session.id)).toMatchObject({ is_owner: true, subscriber_count: 1 });

    b.close();
    const removed = await c.waitForEvent('session_removed', (event) => event.session_id === session.id);
    expect(removed.reason).toBe('owner_disconnected');
    expect(isAlive(agentPid!)).toBe(false);
  });

  it('the last subscriber leaving during a turn lets the turn finish first', async () => {
    const a = await vibes.stream();
    const watcher = await vibes.stream();
    const session = await vibes.client(a.clientId).createSession({ prompt: SCENARIO.slowReply });
    await watcher.waitForEvent('session_updated', (event) => event.session.id === session.id && event.session.state === 'processing');
    a.close();
    // The grace period (tests/unit/server/presence.test.ts) ends mid-turn; the turn still finishes first.
    const removed = await watcher.waitForEvent('session_removed', (event) => event.session_id === session.id, 15_000);
    expect(removed.reason).toBe('owner_disconnected');
    // Gone from the live list, still readable from the history.
    expect((await vibes.client('observer').listSessions()).map((listed) => listed.id)).not.toContain(session.id);
    expect(await vibes.client('observer').getSession(session.id)).toMatchObject({ end_reason: 'owner_disconnected', state: 'finished' });
    const page = await vibes.client('observer').events(session.id);
    expect(page.events.map((entry) => entry.event.type)).toContain('turn_complete');
    const states = watcher
      .events('session_updated')
      .filter((event) => event.session.id === session.id)
      .map((event) => event.session.state);
    expect(states).toContain('idle');
    expect(states.indexOf('idle')).toBeLessThan(states.lastIndexOf('finished'));
  });
});
