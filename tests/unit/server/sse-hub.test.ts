import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { EventBus, type CoreEvent, type SessionManager } from '../../../lib/core/index.ts';
import type { Presence } from '../../../lib/server/presence.ts';
import { SseHub } from '../../../lib/server/sse-hub.ts';
import { managerView } from '../../../lib/server/cluster/session-view.ts';

/** `socketFull` plays a client whose socket buffer never empties: every write is held back. */
function fakeConnection({ socketFull = false } = {}) {
  const written: string[] = [];
  const state = { destroyed: false };
  const res = {
    writableLength: 0,
    socket: { setNoDelay() {} },
    writeHead() {},
    write(text: string) {
      written.push(text);
      if (!socketFull) return true;
      res.writableLength += Buffer.byteLength(text);
      return false;
    },
    on() {},
    once() {},
    end() {},
    destroy() {
      state.destroyed = true;
    },
  } as unknown as ServerResponse & { writableLength: number };
  const req = { headers: {}, on() {} } as unknown as IncomingMessage;
  const frames = () => written.join('').split('\n\n');
  const events = () => frames().flatMap((frame) => /^event: (.+)$/m.exec(frame)?.[1] ?? []);
  /** The data of every frame of one type, parsed. */
  const data = (type: string) =>
    frames()
      .filter((frame) => frame.includes(`event: ${type}\n`))
      .map((frame) => JSON.parse(/^data: (.+)$/m.exec(frame)![1]!) as Record<string, unknown>);
  return { req, res, events, data, written, state };
}

function hub() {
  const bus = new EventBus<CoreEvent>({ ringSize: 100 });
  // Who subscribes to what: s1 has alice, s2 has bob.
  const subscribers: Record<string, string[]> = { s1: ['alice'], s2: ['bob'] };
  const manager = {
    list: () => [],
    find: (id: string) =>
      subscribers[id] && {
        ownership: { subscriberIds: new Set(subscribers[id]), isSubscribed: (client: string) => subscribers[id]!.includes(client) },
      },
  } as unknown as SessionManager;
  const presence = { streamOpened() {}, streamClosed() {} } as unknown as Presence;
  const sse = new SseHub({
    bus,
    sessions: managerView(manager),
    presence,
    maxClients: 10,
    maxClientsPerDevice: 10,
    clientBufferBytes: 1 << 20,
    clientStallMs: 1000,
    pingMs: 60_000,
  });
  sse.start();
  const open = (clientId: string, options?: { socketFull?: boolean }) => {
    const connection = fakeConnection(options);
    sse.open(connection.req, connection.res, new URL(`http://vibes.invalid/api/events?client_id=${clientId}`), 'token');
    return connection;
  };
  return { bus, sse, open };
}

const entry = { seq: 1, at: 1, event: { type: 'text' as const, message_id: 'm', text: 'hi' } };

/** A session_updated as the core publishes it; only the fields the hub reads matter here. */
const updated = (id: string, subscriberCount: number, state = 'idle', ownerId = 'alice'): CoreEvent =>
  ({ type: 'session_updated', session: { id, state, owner_id: ownerId, subscriber_count: subscriberCount } }) as unknown as CoreEvent;

