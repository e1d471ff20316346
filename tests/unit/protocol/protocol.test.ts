import { describe, expect, it } from 'vitest';
import {
  CreateSessionBody,
  decisionSummary,
  type DecisionFields,
  EndReason,
  ERROR_STATUS,
  ErrorBody,
  EventsPageQuery,
  InputBody,
  PermissionAnswerBody,
  RemovalReason,
  SERVER_EVENT_TYPES,
  ServerEvent,
  SessionInfo,
  SessionListQuery,
  SessionState,
  TranscriptEvent,
} from '../../../lib/protocol/index.ts';

const session: SessionInfo = {
  id: 'sess-1',
  name: 'test',
  title: 'test',
  preview: null,
  project: 'tmp',
  git_branch: null,
  state: 'idle',
  owner_id: 'client-1',
  is_owner: true,
  subscriber_count: 2,
  created_at: 1234567890,
  last_activity_at: 1234567900,
  cwd: '/tmp',
  model: 'claude-sonnet',
  permission_mode: 'default',
  todos: null,
  pending_permissions: [
    {
      request_id: 'r1',
      tool_name: 'Bash',
      input: { command: 'ls' },
      kind: 'tool',
      display: { type: 'input' },
      suggestions: [],
      requested_at: 1234567895,
    },
  ],
  queued_inputs: 0,
  cost_usd: 0.12,
  claude_session_id: 'c-1',
  ended_at: null,
  end_reason: null,
  failure: null,
  demo: false,
  node: null,
  changes: null,
  start_commit: null,
  context: null,
  pinned: false,
};

const roundTrip = <T>(schema: { parse(value: unknown): T }, value: T): T => schema.parse(JSON.parse(JSON.stringify(value)));

describe('SessionInfo', () => {
  it('round-trips through JSON unchanged', () => {
    expect(roundTrip(SessionInfo, session)).toEqual(session);
  });

  it('accepts a session without a name', () => {
    expect(roundTrip(SessionInfo, { ...session, name: null }).name).toBeNull();
  });

  it('carries when and why an ended session ended', () => {
    const ended = { ...session, state: 'finished' as const, ended_at: 1234568000, end_reason: 'server_restarted' as const };
    expect(roundTrip(SessionInfo, ended)).toEqual(ended);
    expect(SessionInfo.safeParse({ ...session, end_reason: 'exploded' }).success).toBe(false);
    expect(EndReason.options).toEqual(expect.arrayContaining([...RemovalReason.options, 'server_stopped', 'server_restarted']));
  });

  it('rejects a state written the old way', () => {
    expect(SessionInfo.safeParse({ ...session, state: 'Idle' }).success).toBe(false);
  });

  it('rejects fractional or negative Unix seconds', () => {
    expect(SessionInfo.safeParse({ ...session, created_at: 1.5 }).success).toBe(false);
    expect(SessionInfo.safeParse({ ...session, last_activity_at: -1 }).success).toBe(false);
  });
});

describe('enums', () => {
  it('states are lower-case wire values', () => {
    expect(SessionState.options).toEqual(['idle', 'processing', 'waiting_permission', 'failed', 'finished']);
  });

  it('removal reasons round-trip in snake_case', () => {
    for (const reason of ['owner_disconnected', 'killed', 'session_finished'] as const) {
      expect(roundTrip(RemovalReason, reason)).toBe(reason);
    }
    expect(RemovalReason.safeParse('OwnerDisconnected').success).toBe(false);
  });
});

