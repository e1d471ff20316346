import { describe, expect, it } from 'vitest';
import type { ServerEvent } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import type { TestEventStream } from '../support/event-stream.ts';
import { SCENARIO } from '../support/scenarios.ts';

const RING = 300;
// Loopback's socket buffers here grow to tens of MB (tcp_rmem max 32 MB), so a paused reader can
// keep taking bytes for a while; the byte bound, below the ~36 MB the three bulky replies make, drops it for sure.
const vibes = useServer({
  env: { VIBES_REPLAY_RING_SIZE: String(RING), VIBES_CLIENT_STALL_MS: '1000', VIBES_CLIENT_BUFFER_BYTES: String(16 * 1024 * 1024) },
});

type SessionEvent = Extract<ServerEvent, { type: 'session_event' }>;
const sessionEvents = (stream: TestEventStream, sessionId: string): SessionEvent[] =>
  stream.events('session_event').filter((event) => event.session_id === sessionId);
const turnDone = (sessionId: string) => (stream: TestEventStream) =>
  sessionEvents(stream, sessionId).some((event) => event.event.type === 'turn_complete');

describe('replay with Last-Event-ID', () => {
  it('a reconnect in the middle of a streaming reply gets every missed event once, in order', async () => {
    const first = await vibes.stream();
    const session = await vibes.client(first.clientId).createSession({ prompt: SCENARIO.paced });
    await first.waitFor(
      (stream) => stream.events('session_event').filter((event) => event.event.type === 'text_delta').length >= 3,
      'a few deltas',
    );
    first.close();
    const seenBefore = sessionEvents(first, session.id);
    const resumeFrom = first.lastEventId;
    expect(resumeFrom).toBeDefined();
    // Back once the session has gone on without it, so there is something to replay.
    const lastSeen = seenBefore.at(-1)?.seq ?? 0;
    await expect
      .poll(async () => (await vibes.client(first.clientId).events(session.id, { limit: 1 })).last_seq)
      .toBeGreaterThan(lastSeen + 2);

    const second = await vibes.stream({ clientId: first.clientId, lastEventId: resumeFrom! });
    expect(second.frames[0]?.event).toMatchObject({ type: 'hello', client_id: first.clientId });
    expect(second.events('session_list')).toEqual([]);
    expect(second.events('resync')).toEqual([]);
    await second.waitFor(turnDone(session.id), 'the end of the turn', 15_000);

    const seqs = [...seenBefore, ...sessionEvents(second, session.id)].map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const transcript = await vibes.client(first.clientId).events(session.id, { limit: 1000 });
    expect(seqs.length).toBe(transcript.last_seq);
  });

  it('an id from a previous server start gets resync and a fresh list', async () => {
    const stream = await vibes.stream({ lastEventId: 'an-old-epoch:42' });
    await stream.waitForEvent('session_list');
    // What follows the list is live traffic (the previous case's session may still change state).
    const types = stream.frames.map((frame) => frame.event.type);
    expect(types.slice(0, types.indexOf('session_list') + 1)).toEqual(['hello', 'resync', 'session_list']);
    expect(stream.events('resync')[0]?.reason).toBe('epoch_changed');
  });

  it('an id that fell out of the replay ring gets resync', async () => {
    const live = await vibes.stream();
    const session = await vibes.client(live.clientId).createSession({ prompt: SCENARIO.burst });
    const early = live.frames[0]!.id!;
    await live.waitFor(turnDone(session.id), 'the end of the burst', 15_000);
    expect(Number(live.lastEventId!.split(':')[1]) - Number(early.split(':')[1])).toBeGreaterThan(RING);
    const late = await vibes.stream({ lastEventId: early });
    await late.waitForEvent('session_list');
    expect(late.events('resync')[0]?.reason).toBe('replay_window_exceeded');
  });

  it('a reconnect after a burst of list updates gets the newest state of the session once, not every step', async () => {
    const owner = await vibes.stream();
    const session = await vibes.client(owner.clientId).createSession({ name: 'watched by many' });
    await owner.waitForEvent('session_updated', (event) => event.session.id === session.id);
    owner.close();
    const resumeFrom = owner.lastEventId!;
    const watcher = await vibes.stream();
    const viewers = Array.from({ length: 12 }, (_, i) => vibes.client(`burst-viewer-${i}`));
    for (const viewer of viewers) await viewer.subscribe(session.id);
    // A subscribe answers before its list update is on the server's event bus (on a cluster it comes back through
    // Redis): the owner returns once the last one has been sent live, so the replay has it.
    await watcher.waitForEvent('session_updated', (event) => event.session.id === session.id && event.session.subscriber_count === 13);
    watcher.close();

    const resumed = await vibes.stream({ clientId: owner.clientId, lastEventId: resumeFrom });
    // Replayed frames carry ids; a live list update (the hub's coalesced one may follow) does not.
    const replayedCounts = (stream: TestEventStream) =>
      stream.frames.flatMap(({ id, event }) =>
        id !== undefined && event.type === 'session_updated' && event.session.id === session.id ? [event.session.subscriber_count] : [],
      );
    await resumed.waitFor((stream) => replayedCounts(stream).includes(13), 'the replayed list update');
    // The viewers' subscribes were 12 list updates; a replay needs only where they ended.
    expect(resumed.events('resync')).toEqual([]);
    expect(replayedCounts(resumed)).toEqual([13]);
    resumed.close();
  });

  it('a garbled Last-Event-ID is treated as a fresh connection', async () => {
    const stream = await vibes.stream({ lastEventId: 'garbage' });
    await stream.waitForEvent('session_list');
    expect(stream.events('resync')).toEqual([]);
  });
});

describe('slow clients', () => {
  it('a client that stops reading is dropped and does not hold back a live one', async () => {
    const live = await vibes.stream();
    const stalled = await vibes.stream();
    stalled.pause();
    const owner = vibes.client(live.clientId);
    const session = await owner.createSession({});
    await vibes.client(stalled.clientId).subscribe(session.id);
    for (let turn = 0; turn < 3; turn++) await owner.sendInput(session.id, SCENARIO.bulky);
    const turnsDone = (stream: TestEventStream) =>
      sessionEvents(stream, session.id).filter((event) => event.event.type === 'turn_complete').length === 3;
    // 36 MB through the store and the hub (deltas, then the whole text twice): a loaded machine needs far longer than the 3 s it takes alone.
    await live.waitFor(turnsDone, 'the end of three bulky replies', 60_000);
    const seqs = sessionEvents(live, session.id).map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    stalled.resume();
    await stalled.waitForEnd();
    expect(sessionEvents(stalled, session.id).length).toBeLessThan(seqs.length);
  }, 80_000);
});
