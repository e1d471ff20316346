import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StreamBus, type StreamEntry } from '../../../lib/core/cluster/stream-bus.ts';
import { startRedis, type Engine } from '../../support/engines.ts';

let redis: Engine;
let prefix = 0;
const buses: StreamBus<unknown>[] = [];
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.stop()));
});
afterAll(async () => {
  await redis.stop();
});

interface Seen {
  bus: StreamBus<{ n: number }>;
  entries: StreamEntry<{ n: number }>[];
  resets: string[];
}

async function node(name: string, keys: string, options: { annotate?: (event: { n: number }) => unknown } = {}): Promise<Seen> {
  const resets: string[] = [];
  const bus = new StreamBus<{ n: number }>({
    url: redis.url,
    node: name,
    ringSize: 8,
    prefix: keys,
    onReset: (reason) => resets.push(reason),
    ...options,
  });
  buses.push(bus as StreamBus<unknown>);
  const entries: StreamEntry<{ n: number }>[] = [];
  bus.subscribe((entry) => entries.push(entry as StreamEntry<{ n: number }>));
  await bus.start();
  return { bus, entries, resets };
}

const summary = (seen: Seen) => seen.entries.map((entry) => [entry.seq, entry.node, entry.event.n, entry.note]);

describe('StreamBus on a real Redis', () => {
  it('settled() resolves once what this node published is back through its own listeners', async () => {
    const a = await node('a', `t${++prefix}:`);
    for (let n = 1; n <= 50; n++) a.bus.publish({ n });
    // Nothing waited for the stream yet: the appends are still on their way.
    expect(a.entries.length).toBeLessThan(50);
    await a.bus.settled(10_000);
    expect(a.entries.map((entry) => entry.event.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('every node sees every event once, in one order, under the same ids, with the publisher and its note', async () => {
    const keys = `t${++prefix}:`;
    const a = await node('a', keys, { annotate: (event) => ({ doubled: event.n * 2 }) });
    const b = await node('b', keys);
    a.bus.publish({ n: 1 });
    b.bus.publish({ n: 2 });
    a.bus.publish({ n: 3 });
    await vi.waitFor(() => expect(a.entries).toHaveLength(3), { timeout: 5000 });
    await vi.waitFor(() => expect(b.entries).toHaveLength(3), { timeout: 5000 });
    expect(summary(a)).toEqual(summary(b));
    // Two nodes publish over two connections, so which of b's and a's second event Redis gets first is open; the order, once made, is one.
    expect(summary(a).map(([seq]) => seq)).toEqual([1, 2, 3]);
    expect(summary(a).map(([, node, n]) => `${String(node)}${String(n)}`)).toEqual(expect.arrayContaining(['a1', 'b2', 'a3']));
    expect(
      summary(a)
        .filter(([, node]) => node === 'a')
        .map(([, , n]) => n),
    ).toEqual([1, 3]);
    expect(a.entries.find((entry) => entry.event.n === 1)!.note).toEqual({ doubled: 2 });
    expect(a.bus.epoch).toBe(b.bus.epoch);
    expect(a.bus.epoch).not.toBe('');
    expect(b.bus.since(1)?.map((entry) => entry.seq)).toEqual([2, 3]);
  });

  it('a node that starts later can replay what it missed from the stream; past its ring it cannot', async () => {
    const keys = `t${++prefix}:`;
    const a = await node('a', keys);
    for (let n = 1; n <= 12; n++) a.bus.publish({ n });
    await vi.waitFor(() => expect(a.entries).toHaveLength(12), { timeout: 5000 });
    const late = await node('late', keys);
    expect(late.bus.lastSeq).toBe(12);
    expect(late.bus.since(6)?.map((entry) => entry.event.n)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(late.bus.since(2)).toBeUndefined();
    expect(late.bus.since(13)).toBeUndefined();
  });

  it('after Redis restarts empty, every node takes up the new epoch and tells its clients to resync', async () => {
    const keys = `t${++prefix}:`;
    const a = await node('a', keys);
    const b = await node('b', keys);
    a.bus.publish({ n: 1 });
    await vi.waitFor(() => expect(b.entries).toHaveLength(1), { timeout: 5000 });
    const before = a.bus.epoch;
    await redis.kill();
    await redis.restart();
    a.bus.publish({ n: 2 });
    await vi.waitFor(() => expect(b.entries.map((entry) => entry.event.n)).toEqual([1, 2]), { timeout: 10_000 });
    await vi.waitFor(() => expect(a.entries.map((entry) => entry.event.n)).toEqual([1, 2]), { timeout: 10_000 });
    expect(a.bus.epoch).not.toBe(before);
    expect(b.bus.epoch).toBe(a.bus.epoch);
    expect(a.resets).toEqual(['epoch_changed']);
    expect(b.resets).toEqual(['epoch_changed']);
    expect(b.entries[1]!.seq).toBe(1);
    expect(b.bus.since(0)?.map((entry) => entry.event.n)).toEqual([2]);
  });
});