describe('server events', () => {
  const samples: ServerEvent[] = [
    { type: 'hello', client_id: 'c1', epoch: 'e1', allow_bypass: false, demo_default: false },
    { type: 'session_list', sessions: [session] },
    { type: 'session_updated', session },
    { type: 'session_removed', session_id: 'sess-1', reason: 'owner_disconnected' },
    { type: 'ownership_transferred', session_id: 'sess-1', new_owner_id: 'client-2', you_are_owner: false },
    { type: 'session_event', session_id: 'sess-1', seq: 3, at: 1234567890, event: { type: 'text', message_id: 'm1', text: 'hi' } },
    { type: 'resync', reason: 'epoch_changed' },
  ];

  it.each(samples)('$type round-trips and carries its tag', (event) => {
    const json = JSON.stringify(event);
    expect(json).toContain(`"type":"${event.type}"`);
    expect(ServerEvent.parse(JSON.parse(json))).toEqual(event);
  });

  it('lists every event type once', () => {
    expect(SERVER_EVENT_TYPES).toEqual([
      'hello',
      'session_list',
      'session_updated',
      'session_removed',
      'ownership_transferred',
      'session_event',
      'resync',
    ]);
  });

  it('rejects an unknown tag', () => {
    expect(ServerEvent.safeParse({ type: 'kill_session', session_id: 'x' }).success).toBe(false);
  });
});

describe('transcript events', () => {
  const samples: TranscriptEvent[] = [
    { type: 'user_input', content: 'hi', source: 'cli', client_id: 'c1' },
    { type: 'user_input', content: 'later', source: 'web', client_id: 'c1', queued: true },
    { type: 'text_delta', message_id: 'm1', text: 'h' },
    { type: 'text', message_id: 'm1', text: 'hello' },
    { type: 'thinking', text: 'hmm' },
    { type: 'tool_use', tool_use_id: 't1', name: 'Bash', input: { command: 'ls' } },
    { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'a' }], is_error: false },
    {
      type: 'permission_request',
      request_id: 'r1',
      tool_name: 'Bash',
      input: { command: 'rm x' },
      title: 'Run rm?',
      kind: 'tool',
      display: { type: 'command', command: 'rm x', description: null, cwd: '/tmp', run_in_background: false, timeout_ms: null },
      suggestions: [{ id: '0', description: 'Bash commands starting with `rm`', scope: 'local' }],
    },
    { type: 'permission_resolved', request_id: 'r1', behavior: 'deny', client_id: 'c1', message: 'no' },
    {
      type: 'turn_complete',
      is_error: false,
      duration_ms: 1200,
      cost_usd: 0.01,
      usage: { input_tokens: 10, output_tokens: 20 },
    },
    { type: 'error', message: 'Claude exited with code 1' },
    { type: 'system', subtype: 'init', claude_session_id: 'c1', model: 'opus', cwd: '/tmp' },
  ];

  it.each(samples)('$type round-trips', (event) => {
    expect(roundTrip(TranscriptEvent, event)).toEqual(event);
  });

  it('keeps the extra fields of a system note', () => {
    const parsed = TranscriptEvent.parse({ type: 'system', subtype: 'compact_boundary', trigger: 'manual' });
    expect(parsed).toEqual({ type: 'system', subtype: 'compact_boundary', trigger: 'manual' });
  });

  it('rejects an input source that is not cli, web or api', () => {
    expect(TranscriptEvent.safeParse({ type: 'user_input', content: 'x', source: 'ssh', client_id: 'c' }).success).toBe(false);
  });
});

