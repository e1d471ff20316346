import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClaudeMessageMapper } from '../../../../lib/core/claude/index.ts';
import type { AgentEvent } from '../../../../lib/core/index.ts';
import { TranscriptEvent } from '../../../../lib/protocol/index.ts';
import { captureFrames } from '../../../support/captures.ts';

const mapAll = (frames: unknown[]): AgentEvent[] => {
  const mapper = new ClaudeMessageMapper();
  return frames.flatMap((frame) => mapper.map(frame));
};

const transcriptOf = (events: AgentEvent[]): TranscriptEvent[] =>
  events.flatMap((event) => (event.type === 'transcript' ? [event.event] : []));

describe('ClaudeMessageMapper turn costs', () => {
  it("a turn's cost is its step of Claude's running total, never the total", () => {
    const mapper = new ClaudeMessageMapper();
    const costOf = (total: number) => {
      const [event] = transcriptOf(
        mapper.map({ type: 'result', subtype: 'success', is_error: false, duration_ms: 1, total_cost_usd: total }),
      );
      return event?.type === 'turn_complete' ? event.cost_usd : null;
    };
    expect(costOf(0.0125)).toBe(0.0125);
    expect(costOf(0.025)).toBe(0.0125);
    expect(costOf(0.1)).toBe(0.075);
  });
});

describe('ClaudeMessageMapper on real captures', () => {
  it('maps the 2.0.20 simple reply: session, init note, text, turn_complete', () => {
    const events = mapAll(captureFrames('claude-2.0.20-tyrchen-simple-text.stdout.jsonl'));
    expect(events.map((event) => (event.type === 'transcript' ? event.event.type : event.type))).toEqual([
      'claude_session',
      'system',
      'permission_mode',
      'text',
      'turn_complete',
    ]);
    const [session] = events;
    expect(session).toMatchObject({ type: 'claude_session', model: expect.any(String) as string });
    const complete = transcriptOf(events).at(-1);
    expect(complete).toMatchObject({ type: 'turn_complete', is_error: false });
    expect(complete?.type === 'turn_complete' && complete.cost_usd).toBeGreaterThan(0);
  });

  it('every event it makes from every capture is a valid transcript event', () => {
    for (const file of [
      'claude-2.1.238-bb-turn-tools-bash-partial.stdout.jsonl',
      'claude-2.1.238-bb-plan-mode-thinking-read-write.wire.jsonl',
      'claude-2.1.238-bb-steer-then-compact.stdout.jsonl',
      'claude-2.1.238-bb-subagent-agent-tool.stdout.jsonl',
      'claude-2.1.238-bb-killed-midstream-then-resume.stdout.jsonl',
      'claude-2.1.238-bb-auth-failure-not-logged-in.stdout.jsonl',
    ]) {
      for (const event of transcriptOf(mapAll(captureFrames(file)))) expect(() => TranscriptEvent.parse(event)).not.toThrow();
    }
  });

  it('says what compaction did, from the sizes Claude reports before and after', () => {
    const events = transcriptOf(mapAll(captureFrames('claude-2.1.238-bb-steer-then-compact.stdout.jsonl')));
    expect(events.find((event) => event.type === 'system' && event.subtype === 'compact_boundary')).toMatchObject({
      trigger: 'manual',
      pre_tokens: 30_951,
      post_tokens: 2_185,
      text: 'Conversation compacted on request: 31k → 2.2k tokens',
    });
    const older = new ClaudeMessageMapper().map({
      type: 'system',
      subtype: 'compact_boundary',
      compact_metadata: { trigger: 'auto', pre_tokens: 152_400 },
    });
    expect(transcriptOf(older)).toEqual([
      {
        type: 'system',
        subtype: 'compact_boundary',
        trigger: 'auto',
        pre_tokens: 152_400,
        text: 'Conversation compacted automatically: 152k tokens before',
      },
    ]);
  });

  it('turns text_delta stream events into deltas of the message being streamed', () => {
    const frames = captureFrames('claude-2.1.238-bb-killed-midstream-then-resume.stdout.jsonl');
    const events = transcriptOf(mapAll(frames));
    const streamed = new Map<string, string>();
    for (const event of events)
      if (event.type === 'text_delta') streamed.set(event.message_id, (streamed.get(event.message_id) ?? '') + event.text);
    const texts = events.filter((event) => event.type === 'text');
    // Process 1 was stopped mid-stream (48 deltas, no final block); process 2 answered "4".
    expect(events.filter((event) => event.type === 'text_delta')).toHaveLength(49);
    expect(streamed.size).toBe(2);
    expect(texts).toHaveLength(1);
    const [final] = texts;
    expect(final?.type === 'text' && streamed.get(final.message_id)).toBe('4');
  });

  it('ignores frames it does not know: rate limits, lifecycle, control frames, hooks, status', () => {
    const frames = captureFrames('claude-2.1.238-bb-turn-tools-bash-partial.stdout.jsonl');
    const mapper = new ClaudeMessageMapper();
    const ignored = frames.filter((frame) => {
      const type = (frame as { type: string }).type;
      return ['rate_limit_event', 'command_lifecycle', 'control_request', 'control_response'].includes(type);
    });
    expect(ignored.length).toBeGreaterThan(5);
    for (const frame of ignored) expect(mapper.map(frame)).toEqual([]);
    const hooks = frames.filter((frame) => (frame as { subtype?: string }).subtype?.startsWith('hook_'));
    for (const frame of hooks) expect(mapper.map(frame)).toEqual([]);
  });

  it('reads an auth failure from is_error, whatever the subtype says', () => {
    const events = transcriptOf(mapAll(captureFrames('claude-2.1.238-bb-auth-failure-not-logged-in.stdout.jsonl')));
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete', is_error: true, result: 'Not logged in · Please run /login' });
  });

  it('keeps subagent calls and results under the Agent call', () => {
    const events = transcriptOf(mapAll(captureFrames('claude-2.1.238-bb-subagent-agent-tool.stdout.jsonl')));
    const agentCall = events.find((event) => event.type === 'tool_use' && event.name === 'Agent');
    const parentId = agentCall?.type === 'tool_use' ? agentCall.tool_use_id : 'missing';
    const nested = events.filter(
      (event) => (event.type === 'tool_use' || event.type === 'tool_result') && event.parent_tool_use_id === parentId,
    );
    expect(nested.map((event) => event.type)).toEqual(['tool_use', 'tool_result']);
    expect(events.filter((event) => event.type === 'thinking')).toHaveLength(1);
  });

  it('a second init with a new session id is news; a repeated one is not', () => {
    const mapper = new ClaudeMessageMapper();
    const init = (sessionId: string) => ({ type: 'system', subtype: 'init', session_id: sessionId, model: 'm', cwd: '/w' });
    expect(mapper.map(init('a')).map((event) => event.type)).toEqual(['claude_session', 'transcript']);
    expect(mapper.map(init('a'))).toEqual([]);
    expect(mapper.map(init('b'))[0]).toEqual({ type: 'claude_session', claude_session_id: 'b', model: 'm' });
  });
});

