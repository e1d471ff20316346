import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { EventBus, type CoreEvent, type SessionManager } from '../../../lib/core/index.ts';
import type { Presence } from '../../../lib/server/presence.ts';
import { SseHub } from '../../../lib/server/sse-hub.ts';

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
  const events = () =>
    written
      .join('')
      .split('\n\n')
      .flatMap((frame) => /^event: (.+)$/m.exec(frame)?.[1] ?? []);
  return { req, res, events, written, state };
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
  const sse = new SseHub({ bus, manager, presence, maxClients: 10, clientBufferBytes: 1 << 20, clientStallMs: 1000, pingMs: 60_000 });
  sse.start();
  const open = (clientId: string, options?: { socketFull?: boolean }) => {
    const connection = fakeConnection(options);
    sse.open(connection.req, connection.res, new URL(`http://vibes.invalid/api/events?client_id=${clientId}`), 'token');
    return connection;
  };
  return { bus, sse, open };
}

const entry = { seq: 1, at: 1, event: { type: 'text' as const, message_id: 'm', text: 'hi' } };

describe('the SSE hub', () => {
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
});