describe('request bodies', () => {
  it('create accepts an empty body and every optional field', () => {
    expect(CreateSessionBody.parse({})).toEqual({});
    expect(CreateSessionBody.parse({ prompt: 'hi', name: 'n', cwd: '/tmp', model: 'opus', source: 'web' })).toMatchObject({
      prompt: 'hi',
    });
  });

  it('create rejects wrong types, unknown fields and an empty prompt', () => {
    expect(CreateSessionBody.safeParse({ prompt: 5 }).success).toBe(false);
    expect(CreateSessionBody.safeParse({ promt: 'typo' }).success).toBe(false);
    expect(CreateSessionBody.safeParse({ prompt: '' }).success).toBe(false);
  });

  it('input needs content within the limit', () => {
    expect(InputBody.safeParse({}).success).toBe(false);
    expect(InputBody.safeParse({ content: 'x'.repeat(100_001) }).success).toBe(false);
    expect(InputBody.parse({ content: 'go on' })).toEqual({ content: 'go on' });
  });

  it('a permission answer is allow or deny with an optional message', () => {
    expect(PermissionAnswerBody.parse({ behavior: 'allow' })).toEqual({ behavior: 'allow' });
    expect(PermissionAnswerBody.parse({ behavior: 'deny', message: 'not there' })).toMatchObject({ behavior: 'deny' });
    expect(PermissionAnswerBody.safeParse({ behavior: 'maybe' }).success).toBe(false);
  });

  it('an events page query has defaults and bounds', () => {
    expect(EventsPageQuery.parse({})).toEqual({ after: 0, limit: 200 });
    expect(EventsPageQuery.parse({ after: '5', limit: '10' })).toEqual({ after: 5, limit: 10 });
    expect(EventsPageQuery.safeParse({ limit: '100000' }).success).toBe(false);
    expect(EventsPageQuery.safeParse({ after: '-1' }).success).toBe(false);
  });

  it('a session list query is live by default, or the history', () => {
    expect(SessionListQuery.parse({})).toEqual({ state: 'live', limit: 200 });
    expect(SessionListQuery.parse({ state: 'ended', limit: '20', before: '1700000000' })).toEqual({
      state: 'ended',
      limit: 20,
      before: 1700000000,
    });
    expect(SessionListQuery.safeParse({ state: 'dead' }).success).toBe(false);
    expect(SessionListQuery.safeParse({ limit: '100000' }).success).toBe(false);
  });
});

describe('errors', () => {
  it('the error body carries a code from the closed set', () => {
    expect(ErrorBody.parse({ error: { code: 'NOT_FOUND', message: 'x' } }).error.code).toBe('NOT_FOUND');
    expect(ErrorBody.safeParse({ error: { code: 'TEAPOT', message: 'x' } }).success).toBe(false);
  });

  it('maps each family of codes to its status', () => {
    expect(ERROR_STATUS).toMatchObject({
      INVALID_JSON: 400,
      UNAUTHORIZED: 401,
      FORBIDDEN_ORIGIN: 403,
      NOT_SUBSCRIBED: 403,
      NOT_FOUND: 404,
      CONFLICT: 409,
      PAYLOAD_TOO_LARGE: 413,
      RATE_LIMITED: 429,
      INTERNAL: 500,
    });
  });
});

describe('decisionSummary', () => {
  const decision = (fields: Partial<DecisionFields>): DecisionFields => ({
    request_id: 'r',
    tool_name: 'Bash',
    input: {},
    kind: 'tool',
    display: { type: 'input' },
    suggestions: [],
    ...fields,
  });
  it('says what is asked in one line, never a tool name where there is something better', () => {
    expect(
      decisionSummary(
        decision({
          display: {
            type: 'command',
            command: '\n  npm test\nnpm run lint',
            cwd: '/w',
            description: null,
            run_in_background: false,
            timeout_ms: null,
          },
        }),
      ),
    ).toBe('npm test');
    expect(
      decisionSummary(
        decision({
          tool_name: 'AskUserQuestion',
          kind: 'question',
          display: {
            type: 'question',
            questions: [{ question: 'Tabs or spaces?', header: 'Indent', options: [], multi_select: false }],
          },
        }),
      ),
    ).toBe('Tabs or spaces?');
    expect(
      decisionSummary(
        decision({ tool_name: 'ExitPlanMode', kind: 'plan', display: { type: 'plan', plan: '# Fix the parser\n1. ...', file_path: null } }),
      ),
    ).toBe('Fix the parser');
    expect(decisionSummary(decision({ tool_name: 'WebFetch', input: { url: 'https://example.com' } }))).toBe('https://example.com');
  });
});
