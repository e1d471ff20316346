import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { endAll, holder, runCli, serverEnv, startCli, warmUp } from './cli-harness.ts';

// The fake Claude's scenario words (lib/fake-claude/README.md).
const ASKS_FOR_BASH = 'please use bash';
const HANGS = 'hang until interrupted';
const FAILS = 'end with error-result';

let server: ServerProcess;
let env: Record<string, string>;
const holders: { close(): void }[] = [];

beforeAll(async () => {
  // A short grace period, so a CLI that leaves hands its sessions on quickly.
  server = await startServerProcess({ env: { VIBES_DISCONNECT_GRACE_MS: '500' } });
  env = serverEnv(server);
  await warmUp(server);
}, 120_000);
// Every case but the first runs side by side with the others on this server, each on sessions of
// its own: their processes end together at the end (an afterEach would end the others').
afterAll(() => endAll(server, holders));

async function heldSession(body: { name?: string; prompt?: string; model?: string } = {}) {
  const client = await holder(server);
  holders.push(client);
  const session = await client.api.createSession({ ...body, cwd: server.home });
  return { ...client, session };
}

const listJson = async () => {
  const result = await runCli(['sessions', 'list', '--json'], env);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { sessions: SessionInfo[] }).sessions;
};

describe('vibes sessions list, before any session exists', () => {
  it('says there are no sessions, with a hint to start one, as a table and as JSON', async () => {
    for (const args of [['sessions', 'list'], ['sessions']]) {
      const result = await runCli(args, env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('No active sessions');
      expect(result.stdout).toContain('vibes claude "your prompt"');
    }
    expect(await listJson()).toEqual([]);
  });
});

describe.concurrent('vibes sessions list', () => {
  it('lists sessions with id, title, project, state, age, owner and viewers, and the hints', async ({ expect }) => {
    const { session } = await heldSession({ name: 'listed one' });
    const { session: unnamed } = await heldSession({ prompt: 'fix the flaky test\nin the parser' });
    const result = await runCli(['sessions', 'list'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ID\s+TITLE\s+PROJECT\s+STATE\s+AGE\s+CONTEXT\s+OWNER\s+VIEWERS/);
    const row = result.stdout.split('\n').find((line) => line.includes(session.id.slice(0, 8)));
    // No turn yet: Claude has not said how full its context is.
    expect(row).toMatch(/listed one\s+\S+\s+● idle\s+\d+s\s+-\s+other\s+1/);
    expect(row).toContain(basename(server.home).slice(0, 10));
    // Without a name, a session is called by its first prompt's first line.
    const unnamedRow = result.stdout.split('\n').find((line) => line.includes(unnamed.id.slice(0, 8)));
    expect(unnamedRow).toContain('fix the flaky test');
    expect(unnamedRow).not.toContain('in the parser');
    expect(result.stdout).not.toContain(session.id);
    expect(result.stdout).toContain('vibes sessions attach <id>');
    expect(result.stdout).toContain('vibes sessions kill <id>');
    expect(result.stdout).not.toContain('\u001b[');
    expect((await listJson()).map((listed) => listed.id)).toContain(session.id);
  });

  it('says what to do when the server refuses the token', async ({ expect }) => {
    const result = await runCli(['sessions', 'list'], serverEnv(server, { VIBES_TOKEN: 'not-the-token' }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('vibes pair');
    const json = await runCli(['sessions', 'list', '--json'], serverEnv(server, { VIBES_TOKEN: 'not-the-token' }));
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });
});

describe.concurrent('vibes claude', () => {
  it('streams a turn, answers a permission inline, shows up in another process, exits 0', async ({ expect }) => {
    const claude = startCli(['claude', ASKS_FOR_BASH, '--name', 'from the cli'], env);
    await claude.waitFor('Claude wants to run a command');
    await claude.waitFor('$ echo hello from the fake Claude');

    const sessions = await listJson();
    const mine = sessions.find((session) => session.name === 'from the cli');
    expect(mine).toMatchObject({ state: 'waiting_permission', subscriber_count: 1 });
    const table = await runCli(['sessions', 'list'], env);
    expect(table.stdout).toMatch(
      new RegExp(`${mine?.id.slice(0, 8)}\\s+from the cli\\s+\\S+\\s+▲ needs approval \\(1\\)\\s+\\d+s\\s+-\\s+you\\s+1`),
    );

    claude.write('a');
    await claude.waitFor('✓ allowed (you)');
    await claude.waitFor('Done: Bash was allowed.');
    claude.endInput();
    expect(await claude.waitForExit()).toBe(0);
    // Streamed text is not printed a second time when the final block arrives.
    expect(claude.stdout.split('Done: Bash was allowed.').length).toBe(2);

    const events = await (await heldSession()).api.events(mine?.id ?? '', {});
    const input = events.events.find((entry) => entry.event.type === 'user_input');
    expect(input?.event).toMatchObject({ source: 'cli', content: ASKS_FOR_BASH });
  });

  it('says once when the context nears the point where Claude compacts it', async ({ expect }) => {
    // The fake fills its context to 75% of a window it compacts at 83.5%; the second turn keeps the console open meanwhile.
    const result = await runCli(['claude', '--name', 'filling up'], env, { input: 'near-limit\nstream 3 chunks every 300ms\n' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('· Context 7').length, result.stdout).toBe(2);
    expect(result.stdout).toContain('· Context 75% full: 150k of 200k tokens. Claude compacts the conversation soon at 83.5%');
  });

  it('exits non-zero when the last turn failed', async ({ expect }) => {
    const result = await runCli(['claude', FAILS], env);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('turn failed');
  });

  it('takes the first message from stdin without a prompt, and prints JSON events with --json', async ({ expect }) => {
    const result = await runCli(['claude', '--json'], env, { input: 'hello from a pipe\n' });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; event?: { type: string } });
    expect(lines.every((line) => typeof line.type === 'string')).toBe(true);
    const kinds = lines.flatMap((line) => (line.type === 'session_event' && line.event ? [line.event.type] : []));
    expect(kinds).toContain('user_input');
    expect(kinds).toContain('text_delta');
    expect(kinds.at(-1)).toBe('turn_complete');
  });

  it('interrupts the running turn on Ctrl-C and leaves on the second', async ({ expect }) => {
    const claude = startCli(['claude', HANGS], env);
    await claude.waitFor('claude started');
    claude.signal('SIGINT');
    await claude.waitFor('Interrupting');
    await claude.waitFor(/turn failed|✓ done/);
    claude.signal('SIGINT');
    expect(await claude.waitForExit()).not.toBe(0);
  });

  it('hands ownership to an attached second process when it leaves', async ({ expect }) => {
    // A watcher that holds no session: it learns the session's id from the stream, not from more `vibes` processes.
    const watcher = await holder(server);
    holders.push(watcher);
    const claude = startCli(['claude', 'say hello', '--name', 'handover'], env);
    const { session } = await watcher.stream.waitForEvent('session_updated', (event) => event.session.name === 'handover');
    await claude.waitFor('✓ done');
    const attach = startCli(['sessions', 'attach', session.id.slice(0, 6)], env);
    await attach.waitFor(`session ${session.id.slice(0, 8)}`);

    claude.signal('SIGINT');
    await claude.waitFor('Ctrl-C again to leave');
    claude.signal('SIGINT');
    expect(await claude.waitForExit()).toBe(0);

    await attach.waitFor('You now own this session.');
    expect((await watcher.api.getSession(session.id)).subscriber_count).toBe(1);
  });
});

describe.concurrent('vibes sessions attach', () => {
  it('streams live events, sends input lines, answers a permission, and exits when the session is killed', async ({ expect }) => {
    const { api, session } = await heldSession({ name: 'attach me' });
    const attach = startCli(['sessions', 'attach', session.id.slice(0, 6)], env);
    await attach.waitFor(`session ${session.id.slice(0, 8)} "attach me"`);
    await expect.poll(async () => (await api.getSession(session.id)).subscriber_count).toBe(2);

    attach.write(ASKS_FOR_BASH);
    await attach.waitFor('Claude wants to run a command');
    attach.write('a');
    await attach.waitFor('✓ allowed (you)');
    await attach.waitFor('Done: Bash was allowed.');
    const { events } = await api.events(session.id, {});
    expect(events.find((entry) => entry.event.type === 'user_input')?.event).toMatchObject({ content: ASKS_FOR_BASH, source: 'cli' });

    await api.kill(session.id);
    await attach.waitFor('This session was killed. (killed)');
    expect(await attach.waitForExit()).toBe(0);
  });

  it('shows what happened before it attached, and a permission already waiting', async ({ expect }) => {
    const { stream, session } = await heldSession({ prompt: ASKS_FOR_BASH });
    await stream.waitForEvent(
      'session_updated',
      (event) => event.session.id === session.id && event.session.state === 'waiting_permission',
    );
    const attach = startCli(['sessions', 'attach', session.id], env);
    await attach.waitFor('Claude wants to run a command');
    expect(attach.stdout).toContain(`› ${ASKS_FOR_BASH}`);
    attach.write('d');
    await attach.waitFor('✗ denied (you)');
    await attach.waitFor('Done: Bash was denied.');
    expect(attach.stdout.split('Claude wants to run a command').length).toBe(2);
  });

  it('prints one JSON object per event with --json', async ({ expect }) => {
    const { stream, session } = await heldSession();
    const attach = startCli(['sessions', 'attach', session.id, '--json'], env);
    await stream.waitForEvent('session_updated', (event) => event.session.id === session.id && event.session.subscriber_count === 2);
    attach.write('hello there');
    await attach.waitFor('"turn_complete"');
    attach.signal('SIGINT');
    await attach.waitFor('Ctrl-C again to leave');
    attach.signal('SIGINT');
    await attach.waitForExit();
    const lines = attach.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; session_id?: string });
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.filter((line) => line.type === 'session_event').every((line) => line.session_id === session.id)).toBe(true);
  });
});

