import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangedFile, RewindResponse, TranscriptEntry } from '../../lib/protocol/index.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { tempRepo } from '../support/git-repo.ts';
import { holder, killAllClis, runCli, serverEnv } from './cli-harness.ts';

let server: ServerProcess;
let env: Record<string, string>;
const holders: { close(): void }[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  env = serverEnv(server);
});
afterAll(async () => {
  await killAllClis();
  for (const client of holders.splice(0)) client.close();
  await server?.stop();
});

async function heldSession(cwd: string, prompt?: string) {
  const client = await holder(server);
  holders.push(client);
  const session = await client.api.createSession({ cwd, ...(prompt ? { prompt } : {}) });
  return { ...client, session };
}

describe('vibes sessions diff', () => {
  it('shows the diffs, a --stat summary, and --json files against the session’s start', async () => {
    const root = tempRepo({ 'src/a.ts': 'one\ntwo\n', 'README.md': 'hi\n' });
    writeFileSync(join(root, 'src/a.ts'), 'one\n2\nthree\n');
    writeFileSync(join(root, 'new.txt'), 'fresh\n');
    const { session } = await heldSession(root);
    const prefix = session.id.slice(0, 8);

    const json = await runCli(['sessions', 'diff', prefix, '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const files = JSON.parse(json.stdout) as ChangedFile[];
    expect(files.map(({ path, status, additions, deletions }) => ({ path, status, additions, deletions }))).toEqual([
      { path: 'new.txt', status: 'untracked', additions: 1, deletions: 0 },
      { path: 'src/a.ts', status: 'modified', additions: 2, deletions: 1 },
    ]);

    const stat = await runCli(['sessions', 'diff', prefix, '--stat'], env);
    expect(stat.code, stat.stderr).toBe(0);
    expect(stat.stdout).toMatch(/src\/a\.ts\s+\| \+2 -1 modified/);
    expect(stat.stdout).toContain('2 files changed, 3 insertions(+), 1 deletions(-)');

    const diff = await runCli(['sessions', 'diff', prefix], env);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('+++ b/src/a.ts');
    expect(diff.stdout).toContain('-two\n+2\n+three');
    expect(diff.stdout).toContain('+fresh');
  });

  it('outside git says so, and lists only what Claude’s edit tools wrote (nothing here)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'vibes-cli-nogit-'));
    writeFileSync(join(folder, 'notes.txt'), 'by hand\n');
    const { session } = await heldSession(folder);
    const result = await runCli(['sessions', 'diff', session.id.slice(0, 8), '--stat'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('is not in a git repository: only the files Claude');
    expect(result.stdout).toContain('No changes.');
    const json = await runCli(['sessions', 'diff', session.id.slice(0, 8), '--json'], env);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it('refuses an unknown session', async () => {
    const result = await runCli(['sessions', 'diff', 'no-such-session', '--json'], env);
    expect(result.code).not.toBe(0);
  });
});

describe('vibes sessions rewind', () => {
  it('--dry-run shows what would change; a rewind needs --yes without a terminal, then is recorded', async () => {
    const { session, api } = await heldSession(server.home, 'hello');
    await expect.poll(async () => (await api.getSession(session.id)).state).toBe('idle');
    const prefix = session.id.slice(0, 8);

    const dry = await runCli(['sessions', 'rewind', prefix, '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    const preview = JSON.parse(dry.stdout) as RewindResponse;
    expect(preview).toMatchObject({ dry_run: true, can_rewind: true, files_changed: [] });

    const unconfirmed = await runCli(['sessions', 'rewind', prefix], env);
    expect(unconfirmed.code).not.toBe(0);
    expect(unconfirmed.stderr).toContain('--yes');

    const done = await runCli(['sessions', 'rewind', prefix, '--to', preview.to, '--yes'], env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('Rewound');
    const events: TranscriptEntry[] = (await api.events(session.id, { limit: 1000 })).events;
    expect(events.at(-1)?.event).toMatchObject({ type: 'system', subtype: 'rewind', to_message_id: preview.to });
  });

  it('says plainly when there is nothing to rewind to', async () => {
    const { session } = await heldSession(server.home);
    const result = await runCli(['sessions', 'rewind', session.id.slice(0, 8), '--dry-run'], env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no message to rewind to/i);
  });
});
