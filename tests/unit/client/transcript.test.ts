import { describe, expect, it } from 'vitest';
import {
  applyEntries,
  emptyTranscript,
  hasHole,
  prependEntries,
  repeatedRows,
  transcriptFromEntries,
} from '../../../lib/client/shared/transcript.ts';
import type { TranscriptEntry, TranscriptEvent } from '../../../lib/protocol/index.ts';

const entry = (seq: number, event: TranscriptEvent): TranscriptEntry => ({ seq, at: 1_700_000_000, event });
const delta = (seq: number, text: string, id = 'm1') => entry(seq, { type: 'text_delta', message_id: id, text });

const reply: TranscriptEntry[] = [
  entry(1, { type: 'user_input', content: 'hi', source: 'cli', client_id: 'c1' }),
  delta(2, 'Hel'),
  delta(3, 'lo'),
  entry(4, { type: 'text', message_id: 'm1', text: 'Hello' }),
  entry(5, { type: 'turn_complete', is_error: false, duration_ms: 10, cost_usd: 0.01, usage: { input_tokens: 1, output_tokens: 1 } }),
];

describe('transcript', () => {
  it('gives each turn the seq of the input that started it, its changed files, and each input its message id', () => {
    const usage = { input_tokens: 1, output_tokens: 1 };
    const done = (seq: number, changed?: { path: string; source: 'tool' | 'other' }[]) =>
      entry(seq, {
        type: 'turn_complete',
        is_error: false,
        duration_ms: 1,
        cost_usd: 0,
        usage,
        ...(changed ? { changed_files: changed } : {}),
      });
    const state = transcriptFromEntries([
      entry(1, { type: 'user_input', content: 'one', source: 'web', client_id: 'c1', message_id: 'id-1' }),
      entry(2, { type: 'user_input', content: 'two', source: 'web', client_id: 'c1', queued: true, message_id: 'id-2' }),
      done(3, [
        { path: 'a.ts', source: 'tool' },
        { path: 'b.txt', source: 'other' },
      ]),
      done(4),
      entry(5, { type: 'user_input', content: 'old', source: 'cli', client_id: 'c2' }),
    ]);
    const turns = state.items.filter((item) => item.kind === 'turn');
    expect(turns.map((turn) => turn.startSeq)).toEqual([1, 2]);
    expect(turns[0]?.changedFiles).toEqual([
      { path: 'a.ts', source: 'tool' },
      { path: 'b.txt', source: 'other' },
    ]);
    expect(turns[1]?.changedFiles).toBeNull();
    const inputs = state.items.filter((item) => item.kind === 'user');
    expect(inputs.map((input) => input.messageId)).toEqual(['id-1', 'id-2', null]);
  });

  it('merges deltas by message id and replaces them with the final text', () => {
    const partial = transcriptFromEntries(reply.slice(0, 3));
    expect(partial.items.map((item) => item.kind)).toEqual(['user', 'text']);
    expect(partial.items[1]).toMatchObject({ text: 'Hello', streaming: true });
    const done = applyEntries(partial, reply.slice(3));
    expect(done.items[1]).toMatchObject({ text: 'Hello', streaming: false });
    expect(done.items.map((item) => item.kind)).toEqual(['user', 'text', 'turn']);
    expect(done.lastSeq).toBe(5);
  });

  it('ignores replayed seqs, so nothing is doubled', () => {
    const once = transcriptFromEntries(reply.slice(0, 3));
    const twice = applyEntries(once, reply.slice(0, 3));
    expect(twice).toBe(once);
    expect(applyEntries(once, [delta(3, 'lo'), delta(4, '!')]).items[1]).toMatchObject({ text: 'Hello!' });
  });

  it('holds entries behind a hole until the hole is filled', () => {
    const start = transcriptFromEntries(reply.slice(0, 2));
    const ahead = applyEntries(start, [reply[4]!]);
    expect(hasHole(ahead)).toBe(true);
    expect(ahead.lastSeq).toBe(2);
    const filled = applyEntries(ahead, reply.slice(2, 4));
    expect(hasHole(filled)).toBe(false);
    expect(filled.lastSeq).toBe(5);
    expect(filled.items.map((item) => item.kind)).toEqual(['user', 'text', 'turn']);
  });

  it('changes only the rows an event touches', () => {
    const before = transcriptFromEntries(reply.slice(0, 2));
    const after = applyEntries(before, [reply[2]!]);
    expect(after.items[0]).toBe(before.items[0]);
    expect(after.items[1]).not.toBe(before.items[1]);
  });

  it('starts from a later page and prepends older pages across a message boundary', () => {
    const tail = transcriptFromEntries(reply.slice(2), 2);
    expect(tail.firstSeq).toBe(3);
    const whole = prependEntries(tail, reply.slice(0, 2));
    expect(whole.firstSeq).toBe(1);
    expect(whole.items.map((item) => item.kind)).toEqual(['user', 'text', 'turn']);
    expect(emptyTranscript(7)).toMatchObject({ firstSeq: 8, lastSeq: 7 });
  });

  it('pairs tool results and permission answers with their requests, and marks queued input', () => {
    const state = transcriptFromEntries([
      entry(1, { type: 'tool_use', tool_use_id: 't1', name: 'Bash', input: { command: 'ls' } }),
      entry(2, {
        type: 'permission_request',
        request_id: 'r1',
        tool_name: 'Bash',
        input: { command: 'ls' },
        kind: 'tool',
        display: { type: 'input' },
        suggestions: [],
      }),
      entry(3, { type: 'user_input', content: 'next', source: 'web', client_id: 'c2', queued: true }),
      entry(4, { type: 'permission_resolved', request_id: 'r1', behavior: 'allow', client_id: 'c2' }),
      entry(5, { type: 'tool_result', tool_use_id: 't1', content: 'a\nb', is_error: false }),
    ]);
    expect(state.items.map((item) => item.kind)).toEqual(['tool', 'permission', 'user']);
    expect(state.items[0]).toMatchObject({ result: { content: 'a\nb', isError: false } });
    expect(state.items[1]).toMatchObject({ resolved: { behavior: 'allow', clientId: 'c2' } });
    expect(state.items[2]).toMatchObject({ queued: true });
    const next = applyEntries(
      state,
      [reply[4]!].map((item) => ({ ...item, seq: 6 })),
    );
    expect(next.items[2]).toMatchObject({ queued: false });
  });

  it('shows a request on the tool call it names: one row that waits, then says who decided and what', () => {
    const decision = { kind: 'question' as const, display: { type: 'input' as const }, suggestions: [] };
    const waiting = transcriptFromEntries([
      entry(1, { type: 'tool_use', tool_use_id: 't1', name: 'AskUserQuestion', input: { questions: [] } }),
      entry(2, { type: 'permission_request', request_id: 'r1', tool_name: 'AskUserQuestion', input: {}, tool_use_id: 't1', ...decision }),
    ]);
    expect(waiting.items.map((item) => item.kind)).toEqual(['tool']);
    expect(waiting.items[0]).toMatchObject({ approval: { requestId: 'r1', resolved: null } });

    const answered = applyEntries(waiting, [
      entry(3, {
        type: 'permission_resolved',
        request_id: 'r1',
        behavior: 'allow',
        client_id: 'c2',
        source: 'web',
        device: 'Pixel 7',
        answers: { 'Tabs or spaces?': 'spaces' },
      }),
      entry(4, { type: 'tool_result', tool_use_id: 't1', content: 'ok', is_error: false }),
    ]);
    expect(answered.items).toHaveLength(1);
    expect(answered.items[0]).toMatchObject({
      approval: {
        resolved: { behavior: 'allow', clientId: 'c2', source: 'web', device: 'Pixel 7', answers: { 'Tabs or spaces?': 'spaces' } },
      },
      result: { content: 'ok', isError: false, diff: null },
    });
    // The earlier state is left as it was: rows are immutable.
    expect(waiting.items[0]).toMatchObject({ approval: { resolved: null } });
  });

  it('shows system notes in the words the server sends', () => {
    const state = transcriptFromEntries([
      entry(1, { type: 'system', subtype: 'compact_boundary', text: 'Conversation compacted' }),
      entry(2, { type: 'system', subtype: 'task_started' }),
    ]);
    expect(state.items).toMatchObject([{ text: 'Conversation compacted' }, { text: 'task started' }]);
  });
});

