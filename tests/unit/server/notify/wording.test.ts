import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../../../lib/protocol/index.ts';
import type { PermissionRequest, ShowNotice } from '../../../../lib/server/notify/policy.ts';
import { noticeText, sessionLabel } from '../../../../lib/server/notify/wording.ts';

const ID = '11111111-2222-3333-4444-555555555555';
const titled = { id: ID, title: 'Fix the login bug' };
const unknown = { id: ID, title: null };

const bash: PermissionRequest = {
  type: 'permission_request',
  request_id: 'r1',
  tool_name: 'Bash',
  input: { command: 'rm -rf build\necho done' },
  kind: 'tool',
  display: {
    type: 'command',
    command: 'rm -rf build\necho done',
    description: null,
    cwd: '/tmp',
    run_in_background: false,
    timeout_ms: null,
  },
  suggestions: [],
} satisfies TranscriptEvent;

describe('sessionLabel', () => {
  it("is the session's title where there is one", () => {
    expect(sessionLabel(titled)).toBe('Fix the login bug');
  });
  it("falls back to the id's start before a title is known, or when it is blank", () => {
    expect(sessionLabel(unknown)).toBe('Session 11111111');
    expect(sessionLabel({ id: ID, title: '  \n ' })).toBe('Session 11111111');
  });
});

describe('noticeText', () => {
  it('a tool approval names the session by its title and the tool; the body is the decision summary', () => {
    expect(noticeText({ type: 'show', kind: 'permission', session: titled, request: bash })).toEqual({
      title: 'Fix the login bug: allow Bash?',
      body: 'rm -rf build',
    });
    expect(noticeText({ type: 'show', kind: 'permission', session: unknown, request: bash }).title).toBe('Session 11111111: allow Bash?');
  });

  it('a question and a plan say so', () => {
    const question: PermissionRequest = {
      ...bash,
      tool_name: 'AskUserQuestion',
      kind: 'question',
      display: { type: 'question', questions: [{ question: 'Tabs or spaces?', header: '', options: [], multi_select: false }] },
    };
    const plan: PermissionRequest = {
      ...bash,
      tool_name: 'ExitPlanMode',
      kind: 'plan',
      display: { type: 'plan', plan: '# Add multiply\n\nSteps', file_path: null },
    };
    expect(noticeText({ type: 'show', kind: 'permission', session: titled, request: question })).toEqual({
      title: 'Fix the login bug: Claude asks',
      body: 'Tabs or spaces?',
    });
    expect(noticeText({ type: 'show', kind: 'permission', session: titled, request: plan })).toEqual({
      title: 'Fix the login bug: plan ready',
      body: 'Add multiply',
    });
  });

  it("a finished turn tells the reply's first line, or how long it took when there was none", () => {
    const done = (reply: string): ShowNotice => ({ type: 'show', kind: 'turn_finished', session: titled, reply, durationMs: 42_400 });
    expect(noticeText(done('\n  All 12 tests pass.  \nDetails below.'))).toEqual({
      title: 'Done: Fix the login bug',
      body: 'All 12 tests pass.',
    });
    expect(noticeText(done('')).body).toBe('Claude finished after 42 s');
  });

  it("a failure tells the failure's first line, or that Claude stopped", () => {
    const failed = (failure: string | null): ShowNotice => ({ type: 'show', kind: 'failed', session: unknown, failure });
    expect(noticeText(failed('Claude exited with code 1\nstderr: ...'))).toEqual({
      title: 'Failed: Session 11111111',
      body: 'Claude exited with code 1',
    });
    expect(noticeText(failed(null)).body).toBe('Claude stopped with an error');
  });

  it('fits a lock screen: a long title and body are cut, with an ellipsis', () => {
    const long = { id: ID, title: 'Refactor the middleware '.repeat(6) };
    const text = noticeText({ type: 'show', kind: 'turn_finished', session: long, reply: 'word '.repeat(100), durationMs: 1 });
    expect(text.title.length).toBeLessThanOrEqual(80);
    expect(text.title.endsWith('…')).toBe(true);
    expect(text.body.length).toBeLessThanOrEqual(180);
    expect(text.body.endsWith('…')).toBe(true);
  });
});
