import { describe, expect, it } from 'vitest';
import { SessionTracker } from '../../../cli/lib/session-tracker.ts';
import type { TranscriptEntry } from '../../../lib/protocol/index.ts';
import { sessionInfo } from '../../support/session-fixture.ts';

const input = (seq: number): TranscriptEntry => ({
  seq,
  at: seq,
  event: { type: 'user_input', content: 'hang until interrupted', source: 'cli', client_id: 'me' },
});
const turnDone = (seq: number): TranscriptEntry => ({
  seq,
  at: seq,
  event: { type: 'turn_complete', is_error: false, duration_ms: 1, cost_usd: 0, usage: { input_tokens: 0, output_tokens: 0 } },
});

describe('SessionTracker', () => {
  it('a turn is under way from its input on, before the list update says processing', () => {
    const tracker = new SessionTracker(sessionInfo('s', { state: 'idle' }), 'me', true);
    expect(tracker.turnUnderWay).toBe(false);
    tracker.apply(input(1), false);
    // The list still says idle (its update is coalesced): Ctrl-C must interrupt, not offer to leave.
    expect([tracker.busy, tracker.turnUnderWay]).toEqual([false, true]);
    tracker.apply(turnDone(2), false);
    expect(tracker.turnUnderWay).toBe(false);
    tracker.updated(sessionInfo('s', { state: 'failed' }));
    tracker.apply(input(3), false);
    expect(tracker.turnUnderWay).toBe(false);
  });

  it('an input queued behind a running turn is not done when that turn ends, whatever the list says', () => {
    const tracker = new SessionTracker(sessionInfo('s', { state: 'idle' }), 'me', false);
    tracker.apply(input(1), false);
    tracker.apply(input(2), false);
    tracker.apply(turnDone(3), false);
    // A list update that lags (idle, nothing queued) must not let `vibes claude` leave before the second turn.
    tracker.updated(sessionInfo('s', { state: 'idle', queued_inputs: 0 }));
    expect(tracker.settled).toBe(false);
    tracker.apply(turnDone(4), false);
    expect(tracker.settled).toBe(true);
  });
});
