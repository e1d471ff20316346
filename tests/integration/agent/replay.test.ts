import { afterEach, describe, expect, it } from 'vitest';
import { LOGIN_HINT } from '../../../lib/core/claude/index.ts';
import type { Session } from '../../../lib/core/index.ts';
import { TranscriptEvent, type PendingPermission, type PermissionAnswerBody } from '../../../lib/protocol/index.ts';
import { captureFrames } from '../../support/captures.ts';
import { claudeHarness, ofType, OWNER, waitFor, waitForExit } from '../../support/claude-harness.ts';
import { isAlive } from '../../support/processes.ts';

interface Block {
  type: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  tool_use_id?: string;
  is_error?: boolean;
}

/** The fields of a captured CLI frame these tests read. */
interface Frame {
  type: string;
  subtype?: string;
  session_id?: string;
  model?: string;
  parent_tool_use_id?: string | null;
  total_cost_usd?: number;
  message?: { id?: string; content?: string | Block[] };
  event?: { type: string; message?: { id: string }; delta?: { type: string; text?: string } };
  request?: { subtype: string; tool_name?: string; tool_use_id?: string };
  dir?: string;
  line?: string;
}

let harness: ReturnType<typeof claudeHarness> | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

/** Drives the session through its turns, answering permission requests in the given order. */
async function play(session: Session, answers: ('allow' | 'deny')[], turns = 1): Promise<void> {
  const pending = [...answers];
  const turnsDone = () => (harness?.transcript(session) ?? []).filter((entry) => entry.event.type === 'turn_complete').length;
  await waitFor(
    () => {
      if (session.state === 'waiting_permission') {
        const [request] = session.snapshot().pending_permissions;
        const behavior = pending.shift();
        if (request && behavior) session.answerPermission(request.request_id, answerFor(request, behavior), OWNER);
      }
      return (turnsDone() >= turns && session.state === 'idle') || session.state === 'failed';
    },
    `${turns} turn(s) to end`,
    15_000,
  );
  expect(pending).toEqual([]);
}

/** Allowing a question picks each question's first option, as a user would. */
function answerFor(request: PendingPermission, behavior: 'allow' | 'deny'): PermissionAnswerBody {
  if (behavior === 'deny' || request.display.type !== 'question') return { behavior };
  return {
    behavior,
    answers: Object.fromEntries(request.display.questions.map((question) => [question.question, question.options[0]?.label ?? 'yes'])),
  };
}

/** Everything in the capture a user needs is in the transcript: every block, call, result and approval. */
function expectNothingDropped(frames: Frame[], events: TranscriptEvent[]): void {
  for (const event of events) expect(() => TranscriptEvent.parse(event)).not.toThrow();
  const texts = ofType(events, 'text');
  const thinking = ofType(events, 'thinking');
  const toolUses = ofType(events, 'tool_use');
  const toolResults = ofType(events, 'tool_result');
  const expectedTexts: { message_id: string; text: string }[] = [];
  const expectedThinking: string[] = [];
  const expectedToolUses: { tool_use_id: string; name: string; parent_tool_use_id: string | null }[] = [];
  const expectedResults: { tool_use_id: string; is_error: boolean }[] = [];
  const deltasByMessage = new Map<string, string>();
  let streamingId: string | null = null;
  for (const frame of frames) {
    const content = Array.isArray(frame.message?.content) ? frame.message.content : [];
    if (frame.type === 'assistant') {
      for (const block of content) {
        if (block.type === 'text') expectedTexts.push({ message_id: frame.message?.id ?? '', text: block.text ?? '' });
        if (block.type === 'thinking' && block.thinking) expectedThinking.push(block.thinking);
        if (block.type === 'tool_use') {
          expectedToolUses.push({
            tool_use_id: block.id ?? '',
            name: block.name ?? '',
            parent_tool_use_id: frame.parent_tool_use_id ?? null,
          });
        }
      }
    } else if (frame.type === 'user') {
      for (const block of content) {
        if (block.type === 'tool_result') expectedResults.push({ tool_use_id: block.tool_use_id ?? '', is_error: block.is_error === true });
      }
    } else if (frame.type === 'stream_event' && frame.parent_tool_use_id === null && frame.event) {
      const { event } = frame;
      if (event.type === 'message_start') streamingId = event.message?.id ?? null;
      if (event.type === 'content_block_delta' && event.delta?.type === 'text_delta' && streamingId) {
        deltasByMessage.set(streamingId, (deltasByMessage.get(streamingId) ?? '') + (event.delta.text ?? ''));
      }
    }
  }
  expect(texts.map(({ message_id, text }) => ({ message_id, text }))).toEqual(expectedTexts);
  expect(thinking.map((event) => event.text)).toEqual(expectedThinking);
  expect(toolUses.map(({ tool_use_id, name, parent_tool_use_id }) => ({ tool_use_id, name, parent_tool_use_id }))).toEqual(
    expectedToolUses,
  );
  expect(toolResults.map(({ tool_use_id, is_error }) => ({ tool_use_id, is_error }))).toEqual(expectedResults);
  // Each call has its result.
  for (const call of expectedToolUses) expect(expectedResults.map((result) => result.tool_use_id)).toContain(call.tool_use_id);
  // The streamed deltas add up to the text each message ended with.
  const streamed = new Map<string, string>();
  for (const delta of ofType(events, 'text_delta')) streamed.set(delta.message_id, (streamed.get(delta.message_id) ?? '') + delta.text);
  expect(streamed).toEqual(deltasByMessage);
  for (const [messageId, text] of streamed) {
    const whole = expectedTexts
      .filter((block) => block.message_id === messageId)
      .map((block) => block.text)
      .join('');
    if (whole) expect(text).toBe(whole);
  }
  const results = frames.filter((frame) => frame.type === 'result');
  const completions = ofType(events, 'turn_complete');
  expect(completions).toHaveLength(results.length);
  // Each turn's share of Claude's running total, which adds back up to it.
  const totalOfTurns = completions.reduce((sum, completion) => sum + completion.cost_usd, 0);
  if (results.length > 0) expect(totalOfTurns).toBeCloseTo(results.at(-1)?.total_cost_usd ?? 0, 9);
  const permissionRequests = frames.filter((frame) => frame.type === 'control_request' && frame.request?.subtype === 'can_use_tool');
  expect(ofType(events, 'permission_request').map(({ tool_name, tool_use_id }) => ({ tool_name, tool_use_id }))).toEqual(
    permissionRequests.map((frame) => ({ tool_name: frame.request?.tool_name, tool_use_id: frame.request?.tool_use_id })),
  );
}

