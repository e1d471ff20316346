import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { isAlive } from '../support/processes.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { cliEnv, freePort, holder, killAllClis, runCli, serverEnv, startCli, warmUp } from './cli-harness.ts';

// What a newcomer meets first (issue 17). The server's real Claude cannot start, as on a machine
// without a Claude account: only demo sessions answer. Its grace period is the default five
// minutes, so anything that happens at once here is not the grace running out.
const NO_CLAUDE = '/nonexistent/claude';
const ASKS_FOR_BASH = 'please use bash';

let server: ServerProcess;
let env: Record<string, string>;
const holders: { close(): void }[] = [];
const homes: string[] = [];
const pids: number[] = [];

beforeAll(async () => {
  server = await startServerProcess({ env: { VIBES_DEMO: '0', VIBES_CLAUDE_PATH: NO_CLAUDE } });
  env = serverEnv(server);
  await warmUp(server);
}, 120_000);
// The cases run side by side, each with sessions, homes and servers of its own: what they leave
// running ends at the end (an afterEach would end the others').
afterAll(async () => {
  await killAllClis();
  for (const client of holders.splice(0)) client.close();
  for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
  await server?.stop();
});

const listJson = async (all = false) => {
  const result = await runCli(['sessions', 'list', '--json', ...(all ? ['--all'] : [])], env);
  expect(result.code, result.stderr).toBe(0);
  const listed = JSON.parse(result.stdout) as { sessions: SessionInfo[]; ended?: SessionInfo[] };
  return [...listed.sessions, ...(listed.ended ?? [])];
};

async function watcher(target = server) {
  const client = await holder(target);
  holders.push(client);
  return client;
}

