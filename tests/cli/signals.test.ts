import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { killAllClis, runCli, serverEnv, startCli } from './cli-harness.ts';

let server: ServerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  // The default grace period: a CLI that only dropped its connection would keep its sessions for minutes.
  server = await startServerProcess({ env: { VIBES_DISCONNECT_GRACE_MS: '300000' } });
  env = serverEnv(server);
});
afterAll(async () => {
  await killAllClis();
  await server?.stop();
});

describe('a vibes claude ended by a signal', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s: leaves at once, so an attached viewer owns the session without waiting out the grace period', async (signal, code) => {
    const name = `ended by ${signal}`;
    const claude = startCli(['claude', 'say hello', '--name', name], env);
    await claude.waitFor('✓ done');
    const listed = await runCli(['sessions', 'list', '--json'], env);
    const session = (JSON.parse(listed.stdout) as { sessions: SessionInfo[] }).sessions.find((candidate) => candidate.name === name);
    expect(session).toBeDefined();
    const attach = startCli(['sessions', 'attach', session?.id ?? ''], env);
    await attach.waitFor(`session ${session?.id.slice(0, 8)}`);

    claude.signal(signal);
    expect(await claude.waitForExit()).toBe(code);
    await attach.waitFor('You now own this session.', 15_000);
  });
});