describe('real captures replayed by the fake Claude through the SDK and the mapping', () => {
  it('2.0.20 simple text reply', async () => {
    const h = (harness = claudeHarness());
    const file = 'claude-2.0.20-tyrchen-simple-text.stdout.jsonl';
    const session = await h.create({ prompt: `replay ${file}` });
    await play(session, []);
    const frames = captureFrames<Frame>(file);
    expectNothingDropped(frames, h.events(session));
    const init = frames.find((frame) => frame.type === 'system');
    expect(session.snapshot()).toMatchObject({ claude_session_id: init?.session_id, model: init?.model, state: 'idle' });
  });

  it('Bash tools with partial messages, hooks and unknown frames', async () => {
    const h = (harness = claudeHarness());
    const file = 'claude-2.1.238-bb-turn-tools-bash-partial.stdout.jsonl';
    const session = await h.create({ prompt: `replay ${file}` });
    await play(session, []);
    const events = h.events(session);
    expectNothingDropped(captureFrames<Frame>(file), events);
    expect(ofType(events, 'tool_use').map((call) => call.name)).toEqual(['Bash', 'Bash']);
    expect(ofType(events, 'text_delta').length).toBeGreaterThan(0);
    // rate_limit_event, command_lifecycle, hook and status frames leave no trace; the capture ran in bypass mode.
    expect(ofType(events, 'system').map((event) => event.subtype)).toEqual(['init', 'permission_mode']);
    expect(session.snapshot().permission_mode).toBe('bypassPermissions');
  });

  it('approval allowed: the request waits for the answer, then the tool runs', async () => {
    const h = (harness = claudeHarness());
    const file = 'claude-2.1.238-bb-approval-allow.stdout.jsonl';
    const session = await h.create({ prompt: `replay ${file}` });
    await play(session, ['allow']);
    expectNothingDropped(captureFrames<Frame>(file), h.events(session));
    expect(h.states(session)).toEqual(['idle', 'processing', 'waiting_permission', 'processing', 'idle']);
    expect(ofType(h.events(session), 'permission_resolved')).toMatchObject([{ behavior: 'allow', client_id: OWNER }]);
  });

  it('approval denied (wire capture): the denial and the failed tool result', async () => {
    const h = (harness = claudeHarness());
    const file = 'claude-2.1.238-bb-approval-deny.wire.jsonl';
    const session = await h.create({ prompt: `replay ${file}` });
    await play(session, ['deny']);
    expectNothingDropped(captureFrames<Frame>(file), h.events(session));
    expect(ofType(h.events(session), 'tool_result')).toMatchObject([{ is_error: true }]);
  });

  it('AskUserQuestion reaches the user as a permission request', async () => {
    const h = (harness = claudeHarness());
    const file = 'claude-2.1.238-bb-ask-user-question.wire.jsonl';
    const session = await h.create({ prompt: `replay ${file}` });
    await play(session, ['allow']);
    expectNothingDropped(captureFrames<Frame>(file), h.events(session));
    expect(ofType(h.events(session), 'permission_request')[0]).toMatchObject({
      tool_name: 'AskUserQuestion',
      kind: 'question',
      display: {
        type: 'question',
        questions: [
          { question: 'Tabs or spaces?', header: 'Indent', multi_select: false, options: [{ label: 'tabs' }, { label: 'spaces' }] },
        ],
      },
    });
    expect(ofType(h.events(session), 'permission_resolved')[0]).toMatchObject({
      behavior: 'allow',
      answers: { 'Tabs or spaces?': 'tabs' },
    });
  });

  it('plan mode with thinking, Read, Write, ExitPlanMode allowed and Bash denied', async () => {
    const h = (harness = claudeHarness());
    const file = 'claude-2.1.238-bb-plan-mode-thinking-read-write.stdout.jsonl';
    const session = await h.create({ prompt: `replay ${file}` });
    await play(session, ['allow', 'deny']);
    const events = h.events(session);
    expectNothingDropped(captureFrames<Frame>(file), events);
    expect(ofType(events, 'thinking').length).toBeGreaterThan(0);
    expect(ofType(events, 'permission_request').map((request) => request.tool_name)).toEqual(['ExitPlanMode', 'Bash']);
  });

  it('subagent work stays under its parent call', async () => {
    const h = (harness = claudeHarness());
    const file = 'claude-2.1.238-bb-subagent-agent-tool.stdout.jsonl';
    const session = await h.create({ prompt: `replay ${file}` });
    await play(session, []);
    const events = h.events(session);
    expectNothingDropped(captureFrames<Frame>(file), events);
    const agentCall = ofType(events, 'tool_use').find((call) => call.name === 'Agent');
    const nested = ofType(events, 'tool_use').filter((call) => call.parent_tool_use_id === agentCall?.tool_use_id);
    expect(nested.map((call) => call.name)).toEqual(['Bash']);
    expect(ofType(events, 'tool_result').filter((result) => result.parent_tool_use_id === agentCall?.tool_use_id)).toHaveLength(1);
    expect(
      ofType(events, 'system')
        .filter((event) => event.tool_use_id === agentCall?.tool_use_id)
        .map((event) => event.subtype),
    ).toEqual(['task_started', 'task_notification']);
  });

  it('a long turn, then /compact queued behind it: the second init wins', async () => {
    const h = (harness = claudeHarness());
    const file = 'claude-2.1.238-bb-steer-then-compact.stdout.jsonl';
    const session = await h.create({ prompt: `replay ${file}` });
    h.send(session, '/compact');
    await play(session, [], 2);
    const frames = captureFrames<Frame>(file);
    const events = h.events(session);
    expectNothingDropped(frames, events);
    expect(ofType(events, 'user_input').map((input) => input.queued ?? false)).toEqual([false, true]);
    const systems = ofType(events, 'system').map((event) => event.subtype);
    expect(systems).toContain('compact_boundary');
    expect(ofType(events, 'system').find((event) => event.subtype === 'command_output')).toMatchObject({ text: 'Compacted' });
    const lastInit = frames.filter((frame) => frame.type === 'system' && frame.subtype === 'init').at(-1);
    expect(session.snapshot().claude_session_id).toBe(lastInit?.session_id);
  });

  it('killed mid-stream: every delta kept, kill ends the process; resuming plays the second process', async () => {
    const h = (harness = claudeHarness());
    const file = 'claude-2.1.238-bb-killed-midstream-then-resume.stdout.jsonl';
    const frames = captureFrames<Frame>(file);
    const secondProcess = frames.findIndex((frame, index) => index > 0 && frame.type === 'system' && frame.subtype === 'hook_started');
    const firstFrames = frames.slice(0, secondProcess);
    const expectedDeltas = firstFrames.filter((frame) => frame.type === 'stream_event' && frame.event?.delta?.type === 'text_delta').length;
    expect(expectedDeltas).toBe(48);

    const session = await h.create({ prompt: `replay ${file}` });
    await waitFor(() => ofType(h.events(session), 'text_delta').length === expectedDeltas, 'all the deltas of the first process');
    expect(session.state).toBe('processing');
    expectNothingDropped(firstFrames, h.events(session));
    const pid = h.agentOf(session).pid!;
    const claudeSessionId = session.snapshot().claude_session_id!;
    await h.manager.kill(session.id, OWNER);
    expect(isAlive(pid)).toBe(false);
    expect(session.state).toBe('finished');

    const resumed = await h.resumeSession(claudeSessionId, `replay ${file}`);
    await play(resumed, []);
    expectNothingDropped(frames.slice(secondProcess), h.events(resumed));
    expect(ofType(h.events(resumed), 'text').map((event) => event.text)).toEqual(['4']);
    expect(resumed.snapshot().claude_session_id).toBe(claudeSessionId);
  });

  it('auth failure: the session fails and says how to log in', async () => {
    const h = (harness = claudeHarness());
    const file = 'claude-2.1.238-bb-auth-failure-not-logged-in.stdout.jsonl';
    const session = await h.create({ prompt: `replay ${file}` });
    await play(session, []);
    expect(session.state).toBe('failed');
    const { failure } = session.snapshot();
    expect(failure).toContain('Not logged in · Please run /login');
    expect(failure).toContain(LOGIN_HINT);
    const events = h.events(session);
    expectNothingDropped(captureFrames<Frame>(file), events);
    expect(ofType(events, 'turn_complete')[0]).toMatchObject({ is_error: true });
    expect(events.at(-1)).toEqual({ type: 'error', message: failure });
    await waitForExit(h.agentOf(session).pid!);
  });
});
