import { describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../../../lib/core/index.ts';
import type { SessionInfo, TranscriptEvent } from '../../../../lib/protocol/index.ts';
import { NotificationPolicy } from '../../../../lib/server/notify/policy.ts';
import { sessionInfo } from '../../../support/session-fixture.ts';

const ID = '11111111-2222-3333-4444-555555555555';

function policy(options: { watched?: Set<string> } = {}) {
  const watched = options.watched ?? new Set<string>();
  const rules = new NotificationPolicy({ turnThresholdMs: 30_000, isWatched: (sessionId) => watched.has(sessionId) });
  return {
    watched,
    transcript: (event: TranscriptEvent) => rules.decide({ type: 'session_event', session_id: ID, entry: { seq: 1, at: 1, event } }),
    session: (overrides: Partial<SessionInfo>) => rules.decide({ type: 'session_updated', session: sessionInfo(ID, overrides) }),
    decide: (event: CoreEvent) => rules.decide(event),
  };
}

const turn = (durationMs: number, isError = false): TranscriptEvent => ({
  type: 'turn_complete',
  is_error: isError,
  duration_ms: durationMs,
  cost_usd: 0,
  usage: { input_tokens: 1, output_tokens: 1 },
});

const request: TranscriptEvent = {
  type: 'permission_request',
  request_id: 'r1',
  tool_name: 'Bash',
  input: { command: 'ls' },
  kind: 'tool',
  display: { type: 'command', command: 'ls', description: null, cwd: '/tmp', run_in_background: false, timeout_ms: null },
  suggestions: [],
};

describe('NotificationPolicy', () => {
  it('a finished turn is news from the threshold on, with the last reply of the main agent; a failed turn is not', () => {
    const { transcript } = policy();
    transcript({ type: 'text', message_id: 'm1', text: 'quick' });
    expect(transcript(turn(29_999))).toBeNull();
    transcript({ type: 'text', message_id: 'm2', text: 'All tests pass.' });
    transcript({ type: 'text', message_id: 'm3', text: 'a subagent talking', parent_tool_use_id: 'task' });
    expect(transcript(turn(30_000))).toEqual({
      type: 'show',
      kind: 'turn_finished',
      session: { id: ID, title: null },
      reply: 'All tests pass.',
      durationMs: 30_000,
    });
    expect(transcript(turn(60_000, true))).toBeNull();
  });

  it("without a reply of its own, a turn tells its result; the reply is the turn's, not a later one's", () => {
    const { transcript } = policy();
    transcript({ type: 'text', message_id: 'm1', text: 'first turn' });
    transcript(turn(1));
    expect(transcript({ ...turn(40_000), result: 'from the result' } as TranscriptEvent)).toMatchObject({ reply: 'from the result' });
  });

  it('a decision is news, and its answer withdraws it', () => {
    const { transcript } = policy();
    expect(transcript(request)).toMatchObject({ type: 'show', kind: 'permission', request: { request_id: 'r1' } });
    expect(transcript({ type: 'permission_resolved', request_id: 'r1', behavior: 'allow', client_id: 'c' })).toEqual({
      type: 'withdraw',
      sessionId: ID,
      requestId: 'r1',
    });
  });

  it('nothing is shown for a session a visible page shows, but what was shown before is still withdrawn', () => {
    const { transcript, watched } = policy();
    watched.add(ID);
    expect(transcript(request)).toBeNull();
    expect(transcript({ type: 'text', message_id: 'm', text: 'done' })).toBeNull();
    expect(transcript(turn(60_000))).toBeNull();
    expect(transcript({ type: 'permission_resolved', request_id: 'r1', behavior: 'deny', client_id: 'c' })).toMatchObject({
      type: 'withdraw',
    });
  });

  it('only a live session that turns failed is news: not one first seen failed, nor one read back from history', () => {
    const { session } = policy();
    expect(session({ state: 'failed', failure: 'from history' })).toBeNull();
    expect(session({ state: 'failed', failure: 'still failed' })).toBeNull();

    const live = policy();
    expect(live.session({ state: 'processing' })).toBeNull();
    expect(live.session({ state: 'failed', failure: 'Claude crashed' })).toMatchObject({ kind: 'failed', failure: 'Claude crashed' });

    const ended = policy();
    ended.session({ state: 'processing' });
    expect(ended.session({ state: 'failed', ended_at: 1_700_000_100 })).toBeNull();
  });

  it("carries the session's latest title, and forgets it with the session", () => {
    const { session, transcript, decide } = policy();
    session({ title: 'Fix the login bug' });
    expect(transcript(request)).toMatchObject({ session: { id: ID, title: 'Fix the login bug' } });
    session({ title: 'login' });
    expect(transcript(request)).toMatchObject({ session: { title: 'login' } });
    decide({ type: 'session_removed', session_id: ID, reason: 'killed' });
    expect(transcript(request)).toMatchObject({ session: { id: ID, title: null } });
  });
});
