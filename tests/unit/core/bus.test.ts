import { describe, expect, it, vi } from 'vitest';
import { EventBus, type BusEntry } from '../../../lib/core/index.ts';

const bus = (ringSize = 4) => new EventBus<string>({ ringSize, epoch: 'e1' });

describe('EventBus', () => {
  it('numbers events from 1 and delivers them in order to every listener', () => {
    const events = bus();
    const first: BusEntry<string>[] = [];
    const second: string[] = [];
    events.subscribe((entry) => first.push(entry));
    events.subscribe((entry) => second.push(entry.event));
    events.publish('a');
    events.publish('b');
    events.publish('c');
    expect(first.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(second).toEqual(['a', 'b', 'c']);
    expect(events.lastSeq).toBe(3);
  });

  it('stops delivering after unsubscribe, and unsubscribing twice is harmless', () => {
    const events = bus();
    const seen: string[] = [];
    const unsubscribe = events.subscribe((entry) => seen.push(entry.event));
    events.publish('a');
    unsubscribe();
    unsubscribe();
    events.publish('b');
    expect(seen).toEqual(['a']);
  });

  it('the same listener subscribed twice is two subscriptions', () => {
    const events = bus();
    const seen: string[] = [];
    const listener = (entry: BusEntry<string>) => seen.push(entry.event);
    const first = events.subscribe(listener);
    events.subscribe(listener);
    first();
    events.publish('a');
    expect(seen).toEqual(['a']);
  });

  it('a throwing listener does not keep the entry from the others', () => {
    const onListenerError = vi.fn();
    const events = new EventBus<string>({ ringSize: 2, onListenerError });
    const seen: string[] = [];
    events.subscribe(() => {
      throw new Error('boom');
    });
    events.subscribe((entry) => seen.push(entry.event));
    events.publish('a');
    expect(seen).toEqual(['a']);
    expect(onListenerError).toHaveBeenCalledOnce();
  });

  it('a listener added while publishing sees only later events', () => {
    const events = bus();
    const late: string[] = [];
    events.subscribe(() => {
      if (late.length === 0) events.subscribe((entry) => late.push(entry.event));
    });
    events.publish('a');
    events.publish('b');
    expect(late).toEqual(['b']);
  });

  it('replays exactly what came after a seq inside the window', () => {
    const events = bus(4);
    for (const e of ['a', 'b', 'c', 'd', 'e', 'f']) events.publish(e);
    expect(events.since(6)).toEqual([]);
    expect(events.since(4)?.map((entry) => [entry.seq, entry.event])).toEqual([
      [5, 'e'],
      [6, 'f'],
    ]);
    expect(events.since(2)?.map((entry) => entry.event)).toEqual(['c', 'd', 'e', 'f']);
  });

  it('cannot replay what fell out of the ring, nor a seq from the future', () => {
    const events = bus(4);
    for (const e of ['a', 'b', 'c', 'd', 'e', 'f']) events.publish(e);
    expect(events.since(1)).toBeUndefined();
    expect(events.since(0)).toBeUndefined();
    expect(events.since(7)).toBeUndefined();
    expect(events.since(-1)).toBeUndefined();
    expect(events.since(2.5)).toBeUndefined();
  });

  it('replays from the start while nothing has been dropped', () => {
    const events = bus(4);
    events.publish('a');
    expect(events.since(0)?.map((entry) => entry.event)).toEqual(['a']);
  });

  it('gives each bus its own epoch unless told', () => {
    expect(new EventBus({ ringSize: 1 }).epoch).not.toBe(new EventBus({ ringSize: 1 }).epoch);
    expect(bus().epoch).toBe('e1');
  });

  it('refuses a ring that cannot hold anything', () => {
    expect(() => new EventBus({ ringSize: 0 })).toThrow(RangeError);
  });

  it('delivers every superseded entry live, and replays only the newest of them (see ReplayRing)', () => {
    const events = new EventBus<string>({ ringSize: 8, supersedeKey: (event) => (event.length === 2 ? event[0] : undefined) });
    const seen: string[] = [];
    events.subscribe((entry) => seen.push(entry.event));
    for (const e of ['x1', 'a', 'x2', 'x3']) events.publish(e);
    expect(seen).toEqual(['x1', 'a', 'x2', 'x3']);
    expect(events.since(0)?.map((entry) => [entry.seq, entry.event])).toEqual([
      [2, 'a'],
      [4, 'x3'],
    ]);
  });
});
