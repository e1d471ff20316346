import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { holder, killAllClis, runCli, serverEnv } from './cli-harness.ts';

let server: ServerProcess;
let env: Record<string, string>;
const holders: { close(): void }[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  env = serverEnv(server);
}, 120_000);
afterAll(async () => {
  await killAllClis();
  for (const client of holders.splice(0)) client.close();
  await server?.stop();
});

async function heldSession(name: string) {
  const client = await holder(server);
  holders.push(client);
  return { ...client, session: await client.api.createSession({ name, cwd: server.home }) };
}

async function cli(args: string[]) {
  const result = await runCli(args, env);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

const listed = async (...args: string[]) =>
  JSON.parse(await cli(['sessions', 'list', '--json', ...args])) as { sessions: SessionInfo[]; ended?: SessionInfo[] };

describe('vibes sessions rename, pin and list --search', () => {
  it('renames and pins a live session for every client, lists it first, and finds it by words, state and project', async () => {
    const { session: first, stream } = await heldSession('first one');
    const { session: second } = await heldSession('second one');

    expect(await cli(['sessions', 'rename', first.id.slice(0, 8), 'Release notes'])).toContain('is now "Release notes"');
    await stream.waitForEvent('session_updated', (event) => event.session.id === first.id && event.session.name === 'Release notes');
    expect(await cli(['sessions', 'pin', first.id.slice(0, 8)])).toContain('is pinned');
    await stream.waitForEvent('session_updated', (event) => event.session.id === first.id && event.session.pinned);

    const table = await cli(['sessions', 'list']);
    const rows = table.split('\n');
    const firstRow = rows.findIndex((line) => line.includes(first.id.slice(0, 8)));
    expect(rows[firstRow]).toContain('◆ Release notes');
    expect(firstRow).toBeLessThan(rows.findIndex((line) => line.includes(second.id.slice(0, 8))));

    expect((await listed('--search', 'release')).sessions.map((session) => session.id)).toEqual([first.id]);
    expect((await listed('--search', 'release', '--state', 'processing')).sessions).toEqual([]);
    expect((await listed('--search', 'one', '--project', server.home)).sessions.map((session) => session.id)).toEqual([second.id]);
    expect(await cli(['sessions', 'list', '--search', 'nothing-like-this'])).toContain('No active session matches.');

    expect(await cli(['sessions', 'pin', first.id.slice(0, 8), '--unpin'])).toContain('no longer pinned');
    expect(await cli(['sessions', 'rename', first.id.slice(0, 8), ''])).toContain('has no name');
  });

  it('renames an ended session and finds it in the whole history', async () => {
    const { session, api } = await heldSession('to be ended');
    await api.kill(session.id);
    expect(await cli(['sessions', 'rename', session.id.slice(0, 8), 'Old experiment'])).toContain('is now "Old experiment"');
    const { ended } = await listed('--all', '--search', 'experiment');
    expect(ended?.map((found) => [found.id, found.title])).toEqual([[session.id, 'Old experiment']]);
  });

  it('refuses a bad name with the server’s reason and a bad state before asking', async () => {
    const { session } = await heldSession('kept');
    const bad = await runCli(['sessions', 'rename', session.id.slice(0, 8), 'x'.repeat(201)], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/name|200/i);
    const state = await runCli(['sessions', 'list', '--state', 'sleeping'], env);
    expect(state.code).not.toBe(0);
    expect(state.stderr).toContain('sleeping');
    expect((await listed('--search', 'kept')).sessions.map((found) => found.name)).toEqual(['kept']);
  });
});
