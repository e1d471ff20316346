import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClaudeAgentFactory, EXECUTABLE_HINT, fakeClaudePath, LOGIN_HINT } from '../../../lib/core/claude/index.ts';
import type { AgentEvent, VibesError } from '../../../lib/core/index.ts';
import { TranscriptEvent } from '../../../lib/protocol/index.ts';
import { claudeHarness, ofType, OWNER, waitFor, waitForExit, waitForState } from '../../support/claude-harness.ts';
import { isAlive } from '../../support/processes.ts';

let harness: ReturnType<typeof claudeHarness> | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function start(config: Parameters<typeof claudeHarness>[0] = {}) {
  harness = claudeHarness(config);
  return harness;
}

const texts = (events: TranscriptEvent[]) => ofType(events, 'text').map((event) => event.text);

describe('Claude agent against the fake Claude, through the real Agent SDK', () => {
  it('streams a reply in chunks: processing, then idle, with deltas, the whole block and the cost', async () => {
    const h = start();
    const session = await h.create({ prompt: 'stream 5 chunks every 20ms' });
    expect(session.state).toBe('processing');
    await waitForState(session, 'idle');

    const events = h.events(session);
    expect(events.map((event) => event.type)).toEqual([
      'user_input',
      'system',
      'text_delta',
      'text_delta',
      'text_delta',
      'text_delta',
      'text_delta',
      'text',
      'turn_complete',
    ]);
    const deltas = ofType(events, 'text_delta');
    expect(deltas.map((delta) => delta.text)).toEqual([1, 2, 3, 4, 5].map((i) => `Chunk ${i} of 5. `));
    const [text] = ofType(events, 'text');
    expect(deltas.every((delta) => delta.message_id === text?.message_id)).toBe(true);
    expect(text?.text).toBe(deltas.map((delta) => delta.text).join(''));
    expect(ofType(events, 'turn_complete')[0]).toMatchObject({ is_error: false, cost_usd: 0.0125 });
    expect(ofType(events, 'system')[0]).toMatchObject({ subtype: 'init', cwd: h.workDir, model: 'claude-fake-1' });
    expect(h.states(session)).toEqual(['idle', 'processing', 'idle']);

    const snapshot = session.snapshot();
    expect(snapshot.claude_session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(snapshot.model).toBe('claude-fake-1');
    expect(snapshot.cost_usd).toBe(0.0125);
    for (const event of events) expect(() => TranscriptEvent.parse(event)).not.toThrow();
  });

  it('keeps one process between turns; the cost is cumulative and the newest is kept', async () => {
    const h = start();
    const session = await h.create({ prompt: 'hello' });
    await waitForState(session, 'idle');
    const pid = h.agentOf(session).pid;
    h.send(session, 'again');
    await waitForState(session, 'idle');
    expect(h.agentOf(session).pid).toBe(pid);
    expect(texts(h.events(session))).toEqual(['You said: "hello".', 'You said: "again".']);
    expect(ofType(h.events(session), 'turn_complete').map((event) => event.cost_usd)).toEqual([0.0125, 0.025]);
    expect(session.snapshot().cost_usd).toBe(0.025);
    // Claude repeats init every turn; the transcript notes it once.
    expect(ofType(h.events(session), 'system')).toHaveLength(1);
  });

  it('passes the model through', async () => {
    const h = start();
    const session = await h.create({ prompt: 'hi', model: 'claude-test-model' });
    await waitForState(session, 'idle');
    expect(session.snapshot().model).toBe('claude-test-model');
    expect(ofType(h.events(session), 'system')[0]).toMatchObject({ model: 'claude-test-model' });
  });

  it('asks for Bash, waits, and runs it once allowed', async () => {
    const h = start();
    const session = await h.create({ prompt: 'bash' });
    await waitForState(session, 'waiting_permission');
    const [pending] = session.snapshot().pending_permissions;
    expect(pending).toMatchObject({ tool_name: 'Bash', input: { command: 'echo hello from the fake Claude' } });
    const toolUse = ofType(h.events(session), 'tool_use')[0];
    expect(ofType(h.events(session), 'permission_request')[0]?.tool_use_id).toBe(toolUse?.tool_use_id);

    session.answerPermission(pending!.request_id, { behavior: 'allow' }, OWNER);
    await waitForState(session, 'idle');
    const events = h.events(session);
    expect(events.map((event) => event.type).filter((type) => type !== 'text_delta')).toEqual([
      'user_input',
      'system',
      'text',
      'tool_use',
      'permission_request',
      'permission_resolved',
      'tool_result',
      'text',
      'turn_complete',
    ]);
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ tool_use_id: toolUse?.tool_use_id, is_error: false, content: 'hello from the fake Claude' });
    expect(texts(events).at(-1)).toBe('Done: Bash was allowed.');
    expect(h.states(session)).toEqual(['idle', 'processing', 'waiting_permission', 'processing', 'idle']);
  });

  it('tells Claude when an edit is denied, with the message', async () => {
    const h = start();
    const session = await h.create({ prompt: 'edit' });
    await waitForState(session, 'waiting_permission');
    const [pending] = session.snapshot().pending_permissions;
    expect(pending?.tool_name).toBe('Edit');
    session.answerPermission(pending!.request_id, { behavior: 'deny', message: 'not that file' }, OWNER);
    await waitForState(session, 'idle');
    const [result] = ofType(h.events(session), 'tool_result');
    expect(result).toMatchObject({ is_error: true });
    expect(String(result?.content)).toContain('not that file');
    expect(texts(h.events(session)).at(-1)).toBe('Done: Edit was denied.');
  });

  it('holds two requests at once and takes their answers separately, in reverse order', async () => {
    const h = start();
    const session = await h.create({ prompt: 'two-permissions' });
    await waitFor(() => session.snapshot().pending_permissions.length === 2, 'two pending requests');
    const [bash, edit] = session.snapshot().pending_permissions;
    expect([bash?.tool_name, edit?.tool_name]).toEqual(['Bash', 'Edit']);

    session.answerPermission(edit!.request_id, { behavior: 'allow' }, OWNER);
    expect(session.state).toBe('waiting_permission');
    expect(session.snapshot().pending_permissions.map((request) => request.request_id)).toEqual([bash!.request_id]);
    session.answerPermission(bash!.request_id, { behavior: 'deny' }, OWNER);
    expect(session.state).toBe('processing');
    await waitForState(session, 'idle');

    const results = ofType(h.events(session), 'tool_result');
    expect(results.map((result) => result.is_error)).toEqual([true, false]);
    expect(texts(h.events(session)).at(-1)).toBe('Done: Bash was denied, Edit was allowed.');
    expect(h.states(session)).toEqual(['idle', 'processing', 'waiting_permission', 'processing', 'idle']);
  });

  it('refuses an answer to an unknown request and a second answer to one request', async () => {
    const h = start();
    const session = await h.create({ prompt: 'bash' });
    await waitForState(session, 'waiting_permission');
    const requestId = session.snapshot().pending_permissions[0]!.request_id;
    expect(() => session.answerPermission('no-such-request', { behavior: 'allow' }, OWNER)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }) as VibesError,
    );
    session.answerPermission(requestId, { behavior: 'allow' }, OWNER);
    expect(() => session.answerPermission(requestId, { behavior: 'deny' }, OWNER)).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }) as VibesError,
    );
    await waitForState(session, 'idle');
  });

  it('drops a request Claude withdraws (control_cancel_request) with a note', async () => {
    const h = start();
    const session = await h.create({ prompt: 'withdraw' });
    await waitFor(() => ofType(h.events(session), 'permission_request').length === 1, 'the request');
    await waitForState(session, 'idle');
    const [request] = ofType(h.events(session), 'permission_request');
    expect(ofType(h.events(session), 'permission_resolved')).toEqual([
      { type: 'permission_resolved', request_id: request!.request_id, behavior: 'deny', client_id: 'claude', message: 'Claude withdrew this request.' },
    ]);
    expect(session.snapshot().pending_permissions).toEqual([]);
    expect(h.states(session)).toEqual(['idle', 'processing', 'waiting_permission', 'processing', 'idle']);
  });

  it('streams a long reply without losing a chunk', async () => {
    const h = start();
    const session = await h.create({ prompt: 'long' });
    await waitForState(session, 'idle');
    const deltas = ofType(h.events(session), 'text_delta');
    expect(deltas).toHaveLength(120);
    expect(texts(h.events(session))[0]).toBe(deltas.map((delta) => delta.text).join(''));
    expect(texts(h.events(session))[0]!.length).toBeGreaterThan(8000);
  });

  it('ends a turn with an error result and keeps the session usable', async () => {
    const h = start();
    const session = await h.create({ prompt: 'error-result' });
    await waitForState(session, 'idle');
    expect(ofType(h.events(session), 'turn_complete')[0]).toMatchObject({ is_error: true, result: expect.stringContaining('error-result') as string });
    h.send(session, 'are you there');
    await waitFor(() => ofType(h.events(session), 'turn_complete').length === 2, 'a second turn');
    expect(session.state).toBe('idle');
  });

  it('queues input sent during a turn, shows it as queued, and sends it in order', async () => {
    const h = start();
    const session = await h.create({ prompt: 'stream 5 chunks every 40ms' });
    h.send(session, 'second');
    h.send(session, 'third');
    expect(session.snapshot().queued_inputs).toBe(2);
    expect(ofType(h.events(session), 'user_input').map((event) => event.queued ?? false)).toEqual([false, true, true]);
    await waitFor(() => ofType(h.events(session), 'turn_complete').length === 3, 'three turns');
    expect(session.state).toBe('idle');
    expect(texts(h.events(session))).toEqual([[1, 2, 3, 4, 5].map((i) => `Chunk ${i} of 5. `).join(''), 'You said: "second".', 'You said: "third".']);
    expect(session.snapshot()).toMatchObject({ queued_inputs: 0, cost_usd: 0.0375 });
  });

  it('interrupts a hanging turn and keeps the session and its process', async () => {
    const h = start();
    const session = await h.create({ prompt: 'hang' });
    await waitFor(() => ofType(h.events(session), 'system').length === 1, 'the turn to start');
    const pid = h.agentOf(session).pid;
    await session.interrupt(OWNER);
    await waitForState(session, 'idle');
    expect(ofType(h.events(session), 'turn_complete')[0]).toMatchObject({ is_error: true, result: 'Interrupted.' });

    h.send(session, 'still there?');
    await waitForState(session, 'idle');
    expect(texts(h.events(session)).at(-1)).toBe('You said: "still there?".');
    expect(h.agentOf(session).pid).toBe(pid);
    expect(h.states(session)).toEqual(['idle', 'processing', 'idle', 'processing', 'idle']);
  });

  it('interrupts while a permission is pending: Claude withdraws it and the turn ends', async () => {
    const h = start();
    const session = await h.create({ prompt: 'bash' });
    await waitForState(session, 'waiting_permission');
    const requestId = session.snapshot().pending_permissions[0]!.request_id;
    await session.interrupt(OWNER);
    await waitForState(session, 'idle');
    expect(ofType(h.events(session), 'permission_resolved')).toMatchObject([{ request_id: requestId, client_id: 'claude' }]);
    expect(ofType(h.events(session), 'turn_complete')).toHaveLength(1);
    expect(session.snapshot().pending_permissions).toEqual([]);
  });

  it('kill ends the process for sure: finished, and no process is left', async () => {
    const h = start();
    const session = await h.create({ prompt: 'hang' });
    await waitFor(() => ofType(h.events(session), 'system').length === 1, 'the turn to start');
    const pid = h.agentOf(session).pid!;
    expect(isAlive(pid)).toBe(true);
    await h.manager.kill(session.id, OWNER);
    expect(session.state).toBe('finished');
    expect(isAlive(pid)).toBe(false);
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }) as Error);
  });

  it('escalates to SIGKILL when Claude ignores SIGTERM and stdin closing', async () => {
    const h = start({ killGraceMs: 300 });
    const session = await h.create({ prompt: 'stubborn' });
    await waitForState(session, 'idle');
    const pid = h.agentOf(session).pid!;
    const before = Date.now();
    await h.manager.kill(session.id, OWNER);
    expect(Date.now() - before).toBeGreaterThanOrEqual(300);
    expect(isAlive(pid)).toBe(false);
    expect(session.state).toBe('finished');
  });

  it('a crash mid-turn fails the session with the exit code and stderr, after what was said before it', async () => {
    const h = start();
    const session = await h.create({ prompt: 'crash' });
    await waitForState(session, 'failed');
    const { failure } = session.snapshot();
    expect(failure).toContain('Claude exited with code 1');
    expect(failure).toContain('the fake Claude crashed on purpose');
    const events = h.events(session);
    expect(ofType(events, 'text_delta').map((delta) => delta.text)).toEqual(['Working on it, this will take a moment']);
    expect(events.at(-1)).toEqual({ type: 'error', message: failure });
    await waitForExit(h.agentOf(session).pid!);
    expect(h.states(session)).toEqual(['idle', 'processing', 'failed']);
  });

  it('a missing login fails the session with how to log in, and ends the process', async () => {
    const h = start();
    const session = await h.create({ prompt: 'not-logged-in' });
    await waitForState(session, 'failed');
    expect(session.snapshot().failure).toContain('Not logged in · Please run /login');
    expect(session.snapshot().failure).toContain(LOGIN_HINT);
    await waitForExit(h.agentOf(session).pid!);
  });

  it('resumes Claude’s session: the id goes to --resume and comes back from init', async () => {
    const h = start();
    const session = await h.resumeSession('resume-me-0123', 'hello again');
    await waitForState(session, 'idle');
    expect(session.snapshot().claude_session_id).toBe('resume-me-0123');
    expect(ofType(h.events(session), 'system')[0]).toMatchObject({ subtype: 'init', session_id: 'resume-me-0123' });
  });

  it('gives the child the server’s environment: PATH, HOME and ANTHROPIC_API_KEY', async () => {
    const home = mkdtempSync(join(tmpdir(), 'vibes-home-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    vi.stubEnv('HOME', home);
    vi.stubEnv('PATH', `${process.env.PATH}:/opt/vibes-test-bin`);
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-test-not-a-real-key');
    cleanups.push(() => {
      vi.unstubAllEnvs();
    });
    // As the server builds it: its own process.env, read when the factory is made.
    const h = start({ env: process.env });
    const session = await h.create({ prompt: 'env' });
    await waitForState(session, 'idle');
    const reply = texts(h.events(session))[0] ?? '';
    const fingerprint = createHash('sha256').update('sk-ant-test-not-a-real-key').digest('hex').slice(0, 16);
    expect(reply).toContain(`PATH=${process.env.PATH}\n`);
    expect(reply).toContain(`HOME=${home}\n`);
    expect(reply).toContain(`ANTHROPIC_API_KEY=sha256:${fingerprint}\n`);
    expect(reply).toContain(`CWD=${h.workDir}\n`);
  });

  it('a session whose Claude cannot be run fails with a readable reason', async () => {
    const h = start({ executable: '/nonexistent/claude' });
    const session = await h.create({ prompt: 'hello' });
    expect(session.state).toBe('failed');
    expect(session.snapshot().failure).toMatch(/Claude could not be started: spawn \/nonexistent\/claude ENOENT/);
    expect(session.snapshot().failure).toContain(EXECUTABLE_HINT);
  });
});

describe('Claude agent on its own', () => {
  it('refuses to start in a directory that does not exist', async () => {
    const events: AgentEvent[] = [];
    const agent = createClaudeAgentFactory({ executable: fakeClaudePath() })(
      { cwd: '/nonexistent/vibes-dir', model: null, permissionMode: 'default', resume: null },
      (event) => events.push(event),
    );
    await expect(agent.start()).rejects.toThrow(/\/nonexistent\/vibes-dir does not exist/);
    await agent.stop();
    expect(events).toEqual([]);
  });

  it('an answer to a request it does not hold is a clear error', async () => {
    const agent = createClaudeAgentFactory({ executable: fakeClaudePath() })({ cwd: tmpdir(), model: null, permissionMode: 'default', resume: null }, () => {});
    cleanups.push(() => agent.stop());
    await agent.start();
    expect(() => agent.answerPermission('nope', { behavior: 'allow' })).toThrow(/not waiting for an answer to permission request nope/);
  });
});
