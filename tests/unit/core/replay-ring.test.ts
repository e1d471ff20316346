import { describe, expect, it } from 'vitest';
import type { BusEntry } from '../../../lib/core/bus.ts';
import { ReplayRing } from '../../../lib/core/replay-ring.ts';

// 'x1', 'x2', ... state the same thing in full (as session_updated states a session): only the newest counts.
const ring = (size: number) => new ReplayRing<BusEntry<string>>(size, (event) => (event.length === 2 ? event[0] : undefined));
const fill = (target: ReplayRing<BusEntry<string>>, events: string[], from = 1) =>
  events.forEach((event, index) => target.keep({ seq: from + index, event }));
const replay = (target: ReplayRing<BusEntry<string>>, seq: number, lastSeq: number) =>
  target.since(seq, lastSeq)?.map((entry) => `${entry.seq}:${entry.event}`);

describe('ReplayRing', () => {
  it('leaves a superseded entry out of a replay that holds the newer one; its seq is no gap', () => {
    const kept = ring(8);
    fill(kept, ['x1', 'a', 'x2', 'y1', 'b', 'x3']);
    expect(replay(kept, 0, 6)).toEqual(['2:a', '4:y1', '5:b', '6:x3']);
    expect(replay(kept, 3, 6)).toEqual(['4:y1', '5:b', '6:x3']);
    expect(replay(kept, 6, 6)).toEqual([]);
  });

  it('counts only what it keeps against its size: a burst of one key pushes nothing else out', () => {
    const kept = ring(3);
    fill(kept, ['a', ...Array.from({ length: 50 }, (_, i) => `x${i % 10}`), 'b']);
    expect(replay(kept, 0, 52)).toEqual(['1:a', '51:x9', '52:b']);
    kept.keep({ seq: 53, event: 'c' });
    // Now something had to go for room: a replay from before it cannot be exact.
    expect(replay(kept, 0, 53)).toBeUndefined();
    expect(replay(kept, 1, 53)).toEqual(['51:x9', '52:b', '53:c']);
    // The next to go is x9: the superseded seqs before it are stepped over.
    kept.keep({ seq: 54, event: 'd' });
    expect(replay(kept, 50, 54)).toBeUndefined();
    expect(replay(kept, 51, 54)).toEqual(['52:b', '53:c', '54:d']);
  });

  it('forgets the key of an entry dropped for room, so a newer one with that key drops nothing else', () => {
    const kept = ring(2);
    fill(kept, ['x1', 'a', 'b', 'x2']);
    expect(replay(kept, 2, 4)).toEqual(['3:b', '4:x2']);
  });

  it('cannot answer from before a gap in what it was given, nor from the future', () => {
    const kept = ring(8);
    fill(kept, ['a', 'b']);
    kept.keep({ seq: 5, event: 'c' });
    expect(replay(kept, 2, 5)).toBeUndefined();
    expect(replay(kept, 4, 5)).toEqual(['5:c']);
    expect(replay(kept, 6, 5)).toBeUndefined();
    expect(replay(kept, 4.5, 5)).toBeUndefined();
  });

  it('starts afresh when cleared', () => {
    const kept = ring(8);
    fill(kept, ['x1', 'a', 'b']);
    kept.clear();
    fill(kept, ['x2', 'c']);
    expect(replay(kept, 0, 2)).toEqual(['1:x2', '2:c']);
  });
});