describe('repeatedRows', () => {
  it('shows a failure once: Claude’s own words and the failed turn’s result are left out, and so is the start-up note', () => {
    const failure = 'Not logged in · Please run /login';
    const state = transcriptFromEntries([
      { seq: 1, at: 1, event: { type: 'user_input', content: 'hi', source: 'web', client_id: 'c' } },
      { seq: 2, at: 1, event: { type: 'system', subtype: 'init', text: 'Claude Code started with m in /tmp' } },
      { seq: 3, at: 1, event: { type: 'text', message_id: 'm1', text: failure } },
      {
        seq: 4,
        at: 1,
        event: {
          type: 'turn_complete',
          is_error: true,
          duration_ms: 5,
          cost_usd: 0,
          usage: { input_tokens: 0, output_tokens: 0 },
          result: failure,
        } as never,
      },
      { seq: 5, at: 1, event: { type: 'error', message: `${failure}. Claude Code is not logged in: run claude and /login.` } },
    ]);
    const { hidden, quietTurns } = repeatedRows(state.items);
    const kinds = state.items.filter((item) => !hidden.has(item.key)).map((item) => item.kind);
    expect(kinds).toEqual(['user', 'turn', 'error']);
    expect([...quietTurns]).toEqual([state.items.find((item) => item.kind === 'turn')?.key]);
  });

  it('keeps a reply that the error does not repeat', () => {
    const state = transcriptFromEntries([
      { seq: 1, at: 1, event: { type: 'text', message_id: 'm1', text: 'Working on it.' } },
      { seq: 2, at: 1, event: { type: 'error', message: 'Claude exited with code 1' } },
    ]);
    expect(repeatedRows(state.items).hidden.size).toBe(0);
  });
});