describe.concurrent('text from the server in the terminal', () => {
  it('reaches stdout without its control sequences, in sessions list and sessions attach', async ({ expect }) => {
    // A clipboard write (OSC 52), a screen clear and a window title, in a prompt (the title) and a model name.
    const hostile = '\u001b]52;c;cm0gLXJmIH4K\u0007\u001b[2J\u001b]0;pwned\u001b\\';
    const { api, session } = await heldSession({ prompt: `clip${hostile} me`, model: `mod${hostile}el` });
    expect((await api.getSession(session.id)).title).toContain('\u001b]52');

    const list = await runCli(['sessions', 'list'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('clip me');
    // --json stays data: the title as the server has it, escaped by JSON.
    const json = await runCli(['sessions', 'list', '--json'], env);
    expect((JSON.parse(json.stdout) as { sessions: SessionInfo[] }).sessions.find((listed) => listed.id === session.id)?.title).toContain(
      '\u001b]52',
    );
    const attach = startCli(['sessions', 'attach', session.id], env);
    await attach.waitFor('› clip me');
    await api.kill(session.id);
    await attach.waitFor('This session was killed.');
    await attach.waitForExit();
    expect(attach.stdout).toContain(`session ${session.id.slice(0, 8)} "clip me"`);
    for (const output of [list.stdout, attach.stdout, attach.stderr]) {
      // NO_COLOR is set: not one escape, bell or other control character may reach the terminal.
      // eslint-disable-next-line no-control-regex
      expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });
});

describe.concurrent('vibes sessions kill', () => {
  it('kills, waits for the confirmation and says so', async ({ expect }) => {
    const { stream, session } = await heldSession({ name: 'doomed' });
    const result = await runCli(['sessions', 'kill', session.id.slice(0, 5)], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`Session ${session.id} "doomed" terminated (killed)`);
    await stream.waitForEvent('session_removed', (event) => event.session_id === session.id && event.reason === 'killed');
    expect((await listJson()).map((listed) => listed.id)).not.toContain(session.id);
  });

  it('answers one JSON document with --json', async ({ expect }) => {
    const { session } = await heldSession();
    const result = await runCli(['sessions', 'kill', session.id, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ session_id: session.id, reason: 'killed' });
  });
});

describe.concurrent('session ids', () => {
  it('an unknown id is exit 1 with a clear message, for kill and attach', async ({ expect }) => {
    for (const command of ['kill', 'attach']) {
      const result = await runCli(['sessions', command, 'ffffffff-no-such-session'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('No session matches "ffffffff-no-such-session"');
      expect(result.stderr).toContain('vibes sessions list');
    }
    const json = await runCli(['sessions', 'kill', 'nope', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('an ambiguous prefix is an error that lists the matches', async ({ expect }) => {
    const client = await holder(server);
    holders.push(client);
    // Seventeen ids cannot all start with different hex digits.
    const byFirst = new Map<string, string[]>();
    let clash: string[] | undefined;
    for (let i = 0; i < 17 && !clash; i++) {
      const { id } = await client.api.createSession({ cwd: server.home });
      const peers = [...(byFirst.get(id[0] ?? '') ?? []), id];
      byFirst.set(id[0] ?? '', peers);
      if (peers.length === 2) clash = peers;
    }
    const prefix = clash?.[0]?.[0] ?? '';
    const result = await runCli(['sessions', 'kill', prefix], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`"${prefix}" is ambiguous`);
    for (const id of clash ?? []) expect(result.stderr).toContain(id);
    for (const ids of byFirst.values()) for (const id of ids) await client.api.kill(id);
  });
});

describe.concurrent('history and resume', () => {
  it('list --all shows ended sessions with why they ended; resume continues one and attaches to it', async ({ expect }) => {
    const { api, session } = await heldSession({ name: 'history one', prompt: 'hello' });
    await expect.poll(async () => (await api.getSession(session.id)).claude_session_id).not.toBeNull();
    await expect.poll(async () => (await api.getSession(session.id)).state).toBe('idle');
    const claudeSessionId = (await api.getSession(session.id)).claude_session_id;
    await api.kill(session.id);

    const table = await runCli(['sessions', 'list', '--all'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/ENDED SESSIONS \(\d+\)/);
    expect(table.stdout).toMatch(/ID\s+TITLE\s+PROJECT\s+STATE\s+AGE\s+ENDED\s+WHY/);
    const row = table.stdout.split('\n').find((line) => line.includes(session.id.slice(0, 8)));
    expect(row).toMatch(/history one\s+\S+\s+○ finished\s+\d+s\s+\d+s ago\s+killed/);
    expect(table.stdout).toContain('vibes sessions resume <id>');
    const json = await runCli(['sessions', 'list', '--all', '--json'], env);
    const listed = JSON.parse(json.stdout) as { sessions: SessionInfo[]; ended: SessionInfo[] };
    expect(listed.ended.find((ended) => ended.id === session.id)).toMatchObject({ end_reason: 'killed', state: 'finished' });
    expect(listed.sessions.map((live) => live.id)).not.toContain(session.id);

    const resume = startCli(['sessions', 'resume', session.id.slice(0, 7)], env);
    await resume.waitFor(`Resumed session ${session.id}.`);
    await resume.waitFor('› hello');
    await expect.poll(async () => (await api.getSession(session.id)).ended_at).toBeNull();
    resume.write('once more');
    await resume.waitFor('You said: "once more"');
    expect(await api.getSession(session.id)).toMatchObject({
      claude_session_id: claudeSessionId,
      owner_id: expect.stringMatching(/^cli-/),
    });

    await api.subscribe(session.id);
    await api.kill(session.id);
    await resume.waitFor('This session was killed. (killed)');
    expect(await resume.waitForExit()).toBe(0);
  });

  it('resume of a session that is running is refused with a clear message', async ({ expect }) => {
    const { session } = await heldSession();
    const result = await runCli(['sessions', 'resume', session.id], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Session ${session.id} is running: attach to it with \`vibes sessions attach ${session.id.slice(0, 8)}\``,
    );
  });
});