describe.concurrent('vibes claude --demo', () => {
  it('runs the fake Claude on a server whose sessions are otherwise real', async ({ expect }) => {
    const result = await runCli(['claude', '--demo', '--name', 'try-demo', 'hello there'], env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('You said');
    expect(result.stdout).toContain('demo (the fake Claude answers)');
    const session = (await listJson(true)).find((listed) => listed.name === 'try-demo');
    expect(session?.demo).toBe(true);

    const real = await runCli(['claude', '--name', 'try-real', 'hello there'], env);
    expect(real.code).not.toBe(0);
  });
});

describe.concurrent('autostart (item 1)', () => {
  it('starts the server the way the user last ran it, and says how, where and where it logs', async ({ expect }) => {
    const home = mkdtempSync(join(tmpdir(), 'vibes-autostart-'));
    homes.push(home);
    const port = await freePort();
    const userEnv = cliEnv({ VIBES_HOME: home, VIBES_CLAUDE_PATH: NO_CLAUDE });
    const detach = await runCli(['serve', '--detach', '--port', String(port), '--demo'], userEnv, { timeoutMs: 40_000 });
    expect(detach.code, detach.stderr).toBe(0);
    pids.push((JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as { pid: number }).pid);
    expect((await runCli(['serve', 'stop'], userEnv)).code).toBe(0);

    const claude = await runCli(['claude', '--name', 'after-autostart', 'hello'], userEnv, { timeoutMs: 40_000 });
    const record = JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as { pid: number; url: string };
    pids.push(record.pid);
    expect(claude.code, claude.stdout + claude.stderr).toBe(0);
    expect(record.url).toBe(`http://127.0.0.1:${port}`);
    expect(claude.stderr).toContain(`started a server in the background at http://127.0.0.1:${port}`);
    expect(claude.stderr).toContain('new sessions are demos (the fake Claude answers)');
    expect(claude.stderr).toContain(`Log: ${join(home, 'server.log')}`);
    expect(claude.stdout).toContain('You said');
    expect((await runCli(['serve', 'stop'], userEnv)).code).toBe(0);
  }, 90_000);
});

describe.concurrent('leaving on purpose (item 2)', () => {
  it('end of input hands the session to the other watcher at once, not after the grace period', async ({ expect }) => {
    const other = await watcher();
    const claude = startCli(['claude', '--demo', '--name', 'handover-now'], env);
    claude.write('hello');
    await claude.waitFor('✓ done');
    const session = (await listJson()).find((listed) => listed.name === 'handover-now');
    await other.api.subscribe(session?.id ?? '');
    claude.endInput();
    expect(await claude.waitForExit()).toBe(0);
    await other.stream.waitForEvent('ownership_transferred', (event) => event.session_id === session?.id);
    const after = (await listJson()).find((listed) => listed.id === session?.id);
    expect(after).toMatchObject({ owner_id: other.stream.clientId, subscriber_count: 1 });
  });

  it('a session nobody else watches ends when its terminal leaves', async ({ expect }) => {
    const result = await runCli(['claude', '--demo', '--name', 'alone'], env, { input: 'hello\n' });
    expect(result.code, result.stderr).toBe(0);
    expect((await listJson()).some((listed) => listed.name === 'alone')).toBe(false);
    expect((await listJson(true)).find((listed) => listed.name === 'alone')).toMatchObject({ end_reason: 'owner_disconnected' });
  });
});

describe.concurrent('a server outage under attach (item 3)', () => {
  it('reports the outage once, and after the restart says at once that the session ended', async ({ expect }) => {
    const home = mkdtempSync(join(tmpdir(), 'vibes-outage-'));
    homes.push(home);
    const port = await freePort();
    const options = { home, tokenFile: true, args: ['--port', String(port)], env: { VIBES_DEMO: '1' } };
    const first = await startServerProcess(options);
    const other = await watcher(first);
    const session = await other.api.createSession({ name: 'outage', cwd: home, prompt: 'hello' });
    await other.stream.waitForEvent('session_event', (event) => event.session_id === session.id && event.event.type === 'turn_complete');
    const attach = startCli(['sessions', 'attach', session.id], serverEnv(first));
    // The transcript so far is printed once attached.
    await attach.waitFor('✓ done');
    other.close();
    await first.stop({ keepHome: true });
    await attach.waitFor('connection to the server lost');

    const second = await startServerProcess(options);
    try {
      await attach.waitFor(/ended when the server was stopped/, 30_000);
      await attach.waitFor(`vibes sessions resume ${session.id.slice(0, 8)}`);
      expect(await attach.waitForExit()).toBe(0);
      expect(attach.output.split('connection to the server lost').length).toBe(2);
      expect(attach.output).not.toContain('reconnected');
    } finally {
      await second.stop();
    }
    // Two server starts, beside the other cases: a busy machine needs the room.
  }, 90_000);
});

describe.concurrent('a piped vibes claude with a decision waiting (item 4)', () => {
  it('says on stderr what waits and how to answer, and takes the answer from its input', async ({ expect }) => {
    const claude = startCli(['claude', '--demo', ASKS_FOR_BASH], env);
    await claude.waitFor(/waiting for a decision in session ([0-9a-f]{8})/);
    expect(claude.stderr).toMatch(
      /write "a" \(allow\) or "d" \(deny\) to this command's input, or run `vibes sessions attach [0-9a-f]{8}`/,
    );
    claude.write('a');
    await claude.waitFor('✓ done');
    claude.endInput();
    expect(await claude.waitForExit()).toBe(0);
  });
});

describe.concurrent('attach (items 5 and 10)', () => {
  it('on an ended session points to resume', async ({ expect }) => {
    const other = await watcher();
    const session = await other.api.createSession({ demo: true, cwd: server.home });
    await other.api.kill(session.id);
    const result = await runCli(['sessions', 'attach', session.id.slice(0, 8)], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Session ${session.id.slice(0, 8)} has ended (killed). Continue it with \`vibes sessions resume ${session.id.slice(0, 8)}\``,
    );
  });

  it('names the state in words in its header', async ({ expect }) => {
    const other = await watcher();
    const session = await other.api.createSession({ demo: true, cwd: server.home, prompt: ASKS_FOR_BASH });
    await other.stream.waitForEvent(
      'session_updated',
      (event) => event.session.id === session.id && event.session.state === 'waiting_permission',
    );
    const attach = startCli(['sessions', 'attach', session.id], env);
    await attach.waitFor('Needs approval');
    expect(attach.stdout).not.toContain('waiting_permission');
  });
});

describe.concurrent('oclif conventions (item 10)', () => {
  it('--help lists every command once, subcommands included', async ({ expect }) => {
    const help = await runCli(['--help'], cliEnv());
    expect(help.code).toBe(0);
    expect(help.stdout).not.toContain('TOPICS');
    const listed = help.stdout
      .split('\n')
      .map((line) => /^ {2}([a-z]+(?: [a-z]+)?) {2,}/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(expect.arrayContaining(['token rotate', 'sessions attach', 'sessions kill', 'serve', 'serve stop', 'claude']));
  });

  it('a mistyped command gets a suggestion', async ({ expect }) => {
    const typo = await runCli(['sesions', 'list'], cliEnv());
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('"sesions list" is not a vibes command. Did you mean `vibes sessions list`?');
    expect(typo.stderr).not.toContain('sesions:list');
  });
});
