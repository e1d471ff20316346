import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClaudeAgentFactory, EXECUTABLE_HINT, fakeClaudePath } from '../../../lib/core/claude/index.ts';
import type { AgentEvent, VibesError } from '../../../lib/core/index.ts';
import type { TranscriptEvent } from '../../../lib/protocol/index.ts';
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
  it('keeps one process between turns; each turn shows its own cost and the session their sum', async () => {
    const h = start();
    const session = await h.create({ prompt: 'hello' });
    await waitForState(session, 'idle');
    const pid = h.agentOf(session).pid;
    h.send(session, 'again');
    await waitForState(session, 'idle');
    expect(h.agentOf(session).pid).toBe(pid);
    expect(texts(h.events(session))).toEqual(['You said: "hello".', 'You said: "again".']);
    // The fake Claude, like Claude Code, reports a running total per process: 0.0125, then 0.025.
    expect(ofType(h.events(session), 'turn_complete').map((event) => event.cost_usd)).toEqual([0.0125, 0.0125]);
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

  it('asks for two calls of one message one after the other, as the real CLI does', async () => {
    const h = start();
    const session = await h.create({ prompt: 'two-permissions' });
    await waitForState(session, 'waiting_permission');
    const [bash] = session.snapshot().pending_permissions;
    expect(session.snapshot().pending_permissions.map((request) => request.tool_name)).toEqual(['Bash']);
    session.answerPermission(bash!.request_id, { behavior: 'deny' }, OWNER);
    await waitFor(() => session.snapshot().pending_permissions[0]?.tool_name === 'Edit', 'the Edit request');
    session.answerPermission(session.snapshot().pending_permissions[0]!.request_id, { behavior: 'allow' }, OWNER);
    await waitForState(session, 'idle');

    const results = ofType(h.events(session), 'tool_result');
    expect(results.map((result) => result.is_error)).toEqual([true, false]);
    expect(texts(h.events(session)).at(-1)).toBe('Done: Bash was denied, Edit was allowed.');
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
      {
        type: 'permission_resolved',
        request_id: request!.request_id,
        behavior: 'deny',
        client_id: 'claude',
        message: 'Claude withdrew this request.',
      },
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
    expect(ofType(h.events(session), 'turn_complete')[0]).toMatchObject({
      is_error: true,
      result: expect.stringContaining('error-result') as string,
    });
    h.send(session, 'are you there');
    await waitFor(() => ofType(h.events(session), 'turn_complete').length === 2, 'a second turn');
    expect(session.state).toBe('idle');
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
      { cwd: '/nonexistent/vibes-dir', model: null, permissionMode: 'default', resume: null, demo: false },
      (event) => events.push(event),
    );
    await expect(agent.start()).rejects.toThrow(/\/nonexistent\/vibes-dir does not exist/);
    await agent.stop();
    expect(events).toEqual([]);
  });

  it('an answer to a request it does not hold is a clear error', async () => {
    const agent = createClaudeAgentFactory({ executable: fakeClaudePath() })(
      { cwd: tmpdir(), model: null, permissionMode: 'default', resume: null, demo: false },
      () => {},
    );
    cleanups.push(() => agent.stop());
    await agent.start();
    expect(() => agent.answerPermission('nope', { behavior: 'allow' })).toThrow(/not waiting for an answer to permission request nope/);
  });
});
