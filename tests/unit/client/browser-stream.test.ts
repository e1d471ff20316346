import { describe, expect, it } from 'vitest';
import { BrowserStream, type EventSourceLike } from '../../../lib/client/web/browser-stream.ts';
import { SERVER_EVENT_TYPES, type ServerEvent } from '../../../lib/protocol/index.ts';

class FakeSource implements EventSourceLike {
  readonly listeners = new Map<string, (event: MessageEvent<string>) => void>();
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, listener);
  }
  close() {
    this.closed = true;
  }
  send(event: ServerEvent, id: string) {
    this.listeners.get(event.type)?.({ data: JSON.stringify(event), lastEventId: id } as MessageEvent<string>);
  }
}

function setup(probe = true) {
  const sources: FakeSource[] = [];
  const timers: (() => void)[] = [];
  const store = new Map<string, string>();
  const stream = new BrowserStream({
    createEventSource: (url) => {
      const source = new FakeSource(url);
      sources.push(source);
      return source;
    },
    probeAuth: async () => probe,
    storage: { getItem: (key) => store.get(key) ?? null, setItem: (key, value) => void store.set(key, value) },
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => {},
  });
  return { stream, sources, timers, store };
}

describe('browser stream', () => {
  it('listens to every event type of the protocol (its list is kept by hand, without zod)', () => {
    const { stream, sources } = setup();
    stream.start();
    expect([...(sources[0]?.listeners.keys() ?? [])].sort()).toEqual([...SERVER_EVENT_TYPES].sort());
  });

  it('reconnects with the same client id and the last event id', async () => {
    const { stream, sources, timers, store } = setup();
    const statuses: string[] = [];
    stream.onStatus((status) => statuses.push(status));
    stream.start();
    expect(sources[0]?.url).toBe('/api/events');
    sources[0]?.send({ type: 'hello', client_id: 'tab-1', epoch: 'e', allow_bypass: false, demo_default: false }, 'e:4');
    sources[0]?.send({ type: 'resync', reason: 'slow_client' }, 'e:9');
    expect(store.get('vibes.client_id')).toBe('tab-1');
    sources[0]?.onerror?.(new Event('error'));
    expect(sources[0]?.closed).toBe(true);
    await Promise.resolve();
    await Promise.resolve();
    timers.shift()?.();
    expect(sources[1]?.url).toBe('/api/events?client_id=tab-1&last_event_id=e%3A9');
    sources[1]?.send({ type: 'hello', client_id: 'tab-1', epoch: 'e', allow_bypass: false, demo_default: false }, 'e:9');
    expect(statuses).toEqual(['live', 'reconnecting', 'live']);
  });

  it('says offline after repeated failures and signed out on 401', async () => {
    const { stream, sources, timers } = setup();
    stream.start();
    for (let attempt = 0; attempt < 3; attempt++) {
      sources.at(-1)?.onerror?.(new Event('error'));
      await Promise.resolve();
      await Promise.resolve();
      timers.shift()?.();
    }
    expect(stream.status).toBe('offline');

    const signedOut = setup(false);
    signedOut.stream.start();
    signedOut.sources[0]?.onerror?.(new Event('error'));
    await Promise.resolve();
    await Promise.resolve();
    expect(signedOut.stream.status).toBe('unauthorized');
    expect(signedOut.timers).toHaveLength(0);
  });
});