describe('the SSE hub', () => {
  it('knows which credentials have a stream open (the idle sweep counts them as in use)', () => {
    const { sse, open } = hub();
    open('alice');
    const phone = fakeConnection();
    sse.open(phone.req, phone.res, new URL('http://vibes.invalid/api/events?client_id=phone'), 'device:abc');
    expect(sse.openPrincipals()).toEqual(new Set(['token', 'device:abc']));
    sse.closeStreams((key) => key === 'device:abc');
    expect(sse.openPrincipals()).toEqual(new Set(['token']));
    sse.stop();
  });

  it('delivers a transcript event to the session’s subscribers, and to nobody else', () => {
    const { bus, sse, open } = hub();
    const alice = open('alice');
    const bob = open('bob');
    bus.publish({ type: 'session_event', session_id: 's1', entry });
    expect(alice.events()).toEqual(['hello', 'session_list', 'session_event']);
    expect(bob.events()).toEqual(['hello', 'session_list']);
    sse.stop();
  });

  it('replays to a returning client only the transcript events of its sessions', () => {
    const { bus, sse, open } = hub();
    const first = open('alice');
    bus.publish({ type: 'session_event', session_id: 's1', entry });
    bus.publish({ type: 'session_event', session_id: 's2', entry: { ...entry, seq: 2 } });
    const helloId = /^id: (.+)$/m.exec(first.written.join(''))?.[1] ?? '';
    const again = fakeConnection();
    (again.req.headers as Record<string, string>)['last-event-id'] = helloId;
    sse.open(again.req, again.res, new URL('http://vibes.invalid/api/events?client_id=alice'), 'token');
    expect(again.events()).toEqual(['hello', 'session_event']);
    sse.stop();
  });

  describe('a client whose socket stays full', () => {
    const publishEvery = (bus: EventBus<CoreEvent>, ms: number, times: number, between: () => void) => {
      for (let seq = 1; seq <= times; seq++) {
        bus.publish({ type: 'session_event', session_id: 's1', entry: { ...entry, seq } });
        between();
        vi.advanceTimersByTime(ms);
      }
    };

    it('is dropped when it takes nothing for the stall time', () => {
      vi.useFakeTimers();
      try {
        const { bus, sse, open } = hub();
        const alice = open('alice', { socketFull: true });
        publishEvery(bus, 100, 11, () => {});
        expect(alice.state.destroyed).toBe(true);
        sse.stop();
      } finally {
        vi.useRealTimers();
      }
    });

    it('keeps its stream while it still takes bytes, however long the burst', () => {
      vi.useFakeTimers();
      try {
        const { bus, sse, open } = hub();
        const alice = open('alice', { socketFull: true });
        // It reads half of what is waiting every 100 ms, so the buffer never empties for 5 s.
        publishEvery(bus, 100, 50, () => (alice.res.writableLength = Math.floor(alice.res.writableLength / 2)));
        expect(alice.res.writableLength).toBeGreaterThan(0);
        expect(alice.state.destroyed).toBe(false);
        sse.stop();
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('list updates', () => {
    const withFakeTimers = (test: () => void) => () => {
      vi.useFakeTimers();
      try {
        test();
      } finally {
        vi.useRealTimers();
      }
    };

    it(
      'sends the first change at once, then the newest of a burst once at the end of the window',
      withFakeTimers(() => {
        const { bus, sse, open } = hub();
        const alice = open('alice');
        const bob = open('bob');
        bus.publish(updated('s1', 1));
        expect(bob.data('session_updated').map((update) => update.session)).toEqual([
          { id: 's1', state: 'idle', owner_id: 'alice', subscriber_count: 1, is_owner: false },
        ]);
        for (let count = 2; count <= 500; count++) bus.publish(updated('s1', count, 'processing'));
        expect(bob.data('session_updated')).toHaveLength(1);
        vi.advanceTimersByTime(49);
        expect(bob.data('session_updated')).toHaveLength(1);
        vi.advanceTimersByTime(1);
        expect(bob.data('session_updated').map((update) => (update.session as { subscriber_count: number }).subscriber_count)).toEqual([
          1, 500,
        ]);
        expect(alice.data('session_updated').map((update) => (update.session as { is_owner: boolean }).is_owner)).toEqual([true, true]);
        vi.advanceTimersByTime(1000);
        expect(bob.data('session_updated')).toHaveLength(2);
        sse.stop();
      }),
    );

    it(
      'holds a change of nothing but the viewer count or last activity for the longer window',
      withFakeTimers(() => {
        const { bus, sse, open } = hub();
        const bob = open('bob');
        bus.publish(updated('s1', 1));
        for (let count = 2; count <= 500; count++) bus.publish(updated('s1', count));
        vi.advanceTimersByTime(999);
        expect(bob.data('session_updated')).toHaveLength(1);
        vi.advanceTimersByTime(1);
        expect(bob.data('session_updated').map((update) => (update.session as { subscriber_count: number }).subscriber_count)).toEqual([
          1, 500,
        ]);
        // A real change while a count waits goes out within the short window, carrying the count too.
        bus.publish(updated('s1', 501));
        vi.advanceTimersByTime(10);
        bus.publish(updated('s1', 502, 'waiting_permission'));
        vi.advanceTimersByTime(40);
        expect(bob.data('session_updated').at(-1)?.session).toMatchObject({ state: 'waiting_permission', subscriber_count: 502 });
        sse.stop();
      }),
    );

    it(
      'sends a change still in its window before the streams end at a stop: the sessions’ last state',
      withFakeTimers(() => {
        const { bus, sse, open } = hub();
        const bob = open('bob');
        bus.publish(updated('s1', 1, 'processing'));
        bus.publish(updated('s1', 1, 'finished'));
        expect(bob.data('session_updated').map((update) => (update.session as { state: string }).state)).toEqual(['processing']);
        sse.stop();
        expect(bob.data('session_updated').map((update) => (update.session as { state: string }).state)).toEqual([
          'processing',
          'finished',
        ]);
        vi.advanceTimersByTime(1000);
        expect(bob.data('session_updated')).toHaveLength(2);
      }),
    );

    it(
      'serialises each window’s update once per variant, not once per client',
      withFakeTimers(() => {
        const { bus, sse, open } = hub();
        const viewers = ['bob', 'carol', 'dave'].map((id) => open(id));
        const alice = open('alice');
        bus.publish(updated('s1', 1));
        const forViewers = viewers.map((viewer) => viewer.written.at(-1));
        expect(new Set(forViewers).size).toBe(1);
        expect(alice.written.at(-1)).not.toBe(forViewers[0]);
        sse.stop();
      }),
    );

    it(
      'keeps a window per session: one session’s burst does not hold back another’s change',
      withFakeTimers(() => {
        const { bus, sse, open } = hub();
        const bob = open('bob');
        bus.publish(updated('s1', 1));
        bus.publish(updated('s1', 1, 'processing'));
        bus.publish(updated('s2', 1, 'idle', 'bob'));
        expect(bob.data('session_updated').map((update) => (update.session as { id: string }).id)).toEqual(['s1', 's2']);
        vi.advanceTimersByTime(50);
        expect(bob.data('session_updated').map((update) => (update.session as { id: string }).id)).toEqual(['s1', 's2', 's1']);
        sse.stop();
      }),
    );

    it(
      'sends a waiting update before its session’s removal, never after (the session would come back)',
      withFakeTimers(() => {
        const { bus, sse, open } = hub();
        const bob = open('bob');
        bus.publish(updated('s1', 1, 'idle'));
        bus.publish(updated('s1', 1, 'finished'));
        bus.publish({ type: 'session_removed', session_id: 's1', reason: 'killed' } as CoreEvent);
        vi.advanceTimersByTime(1000);
        expect(bob.events()).toEqual(['hello', 'session_list', 'session_updated', 'session_updated', 'session_removed']);
        expect(bob.data('session_updated').map((update) => (update.session as { state: string }).state)).toEqual(['idle', 'finished']);
        sse.stop();
      }),
    );

    it(
      'sends them without an id, so a client resuming from its last id is replayed them from the ring',
      withFakeTimers(() => {
        const { bus, sse, open } = hub();
        const first = open('alice');
        bus.publish({ type: 'session_event', session_id: 's1', entry });
        bus.publish(updated('s1', 2));
        const frames = first.written.join('').split('\n\n');
        const lastId = frames.flatMap((frame) => /^id: (.+)$/m.exec(frame)?.[1] ?? []).at(-1)!;
        expect(frames.find((frame) => frame.includes('event: session_updated'))).not.toMatch(/^id:/m);
        const again = fakeConnection();
        (again.req.headers as Record<string, string>)['last-event-id'] = lastId;
        sse.open(again.req, again.res, new URL('http://vibes.invalid/api/events?client_id=alice'), 'token');
        expect(again.events()).toEqual(['hello', 'session_updated']);
        sse.stop();
      }),
    );
  });
});
