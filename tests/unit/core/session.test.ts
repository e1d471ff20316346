import { describe, expect, it } from 'vitest';
import { ON_PHONE_CONTEXT, SESSION_TRANSITIONS, VibesError, type CoreEvent, type Session } from '../../../lib/core/index.ts';
import type { SessionState, TranscriptEntry } from '../../../lib/protocol/index.ts';
import { coreHarness } from '../../support/core-harness.ts';

const origin = { clientId: 'owner', source: 'cli' as const };

/** The states published by session_updated, with consecutive repeats folded. */
function publishedStates(events: CoreEvent[]): SessionState[] {
  const states: SessionState[] = [];
  for (const event of events) {
    if (event.type === 'session_updated' && states.at(-1) !== event.session.state) states.push(event.session.state);
  }
  return states;
}

const transcripts = new WeakMap<Session, () => readonly TranscriptEntry[]>();
const transcriptOf = (session: Session) => transcripts.get(session)?.() ?? [];

async function started() {
  const harness = coreHarness();
  const session = await harness.create('owner');
  transcripts.set(session, () => harness.transcript(session.id));
  return { ...harness, session, agent: harness.agents.last() };
}

describe('Session state machine', () => {
  it('idle -> processing -> idle for one turn, each published as it happens', async () => {
    const { session, agent, published } = await started();
    expect(session.state).toBe('idle');
    session.sendInput('hello', origin);
    expect(session.state).toBe('processing');
    expect(publishedStates(published)).toEqual(['idle', 'processing']);
    expect(agent.sent).toEqual(['hello']);
    agent.emit({ type: 'text', message_id: 'm1', text: 'hi' });
    agent.completeTurn(0.02);
    expect(session.state).toBe('idle');
    expect(publishedStates(published)).toEqual(['idle', 'processing', 'idle']);
    expect(session.snapshot().cost_usd).toBe(0.02);
  });

  it('processing -> waiting_permission -> processing, one answer at a time', async () => {
    const { session, agent, published } = await started();
    session.sendInput('run two tools', origin);
    agent.requestPermission('r1');
    agent.requestPermission('r2');
    expect(session.state).toBe('waiting_permission');
    expect(session.snapshot().pending_permissions.map((p) => p.request_id)).toEqual(['r1', 'r2']);
    session.answerPermission('r2', { behavior: 'deny', message: 'no' }, 'owner');
    expect(session.state).toBe('waiting_permission');
    session.answerPermission('r1', { behavior: 'allow' }, 'owner');
    expect(session.state).toBe('processing');
    expect(agent.answers).toEqual([
      { requestId: 'r2', answer: { behavior: 'deny', message: 'no' } },
      { requestId: 'r1', answer: { behavior: 'allow' } },
    ]);
    expect(publishedStates(published)).toEqual(['idle', 'processing', 'waiting_permission', 'processing']);
  });

  it('a request still open when the turn ends stays pending (a background subagent asks after its turn), then idle', async () => {
    const { session, agent } = await started();
    session.sendInput('x', origin);
    agent.requestPermission('r1');
    agent.completeTurn();
    expect(session.state).toBe('waiting_permission');
    expect(session.snapshot().pending_permissions.map((request) => request.request_id)).toEqual(['r1']);
    session.sendInput('later', origin);
    expect(session.snapshot().queued_inputs).toBe(1);
    session.answerPermission('r1', { behavior: 'allow' }, 'owner');
    // No turn was running: the answer leaves the session free, and the queued input goes next.
    expect(agent.answers).toEqual([{ requestId: 'r1', answer: { behavior: 'allow' } }]);
    expect(session.snapshot().queued_inputs).toBe(0);
    expect(session.state).toBe('processing');
  });

  it('a request Claude withdraws leaves the queue with a note', async () => {
    const { session, agent } = await started();
    session.sendInput('x', origin);
    agent.requestPermission('r1');
    agent.emit({ type: 'permission_resolved', request_id: 'r1', behavior: 'deny', client_id: 'claude' });
    expect(session.state).toBe('processing');
    expect(session.snapshot().pending_permissions).toEqual([]);
    expect(() => session.answerPermission('r1', { behavior: 'allow' }, 'owner')).toThrow(/already answered/);
  });

  it('an answer to an unknown request is NOT_FOUND and a second answer is CONFLICT', async () => {
    const { session, agent } = await started();
    session.sendInput('x', origin);
    agent.requestPermission('r1');
    expect(() => session.answerPermission('nope', { behavior: 'allow' }, 'owner')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    session.answerPermission('r1', { behavior: 'allow' }, 'owner');
    expect(() => session.answerPermission('r1', { behavior: 'deny' }, 'owner')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(agent.answers).toHaveLength(1);
  });

  it('queues input during a turn, shows it as queued and sends it when the turn ends', async () => {
    const { session, agent } = await started();
    session.sendInput('first', origin);
    session.sendInput('second', origin);
    session.sendInput('third', origin);
    expect(agent.sent).toEqual(['first']);
    expect(session.snapshot().queued_inputs).toBe(2);
    const inputs = transcriptOf(session)
      .filter((entry) => entry.event.type === 'user_input')
      .map((entry) => entry.event);
    const messageId = expect.stringMatching(/^[0-9a-f-]{36}$/);
    expect(inputs).toEqual([
      { type: 'user_input', content: 'first', source: 'cli', client_id: 'owner', message_id: messageId },
      { type: 'user_input', content: 'second', source: 'cli', client_id: 'owner', queued: true, message_id: messageId },
      { type: 'user_input', content: 'third', source: 'cli', client_id: 'owner', queued: true, message_id: messageId },
    ]);
    agent.completeTurn();
    expect(agent.sent).toEqual(['first', 'second']);
    // Each message goes to Claude with the id its user_input carries: what rewind takes.
    expect(agent.messageIds).toEqual(inputs.slice(0, 2).map((input) => (input.type === 'user_input' ? input.message_id : null)));
    expect(session.state).toBe('processing');
    agent.completeTurn();
    agent.completeTurn();
    expect(agent.sent).toEqual(['first', 'second', 'third']);
    expect(session.state).toBe('idle');
    expect(session.snapshot().queued_inputs).toBe(0);
  });

  it('tells Claude about a phone beside the prompts typed on one, queued ones too, never a slash command, the text as typed', async () => {
    const { session, agent } = await started();
    const phone = { ...origin, source: 'web' as const, onPhone: true };
    session.sendInput('from the phone', phone);
    session.sendInput('from the terminal', origin);
    session.sendInput('  /compact', phone);
    session.sendInput('queued from the phone', phone);
    for (let turn = 0; turn < 3; turn++) agent.completeTurn();
    expect(agent.sent).toEqual(['from the phone', 'from the terminal', '  /compact', 'queued from the phone']);
    expect(agent.contexts).toEqual([ON_PHONE_CONTEXT, null, null, ON_PHONE_CONTEXT]);
  });

  it('-> failed when the agent crashes, with the reason, from any live state', async () => {
    for (const setUp of ['idle', 'processing', 'waiting_permission'] as const) {
      const { session, agent, published } = await started();
      if (setUp !== 'idle') session.sendInput('x', origin);
      if (setUp === 'waiting_permission') agent.requestPermission('r1');
      expect(session.state).toBe(setUp);
      agent.emitAgentEvent({ type: 'exited', failure: 'exit code 1: boom' });
      expect(session.state).toBe('failed');
      expect(session.snapshot().failure).toBe('exit code 1: boom');
      expect(session.snapshot().pending_permissions).toEqual([]);
      expect(transcriptOf(session).at(-1)?.event).toEqual({ type: 'error', message: 'exit code 1: boom' });
      expect(publishedStates(published).at(-1)).toBe('failed');
    }
  });

  it('a failed session refuses input with INVALID_STATE and stays failed when stopped, so its history says it failed', async () => {
    const { session, agent } = await started();
    agent.emitAgentEvent({ type: 'exited', failure: 'gone' });
    expect(() => session.sendInput('x', origin)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    await session.stop();
    expect(session.state).toBe('failed');
    expect(session.snapshot().failure).toBe('gone');
  });

  it('a start that throws leaves the session failed with the reason', async () => {
    const { manager } = coreHarness({
      agentFactory: () => ({
        start: () => Promise.reject(new Error('spawn claude ENOENT')),
        send: () => {},
        answerPermission: () => {},
        interrupt: async () => {},
        setPermissionMode: async (mode) => mode,
        setModel: async () => {},
        supportedModels: async () => [],
        supportedCommands: async () => [],
        rewindFiles: async () => ({ canRewind: false }),
        stop: async () => {},
      }),
    });
    const session = await manager.create({ ownerId: 'owner', cwd: '/', prompt: 'hello' });
    expect(session.state).toBe('failed');
    expect(session.snapshot().failure).toMatch(/spawn claude ENOENT/);
  });

  it('-> finished when stopped on purpose, from every live state; the agent is stopped', async () => {
    for (const setUp of ['idle', 'processing', 'waiting_permission'] as const) {
      const { session, agent, published } = await started();
      if (setUp !== 'idle') session.sendInput('x', origin);
      if (setUp === 'waiting_permission') agent.requestPermission('r1');
      await session.stop();
      expect(agent.stopped).toBe(true);
      expect(session.state).toBe('finished');
      expect(publishedStates(published).at(-1)).toBe('finished');
      // The exit that stopping causes is not a failure.
      agent.emitAgentEvent({ type: 'exited', failure: 'killed by signal' });
      expect(session.state).toBe('finished');
    }
  });

  it('a finished session ignores late agent events and refuses input', async () => {
    const { session, agent } = await started();
    await session.stop();
    const length = transcriptOf(session).length;
    agent.emit({ type: 'text', message_id: 'm', text: 'late' });
    expect(transcriptOf(session)).toHaveLength(length);
    expect(() => session.sendInput('x', origin)).toThrow(VibesError);
  });

  it('interrupt reaches the agent during a turn only', async () => {
    const { session, agent } = await started();
    await session.interrupt('owner');
    expect(agent.interrupts).toBe(0);
    session.sendInput('x', origin);
    await session.interrupt('owner');
    expect(agent.interrupts).toBe(1);
  });

  it('input, answers and interrupt need a subscribed client', async () => {
    const { session, agent } = await started();
    expect(() => session.sendInput('x', { clientId: 'stranger', source: 'web' })).toThrow(
      expect.objectContaining({ code: 'NOT_SUBSCRIBED' }),
    );
    session.sendInput('x', origin);
    agent.requestPermission('r1');
    expect(() => session.answerPermission('r1', { behavior: 'allow' }, 'stranger')).toThrow(
      expect.objectContaining({ code: 'NOT_SUBSCRIBED' }),
    );
    await expect(session.interrupt('stranger')).rejects.toMatchObject({ code: 'NOT_SUBSCRIBED' });
    expect(session.snapshot().pending_permissions).toHaveLength(1);
  });

  it('numbers transcript entries per session from 1 and publishes each one', async () => {
    const { session, agent, published } = await started();
    session.sendInput('x', origin);
    agent.emit({ type: 'thinking', text: 'hmm' });
    agent.emit({ type: 'tool_use', tool_use_id: 't1', name: 'Read', input: { file_path: 'a' } });
    agent.emit({ type: 'tool_result', tool_use_id: 't1', content: 'ok', is_error: false });
    agent.completeTurn();
    expect(transcriptOf(session).map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5]);
    const streamed = published.flatMap((event) => (event.type === 'session_event' ? [event.entry.seq] : []));
    expect(streamed).toEqual([1, 2, 3, 4, 5]);
  });

  it('touches last_activity_at on every event and publishes at most one update per second for it', async () => {
    let now = 1_000_000;
    const harness = coreHarness({ clock: () => now });
    const session = await harness.create('owner');
    const agent = harness.agents.last();
    expect(session.snapshot().created_at).toBe(1000);
    session.sendInput('x', origin);
    const updatesBefore = harness.published.filter((event) => event.type === 'session_updated').length;
    for (let i = 0; i < 10; i++) agent.emit({ type: 'text_delta', message_id: 'm', text: 'a' });
    expect(harness.published.filter((event) => event.type === 'session_updated').length).toBe(updatesBefore);
    now += 2500;
    agent.emit({ type: 'text_delta', message_id: 'm', text: 'b' });
    expect(session.snapshot().last_activity_at).toBe(1002);
    await Promise.resolve();
    expect(harness.published.filter((event) => event.type === 'session_updated').length).toBe(updatesBefore + 1);
  });

  it('never sends an update with the old state after the event that changed it', async () => {
    let now = 1_000_000;
    const harness = coreHarness({ clock: () => now });
    const session = await harness.create('owner');
    const agent = harness.agents.last();
    session.sendInput('x', origin);
    now += 2500;
    const from = harness.published.length;
    agent.completeTurn();
    await Promise.resolve();
    const after = harness.published.slice(from);
    const turnAt = after.findIndex((event) => event.type === 'session_event' && event.entry.event.type === 'turn_complete');
    const states = after.slice(turnAt).flatMap((event) => (event.type === 'session_updated' ? [event.session.state] : []));
    expect(states).toEqual(['idle']);
  });

  it('records the newest Claude session id and model', async () => {
    const { session, agent } = await started();
    agent.emitAgentEvent({ type: 'claude_session', claude_session_id: 'c1', model: 'opus' });
    agent.emitAgentEvent({ type: 'claude_session', claude_session_id: 'c2', model: null });
    expect(session.snapshot()).toMatchObject({ claude_session_id: 'c2', model: 'opus' });
  });

  it('allows exactly the transitions of the table', () => {
    expect(SESSION_TRANSITIONS).toEqual({
      idle: ['processing', 'failed', 'finished'],
      processing: ['waiting_permission', 'idle', 'failed', 'finished'],
      waiting_permission: ['processing', 'idle', 'failed', 'finished'],
      failed: ['finished'],
      finished: [],
    });
  });

  it('whenTurnEnds resolves at once between turns and after turn_complete during one', async () => {
    const { session, agent } = await started();
    await session.whenTurnEnds();
    session.sendInput('x', origin);
    let ended = false;
    const waiting = session.whenTurnEnds().then(() => (ended = true));
    await Promise.resolve();
    expect(ended).toBe(false);
    agent.completeTurn();
    await waiting;
    expect(ended).toBe(true);
  });
});

describe('Session permission mode, model and todos', () => {
  it('starts in the mode asked for; bypass only with the opt-in', async () => {
    const refused = coreHarness();
    await expect(refused.create('owner', { permissionMode: 'bypassPermissions' })).rejects.toMatchObject({ code: 'BYPASS_NOT_ALLOWED' });
    expect(refused.manager.list()).toEqual([]);
    const allowed = coreHarness({ allowBypass: true });
    const session = await allowed.create('owner', { permissionMode: 'bypassPermissions' });
    expect(session.snapshot().permission_mode).toBe('bypassPermissions');
    expect(allowed.agents.last().options.permissionMode).toBe('bypassPermissions');
  });

  it('switches mode and model live, notes them in words, and follows the mode Claude reports', async () => {
    const { session, agent, published } = await started();
    await session.setPermissionMode('plan', origin);
    await session.setModel('haiku', { clientId: 'owner', source: 'web' });
    expect(agent.modes).toEqual(['plan']);
    expect(agent.models).toEqual(['haiku']);
    await expect(session.setPermissionMode('bypassPermissions', origin)).rejects.toMatchObject({ code: 'BYPASS_NOT_ALLOWED' });
    await expect(session.setPermissionMode('plan', { clientId: 'stranger', source: 'web' })).rejects.toMatchObject({
      code: 'NOT_SUBSCRIBED',
    });
    agent.emitAgentEvent({ type: 'permission_mode', mode: 'acceptEdits' });
    const notes = transcriptOf(session).flatMap((entry) => (entry.event.type === 'system' ? [entry.event.text] : []));
    expect(notes).toEqual([
      'Permission mode: Plan mode (changed from the CLI)',
      'Model: haiku (changed from the web)',
      'Permission mode: Accept edits',
    ]);
    const last = published.findLast((event) => event.type === 'session_updated');
    expect(last?.type === 'session_updated' && [last.session.permission_mode, last.session.model]).toEqual(['acceptEdits', 'haiku']);
  });

  it('a chosen suggestion that switches the mode shows the mode in force to every client; bypass is refused without the opt-in', async () => {
    const { session, agent, published } = await started();
    session.sendInput('edit things', origin);
    agent.emit({
      type: 'permission_request',
      request_id: 'r1',
      tool_name: 'Edit',
      input: { file_path: 'a.txt', old_string: 'a', new_string: 'b' },
      kind: 'tool',
      display: { type: 'input' },
      suggestions: [
        { id: '0', description: 'bypass all permission checks for this session', scope: 'session', mode: 'bypassPermissions' },
        { id: '1', description: 'accept edits without asking for this session', scope: 'session', mode: 'acceptEdits' },
      ],
    });
    expect(() => session.answerPermission('r1', { behavior: 'allow', suggestions: ['0'] }, 'owner')).toThrow(
      expect.objectContaining({ code: 'BYPASS_NOT_ALLOWED' }),
    );
    expect(agent.answers).toEqual([]);
    expect(session.snapshot().pending_permissions).toHaveLength(1);
    session.answerPermission('r1', { behavior: 'allow', suggestions: ['1'], source: 'web' }, 'owner');
    expect(agent.answers).toEqual([{ requestId: 'r1', answer: { behavior: 'allow', suggestionIds: ['1'] } }]);
    expect(session.snapshot().permission_mode).toBe('acceptEdits');
    const last = published.findLast((event) => event.type === 'session_updated');
    expect(last?.type === 'session_updated' && last.session.permission_mode).toBe('acceptEdits');
    expect(transcriptOf(session).at(-1)?.event).toMatchObject({ type: 'system', subtype: 'permission_mode', mode: 'acceptEdits' });
  });

  it('keeps the latest todo list the agent reports, and publishes it', async () => {
    const { session, agent, published } = await started();
    const todos = {
      items: [{ content: 'task 0', status: 'completed' as const, active_form: 'doing 0' }],
      completed: 1,
      total: 1,
      tool_use_id: 't1',
    };
    agent.emitAgentEvent({ type: 'todos', todos });
    expect(session.snapshot().todos).toEqual(todos);
    expect(published.filter((event) => event.type === 'session_updated').at(-1)).toMatchObject({ session: { todos } });
  });
});

describe('Session context and commands', () => {
  it('keeps the context figure Claude reports and publishes it; a new session has none', async () => {
    const { session, agent, published } = await started();
    expect(session.snapshot().context).toBeNull();
    const context = { used_tokens: 43_000, max_tokens: 200_000, percentage: 22, compact_at_percentage: 83.5 };
    agent.emitAgentEvent({ type: 'context', context });
    expect(session.snapshot().context).toEqual(context);
    const updates = published.filter((event) => event.type === 'session_updated');
    expect(updates.at(-1)).toMatchObject({ session: { context } });
  });

  it('lists the agent’s commands while live, and refuses once ended', async () => {
    const { session } = await started();
    expect(await session.supportedCommands()).toEqual([expect.objectContaining({ name: 'compact' })]);
    await session.stop();
    expect(() => session.supportedCommands()).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });
});

describe('Session.rewind', () => {
  const lastRewindNote = (session: Session) =>
    transcriptOf(session)
      .map((entry) => entry.event)
      .filter((event) => event.type === 'system' && event.subtype === 'rewind');

  it('refuses while a turn runs, for a client not subscribed, an unknown message, and with no message at all', async () => {
    const { session, agent } = await started();
    await expect(session.rewind({ to: null, dryRun: true }, 'owner')).rejects.toMatchObject({ code: 'CANNOT_REWIND' });
    session.sendInput('edit it', origin);
    await expect(session.rewind({ to: null, dryRun: true }, 'owner')).rejects.toMatchObject({ code: 'TURN_RUNNING' });
    agent.completeTurn();
    await expect(session.rewind({ to: null, dryRun: true }, 'stranger')).rejects.toMatchObject({ code: 'NOT_SUBSCRIBED' });
    await expect(session.rewind({ to: '00000000-0000-4000-8000-000000000000', dryRun: true }, 'owner')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(agent.rewinds).toEqual([]);
  });

  it('a dry run says what Claude would restore and changes nothing; a refusal is an answer there, an error for real', async () => {
    const { session, agent } = await started();
    session.sendInput('edit it', origin);
    agent.completeTurn();
    const dry = await session.rewind({ to: null, dryRun: true }, 'owner');
    expect(dry).toMatchObject({
      dry_run: true,
      can_rewind: false,
      to: agent.messageIds[0],
      error: 'No file checkpoint found for this message.',
    });
    await expect(session.rewind({ to: null, dryRun: false }, 'owner')).rejects.toMatchObject({ code: 'CANNOT_REWIND' });
    expect(lastRewindNote(session)).toEqual([]);
  });

  it('input sent during a rewind waits for it, then goes with the note', async () => {
    const { session, agent } = await started();
    session.sendInput('first', origin);
    agent.completeTurn();
    agent.rewindOutcome = { canRewind: true, filesChanged: [], skippedLinks: 0 };
    const rewinding = session.rewind({ to: null, dryRun: false }, 'owner');
    session.sendInput('meanwhile', origin);
    expect(agent.sent).toEqual(['first']);
    expect(session.snapshot().queued_inputs).toBe(1);
    await rewinding;
    expect(agent.sent.at(-1)).toMatch(/^\[vibes: the user rewound .*\]\n\nmeanwhile$/s);
  });

  it('a real rewind is recorded in the transcript and told to Claude with the next message', async () => {
    const { session, agent } = await started();
    session.sendInput('first line\nmore', origin);
    agent.completeTurn();
    agent.rewindOutcome = { canRewind: true, filesChanged: ['/elsewhere/a.ts'], insertions: 1, deletions: 2, skippedLinks: 0 };
    const result = await session.rewind({ to: agent.messageIds[0] ?? null, dryRun: false }, 'owner');
    expect(result).toMatchObject({ dry_run: false, can_rewind: true, files_changed: ['/elsewhere/a.ts'], skipped_links: 0, error: null });
    // Claude names the files only on a dry run: the rewind asks that first.
    expect(agent.rewinds).toEqual([
      { messageId: agent.messageIds[0], dryRun: true },
      { messageId: agent.messageIds[0], dryRun: false },
    ]);
    expect(lastRewindNote(session)).toEqual([
      {
        type: 'system',
        subtype: 'rewind',
        text: 'Files rewound to before "first line": 1 file restored (/elsewhere/a.ts)',
        to_message_id: agent.messageIds[0],
        files: ['/elsewhere/a.ts'],
      },
    ]);
    session.sendInput('go on', origin);
    expect(agent.sent.at(-1)).toMatch(
      /^\[vibes: the user rewound the files to how they were before their message "first line"\..*\]\n\ngo on$/s,
    );
    agent.completeTurn();
    session.sendInput('and again', origin);
    expect(agent.sent.at(-1)).toBe('and again');
  });
});
