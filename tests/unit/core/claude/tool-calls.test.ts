import { describe, expect, it } from 'vitest';
import { ClaudeMessageMapper, ClaudeToolCalls, decisionKind, describeDecision } from '../../../../lib/core/claude/index.ts';
import type { TranscriptEvent } from '../../../../lib/protocol/index.ts';
import { captureFrames } from '../../../support/captures.ts';

type ToolUse = Extract<TranscriptEvent, { type: 'tool_use' }>;

const PLAN_CAPTURE = 'claude-2.1.238-bb-plan-mode-thinking-read-write.wire.jsonl';

/** The tool calls of a real capture, as the mapper makes them. */
function toolCallsOf(file: string): ToolUse[] {
  const mapper = new ClaudeMessageMapper();
  return captureFrames(file)
    .flatMap((frame) => mapper.map(frame))
    .flatMap((event) => (event.type === 'transcript' && event.event.type === 'tool_use' ? [event.event] : []));
}

/** The `can_use_tool` requests of a real wire capture. */
function toolRequestsOf(file: string) {
  return captureFrames<{
    type: string;
    request?: { subtype: string; tool_name: string; input: Record<string, unknown>; tool_use_id?: string };
  }>(file).flatMap((frame) => (frame.type === 'control_request' && frame.request?.subtype === 'can_use_tool' ? [frame.request] : []));
}

describe('ClaudeToolCalls on a real plan-mode capture', () => {
  const calls = toolCallsOf(PLAN_CAPTURE);
  const planCall = calls.find((call) => call.name === 'ExitPlanMode');
  const planRequest = toolRequestsOf(PLAN_CAPTURE).find((request) => request.tool_name === 'ExitPlanMode');

  it('fills in the plan of an approval request that came without one, from its ExitPlanMode call', async () => {
    expect(planCall && planRequest).toBeTruthy();
    const toolCalls = new ClaudeToolCalls();
    for (const call of calls) toolCalls.noteCall(call);
    // Claude Code 2.1.3xx may send the request with an empty input: the plan lives in the call.
    const decision = await describeDecision({
      requestId: 'r1',
      toolName: 'ExitPlanMode',
      input: {},
      cwd: '/tmp',
      toolUseId: planCall!.tool_use_id,
    });
    expect(decision.display).toMatchObject({ type: 'plan', plan: '' });
    const filled = toolCalls.withPlan(decision);
    expect(filled.display).toEqual({ type: 'plan', plan: planRequest!.input.plan, file_path: null });
    expect(filled.display.type === 'plan' && filled.display.plan).toMatch(/^# Add multiply\(a, b\) to math\.js/);
    // Once used, the plan is let go: a second request for the same call gets nothing.
    expect(toolCalls.withPlan(decision)).toBe(decision);
  });

  it('leaves a request that carries its plan, and any other decision, as it is', async () => {
    const toolCalls = new ClaudeToolCalls();
    for (const call of calls) toolCalls.noteCall(call);
    const withPlan = await describeDecision({ requestId: 'r1', toolName: 'ExitPlanMode', input: planRequest!.input, cwd: '/tmp' });
    expect(toolCalls.withPlan(withPlan)).toBe(withPlan);
    const bash = await describeDecision({ requestId: 'r2', toolName: 'Bash', input: { command: 'ls' }, cwd: '/tmp', toolUseId: 'x' });
    expect(toolCalls.withPlan(bash)).toBe(bash);
  });

  it('reads no todo list from calls that are not TodoWrite', () => {
    const toolCalls = new ClaudeToolCalls();
    expect(calls.length).toBeGreaterThan(3);
    expect(calls.map((call) => toolCalls.noteCall(call))).toEqual(calls.map(() => null));
  });
});

describe('ClaudeToolCalls todo lists', () => {
  const call = (input: unknown, parent?: string): ToolUse => ({
    type: 'tool_use',
    tool_use_id: 't1',
    name: 'TodoWrite',
    input,
    ...(parent ? { parent_tool_use_id: parent } : {}),
  });
  const todos = (statuses: string[]) => ({
    todos: statuses.map((status, index) => ({ content: `task ${index}`, status, activeForm: `doing ${index}` })),
  });

  it("the main agent's TodoWrite is the session's list, counted; a subagent's is its own", () => {
    const toolCalls = new ClaudeToolCalls();
    expect(toolCalls.noteCall(call(todos(['completed', 'in_progress', 'pending'])))).toMatchObject({
      completed: 1,
      total: 3,
      tool_use_id: 't1',
      items: [{ status: 'completed' }, { active_form: 'doing 1' }, {}],
    });
    expect(toolCalls.noteCall(call(todos(['completed']), 'sub'))).toBeNull();
  });

  it('skips malformed items and refuses an input that is no list', () => {
    const toolCalls = new ClaudeToolCalls();
    expect(
      toolCalls.noteCall(call({ todos: [{ content: 'ok', status: 'pending' }, { content: 1, status: 'pending' }, { status: 'done' }] })),
    ).toEqual({ items: [{ content: 'ok', status: 'pending', active_form: 'ok' }], completed: 0, total: 1, tool_use_id: 't1' });
    expect(toolCalls.noteCall(call({ todos: 'none' }))).toBeNull();
  });
});

describe('decisionKind', () => {
  it('a question, a plan, or a tool to allow', () => {
    expect(decisionKind('AskUserQuestion')).toBe('question');
    expect(decisionKind('ExitPlanMode')).toBe('plan');
    expect(decisionKind('Bash')).toBe('tool');
  });
});
