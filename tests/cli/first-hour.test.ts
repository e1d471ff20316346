import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { killAllClis, runCli, serverEnv } from './cli-harness.ts';

// What a newcomer meets first (issue 17). The server's real Claude cannot start, as on a machine
// without a Claude account: only demo sessions answer.
let server: ServerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startServerProcess({ env: { VIBES_DEMO: '0', VIBES_CLAUDE_PATH: '/nonexistent/claude' } });
  env = serverEnv(server);
});
afterEach(async () => {
  await killAllClis();
});
afterAll(async () => {
  await server?.stop();
});

const listJson = async (all = false) => {
  const result = await runCli(['sessions', 'list', '--json', ...(all ? ['--all'] : [])], env);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { sessions: SessionInfo[] }).sessions;
};

describe('vibes claude --demo', () => {
  it('runs the fake Claude on a server whose sessions are otherwise real', async () => {
    const result = await runCli(['claude', '--demo', '--name', 'try-demo', 'hello there'], env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('You said');
    const session = (await listJson(true)).find((listed) => listed.name === 'try-demo');
    expect(session?.demo).toBe(true);

    const real = await runCli(['claude', '--name', 'try-real', 'hello there'], env);
    expect(real.code).not.toBe(0);
  });
});
