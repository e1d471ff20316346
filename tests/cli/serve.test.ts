import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { projectVersion } from '../../lib/local/project-root.ts';
import { isAlive } from '../support/processes.ts';
import { cliEnv, freePort, killAllClis, runCli, startCli } from './cli-harness.ts';

interface Recorded {
  pid: number;
  url: string;
  port: number;
}

const homes: string[] = [];
const pids: number[] = [];

function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'vibes-cli-'));
  homes.push(home);
  return home;
}

function recorded(home: string): Recorded {
  const record = JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as Recorded;
  pids.push(record.pid);
  return record;
}

// The cases run side by side, each with a home and a port of its own: what they leave running
// ends at the end (an afterEach would end the others').
afterAll(async () => {
  await killAllClis();
  // A background server a failed test left behind must not outlive the suite.
  for (const pid of pids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe.concurrent('a background server', () => {
  it('is started by any command when none answers, then `serve status` and `serve stop` manage it', async ({ expect }) => {
    const home = tempHome();
    const port = await freePort();
    const env = cliEnv({ VIBES_HOME: home, VIBES_PORT: String(port), VIBES_DEMO: '1' });

    const list = await runCli(['sessions', 'list'], env, { timeoutMs: 25_000 });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stderr).toContain(`no server at http://127.0.0.1:${port}, starting one in the background`);
    expect(list.stdout).toContain('No active sessions');
    const record = recorded(home);
    expect(record).toMatchObject({ url: `http://127.0.0.1:${port}`, port });
    expect(isAlive(record.pid)).toBe(true);
    expect(readFileSync(join(home, 'server.log'), 'utf8')).toContain('listening on');

    const status = await runCli(['serve', 'status'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`vibes server running at http://127.0.0.1:${port}, in the background (pid ${record.pid})`);
    const json = await runCli(['serve', 'status', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ running: true, background: true, pid: record.pid, sessions: 0 });

    const stop = await runCli(['serve', 'stop'], env);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain(`Stopped the vibes server at http://127.0.0.1:${port} (pid ${record.pid})`);
    expect(isAlive(record.pid)).toBe(false);
    expect(existsSync(join(home, 'server.json'))).toBe(false);

    const after = await runCli(['serve', 'status'], env);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('No vibes server is running');
    expect((await runCli(['serve', 'stop'], env)).stdout).toContain('No background vibes server is running');
  });

  it('`serve --detach` records where it runs, and the other commands find it there', async ({ expect }) => {
    const home = tempHome();
    const env = cliEnv({ VIBES_HOME: home, VIBES_NO_AUTOSTART: '1' });
    const detach = await runCli(['serve', '--detach', '--port', '0', '--demo'], env, { timeoutMs: 40_000 });
    expect(detach.code, detach.stderr).toBe(0);
    const record = recorded(home);
    expect(detach.stdout).toContain(`server started at ${record.url} (pid ${record.pid})`);
    expect(detach.stdout).toMatch(/Open the dashboard: http:\/\/127\.0\.0\.1:\d+\/\?code=[0-9A-Z]{4}-[0-9A-Z]{4}&key=[\w-]{22} /);

    const list = await runCli(['sessions', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ sessions: [] });
    expect((await runCli(['serve', '--detach'], env)).stdout).toContain(`server already running at ${record.url}`);

    expect((await runCli(['serve', 'stop', '--json'], env)).stdout).toContain(`"pid": ${record.pid}`);
    expect(isAlive(record.pid)).toBe(false);
  });

  it('--version answers without a server, in the same words as oclif’s own version flag', async ({ expect }) => {
    const quick = await runCli(['--version'], cliEnv({ VIBES_HOME: tempHome() }));
    // `--version` with another flag goes the long way, through oclif.
    const throughOclif = await runCli(['--version', '--no-autostart'], cliEnv({ VIBES_HOME: tempHome() }));
    expect(quick.code).toBe(0);
    expect(quick.stdout).toBe(`vibes/${projectVersion()} ${process.platform}-${process.arch} node-${process.version}\n`);
    expect(throughOclif.stdout).toBe(quick.stdout);
  });

  it('without autostart, says that no server answers and what to do', async ({ expect }) => {
    const home = tempHome();
    const port = await freePort();
    for (const [args, env] of [
      [['sessions', 'list', '--no-autostart'], cliEnv({ VIBES_HOME: home, VIBES_PORT: String(port) })],
      [['sessions', 'list'], cliEnv({ VIBES_HOME: home, VIBES_PORT: String(port), VIBES_NO_AUTOSTART: '1' })],
    ] as const) {
      const result = await runCli([...args], { ...env });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`No vibes server answers at http://127.0.0.1:${port}`);
      expect(result.stderr).toContain('vibes serve --detach');
    }
    expect(existsSync(join(home, 'server.json'))).toBe(false);
  });
});

describe.concurrent('vibes serve in the foreground', () => {
  it('prints its URL with a pairing code, records itself while it runs, and exits 0 on Ctrl-C', async ({ expect }) => {
    const home = tempHome();
    const serve = startCli(['serve', '--port', '0', '--demo'], cliEnv({ VIBES_HOME: home }));
    const [, url] = await serve.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    await serve.waitFor(/\/\?code=[0-9A-Z]{4}-[0-9A-Z]{4}/);
    await expect.poll(() => existsSync(join(home, 'server.json'))).toBe(true);
    expect(recorded(home).url).toBe(url);

    const list = await runCli(['sessions', 'list'], cliEnv({ VIBES_HOME: home, VIBES_NO_AUTOSTART: '1' }));
    expect(list.code, list.stderr).toBe(0);

    serve.signal('SIGINT');
    expect(await serve.waitForExit(15_000)).toBe(0);
    expect(existsSync(join(home, 'server.json'))).toBe(false);
  });
});
