import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { cliEnv, runCli } from './cli-harness.ts';

let server: ServerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startServerProcess({ tokenFile: true });
  // As a user's shell would be: the token only in $VIBES_HOME/token.
  env = cliEnv({ VIBES_URL: server.url, VIBES_HOME: server.home, VIBES_NO_AUTOSTART: '1' });
});
afterAll(async () => {
  await server?.stop();
});

const tokenOnDisk = () => readFileSync(join(server.home, 'token'), 'utf8').trim();

describe('vibes pair', () => {
  it('prints the sign-in link with the token, and says how to reach the server from a phone', async () => {
    const result = await runCli(['pair'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${server.url}/?token=${tokenOnDisk()}`);
    expect(result.stdout).toMatch(/--host 0\.0\.0\.0/);
  });

  it('gives the links as JSON', async () => {
    const result = await runCli(['pair', '--json'], env);
    expect(JSON.parse(result.stdout)).toEqual({ urls: [`${server.url}/?token=${tokenOnDisk()}`] });
  });
});

describe('vibes token rotate', () => {
  it('replaces the token: the old one is refused, the CLI goes on with the new one', async () => {
    const oldToken = tokenOnDisk();
    const result = await runCli(['token', 'rotate'], env);
    expect(result.code, result.stderr).toBe(0);
    const newToken = tokenOnDisk();
    expect(newToken).not.toBe(oldToken);
    expect(result.stdout).toContain(`?token=${newToken}`);
    await expect(new ApiClient({ baseUrl: server.url, token: oldToken }).listSessions()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const list = await runCli(['sessions', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
  });

  it('an old token in VIBES_TOKEN is refused with a hint to pair again', async () => {
    const result = await runCli(['sessions', 'list'], { ...env, VIBES_TOKEN: 'an-old-token-that-no-longer-works' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused the token: run `vibes pair`/);
  });
});
