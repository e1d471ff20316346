import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CliProcess, cliEnv, freePort } from '../cli/cli-harness.ts';
import { PROJECT_ROOT } from '../support/server-process.ts';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'vibes-pack-'));
const prefix = join(work, 'prefix');
const installed = join(prefix, 'lib', 'node_modules', 'vibes');
const vibes = join(prefix, 'bin', 'vibes');
let tarball = '';
const running: CliProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((cli) => cli.kill()));
  rmSync(work, { recursive: true, force: true });
});

const npm = (args: string[], timeoutMs: number) =>
  run('npm', args, {
    cwd: PROJECT_ROOT,
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

// What `npm install -g ./vibes-*.tgz && vibes serve` gives a user: the globalSetup has built the
// server, the dashboard and the command manifest, which the tarball must carry.
describe('the packed package', () => {
  it('holds the built server, dashboard and CLI, and no sources or tests', async () => {
    const { stdout } = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], 120_000);
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[]; size: number; unpackedSize: number }[];
    tarball = join(work, packed?.filename ?? '');
    const paths = new Set(packed?.files.map((file) => file.path));
    for (const path of [
      'cli/bin/run.js',
      'dist/lib/server/main.js',
      'dist/cli/vibes.js',
      '.next/BUILD_ID',
      'oclif.manifest.json',
      'lib/fake-claude/fake-claude.mjs',
      'package.json',
    ])
      expect(paths, path).toContain(path);
    const unwanted = [...paths].filter(
      (path) => /^(tests|app|scripts|\.next\/cache|node_modules)\//.test(path) || (path.endsWith('.ts') && !path.endsWith('.d.ts')),
    );
    expect(unwanted).toEqual([]);
    console.log(
      `[pack] ${packed?.files.length} files, ${Math.round((packed?.size ?? 0) / 1024)} KB packed, ${Math.round((packed?.unpackedSize ?? 0) / 1024)} KB unpacked`,
    );
  });

  it('installs globally with only its runtime dependencies, and `vibes serve` runs from there with no build step', async () => {
    expect(tarball).not.toBe('');
    const installStart = performance.now();
    // Scripts off: better-sqlite3 would compile for minutes on a machine without its prebuilt
    // binary; the addon built for this checkout stands in for it (same Node, same version).
    await npm(['install', '-g', '--prefix', prefix, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', tarball], 300_000);
    const installMs = performance.now() - installStart;
    const addon = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    mkdirSync(join(installed, 'node_modules', 'better-sqlite3', 'build', 'Release'), { recursive: true });
    copyFileSync(join(PROJECT_ROOT, addon), join(installed, addon));
    for (const devOnly of ['vitest', 'typescript', '@playwright/test', 'tsx', 'eslint'])
      expect(existsSync(join(installed, 'node_modules', devOnly)), devOnly).toBe(false);

    const home = join(work, 'home');
    const env = cliEnv({ VIBES_HOME: home, PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}` });
    const version = await run(vibes, ['--version'], { env: env as NodeJS.ProcessEnv, timeout: 30_000, encoding: 'utf8' });
    expect(version.stdout).toContain('vibes/0.1.0');

    const port = await freePort();
    const startAt = performance.now();
    const serve = new CliProcess(['serve', '--port', String(port)], env, { bin: vibes, cwd: work });
    running.push(serve);
    await serve.waitFor(/sign in a browser with/, 60_000);
    const url = `http://127.0.0.1:${port}`;
    const token = readFileSync(join(home, 'token'), 'utf8').trim();
    const sessions = await fetch(`${url}/api/sessions`, { headers: { Authorization: `Bearer ${token}` } });
    expect(sessions.status).toBe(200);
    expect(await sessions.json()).toEqual({ sessions: [] });
    const page = await fetch(`${url}/`, { headers: { Authorization: `Bearer ${token}` } });
    const firstPageMs = performance.now() - startAt;
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/_next/static/');
    console.log(
      `[pack] npm install -g of the tarball: ${(installMs / 1000).toFixed(1)} s (scripts off, npm cache warm); vibes serve to its first page: ${(firstPageMs / 1000).toFixed(1)} s`,
    );
    await replaysEveryCapture(url, token);
    serve.signal('SIGINT');
    expect(await serve.waitForExit(15_000)).toBe(0);
  });
});

/**
 * The demo's `replay <capture>` from the installed package: the fake Claude runs from dist/, and
 * each capture the package ships must be found and played (its first frames reach the transcript).
 */
async function replaysEveryCapture(url: string, token: string): Promise<void> {
  const captures = readdirSync(join(installed, 'lib', 'fake-claude', 'captures')).filter((file) => file.endsWith('.jsonl'));
  const names = [...new Set(captures.map((file) => file.replace(/\.(stdout|wire)\.jsonl$/, '')))];
  expect(names.length).toBeGreaterThan(0);
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Vibes-Client-Id': 'pack-test' };
  for (const name of names) {
    const created = await fetch(`${url}/api/sessions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ prompt: `replay ${name}`, demo: true }),
    });
    expect(created.status, name).toBe(201);
    const { session } = (await created.json()) as { session: { id: string } };
    // Played: something of the capture follows the prompt; a missing capture fails the session instead.
    await expect
      .poll(
        async () => {
          const page = (await (await fetch(`${url}/api/sessions/${session.id}/events`, { headers })).json()) as {
            events: { event: { type: string } }[];
          };
          return page.events.some((entry) => entry.event.type !== 'user_input');
        },
        { timeout: 30_000, message: `replay ${name}` },
      )
      .toBe(true);
    const info = (await (await fetch(`${url}/api/sessions/${session.id}`, { headers })).json()) as { session: { failure: string | null } };
    expect(info.session.failure ?? '', name).not.toContain('no capture');
  }
}
