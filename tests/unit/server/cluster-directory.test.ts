import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../../lib/core/index.ts';
import type { StreamEntry } from '../../../lib/core/cluster/stream-bus.ts';
import { ClusterDirectory } from '../../../lib/server/cluster/directory.ts';
import { coreHarness } from '../../support/core-harness.ts';
import { snapshot } from '../../support/store-contract.ts';

const EPOCH = 'epoch-1';
const updated = (seq: number, id: string): StreamEntry<CoreEvent> => ({
  seq,
  node: 'c',
  note: { subscribers: ['phone'] },
  event: { type: 'session_updated', session: snapshot(id, { node: 'c' }) },
});

describe('ClusterDirectory', () => {
  it('a heartbeat written before a session was announced does not make the other nodes forget it', () => {
    const directory = new ClusterDirectory('a', coreHarness().manager);
    directory.observe(updated(10, 'new-on-c'), EPOCH);
    // C wrote this heartbeat having read the stream up to 9: the session at 10 is newer than what it says.
    directory.reconcile('c', [], { epoch: EPOCH, seq: 9 });
    expect(directory.list(null).map((session) => session.id)).toEqual(['new-on-c']);
    expect(directory.isSubscribed('new-on-c', 'phone')).toBe(true);
    // A heartbeat written after C read its own announcement, without the session: it is gone.
    directory.reconcile('c', [], { epoch: EPOCH, seq: 10 });
    expect(directory.list(null)).toEqual([]);
  });

  it('a session seen in an earlier epoch (Redis restarted since) goes when a heartbeat no longer lists it', () => {
    const directory = new ClusterDirectory('a', coreHarness().manager);
    directory.observe(updated(50, 'old-on-c'), 'epoch-0');
    directory.reconcile('c', [], { epoch: EPOCH, seq: 3 });
    expect(directory.list(null)).toEqual([]);
  });
});