describe('ClaudeMessageMapper on hand-made frames', () => {
  it('an error result without `result` reads its errors; an interrupted one has no text', () => {
    const mapper = new ClaudeMessageMapper();
    expect(
      mapper.map({
        type: 'result',
        subtype: 'error_max_turns',
        is_error: true,
        errors: ['Reached maximum number of turns (3)'],
        total_cost_usd: 0.5,
      }),
    ).toEqual([
      {
        type: 'transcript',
        event: {
          type: 'turn_complete',
          is_error: true,
          duration_ms: 0,
          cost_usd: 0.5,
          usage: { input_tokens: 0, output_tokens: 0 },
          result: 'Reached maximum number of turns (3)',
        },
      },
    ]);
    const [interrupted] = mapper.map({ type: 'result', subtype: 'error_during_execution', is_error: true, errors: [] });
    expect(interrupted?.type === 'transcript' && 'result' in interrupted.event).toBe(false);
  });

  it('skips empty thinking, marks subagent text, and ignores subagent deltas', () => {
    const mapper = new ClaudeMessageMapper();
    const assistant = mapper.map({
      type: 'assistant',
      parent_tool_use_id: 'toolu_parent',
      message: {
        id: 'msg_1',
        content: [
          { type: 'thinking', thinking: '', signature: 'x' },
          { type: 'text', text: 'from the subagent' },
        ],
      },
    });
    expect(assistant).toEqual([
      { type: 'transcript', event: { type: 'text', message_id: 'msg_1', text: 'from the subagent', parent_tool_use_id: 'toolu_parent' } },
    ]);
    mapper.map({ type: 'stream_event', parent_tool_use_id: 'toolu_parent', event: { type: 'message_start', message: { id: 'msg_2' } } });
    expect(
      mapper.map({
        type: 'stream_event',
        parent_tool_use_id: 'toolu_parent',
        event: { type: 'content_block_delta', delta: { type: 'text_delta', text: 'x' } },
      }),
    ).toEqual([]);
  });

  it('shows what a slash command printed, and nothing of replayed prompts', () => {
    const mapper = new ClaudeMessageMapper();
    expect(
      mapper.map({
        type: 'user',
        isReplay: true,
        message: { role: 'user', content: '<local-command-stdout>Compacted </local-command-stdout>' },
      }),
    ).toEqual([{ type: 'transcript', event: { type: 'system', subtype: 'command_output', text: 'Compacted' } }]);
    expect(
      mapper.map({ type: 'user', isSynthetic: true, message: { role: 'user', content: 'This session is being continued...' } }),
    ).toEqual([]);
  });

  it('never throws, and only makes valid events, whatever it is given', () => {
    const frameLike = fc.record(
      {
        type: fc.constantFrom('system', 'assistant', 'user', 'result', 'stream_event', 'mystery'),
        subtype: fc.constantFrom('init', 'compact_boundary', 'task_started', 'task_notification', 'api_retry', 'other'),
        session_id: fc.oneof(fc.string(), fc.integer()),
        message: fc.anything(),
        event: fc.anything(),
        parent_tool_use_id: fc.oneof(fc.constant(null), fc.string()),
        result: fc.anything(),
        errors: fc.anything(),
        usage: fc.anything(),
        is_error: fc.anything(),
        total_cost_usd: fc.anything(),
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(frameLike, fc.anything())), (frames) => {
        for (const event of transcriptOf(mapAll(frames))) TranscriptEvent.parse(event);
      }),
      { numRuns: 300 },
    );
  });
});
