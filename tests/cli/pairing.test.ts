import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { BrowserPushKeys, StandInServer } from '../support/push-service.ts';
import { deviceCookie } from '../support/sign-in.ts';
import { cliEnv, runCli } from './cli-harness.ts';

let server: ServerProcess;
let env: Record<string, string>;

beforeAll(async () => {
  // The stand-in push service is plain HTTP on loopback: the owner's opt-in.
  server = await startServerProcess({ tokenFile: true, env: { VIBES_PUSH_ALLOW_PRIVATE: '1' } });
  // As a user's shell would be: the token only in $VIBES_HOME/token.
  env = cliEnv({ VIBES_URL: server.url, VIBES_HOME: server.home, VIBES_NO_AUTOSTART: '1' });
});
afterAll(async () => {
  await server?.stop();
});

const tokenOnDisk = () => readFileSync(join(server.home, 'token'), 'utf8').trim();

describe('vibes pair', () => {
  it('prints a one-time pairing code and its link, never the token, and says how to reach the server from a phone', async () => {
    const result = await runCli(['pair'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Pairing code [0-9A-Z]{4}-[0-9A-Z]{4} \(works once, for 5 min\)/);
    expect(result.stdout).toMatch(new RegExp(`Sign in with ${server.url}/\\?code=[0-9A-Z]{4}-[0-9A-Z]{4}`));
    expect(result.stdout).not.toContain(tokenOnDisk());
    expect(result.stdout).toMatch(/--host 0\.0\.0\.0/);
  });

  it('gives the code and links as JSON; the code signs one browser in, once', async () => {
    const result = await runCli(['pair', '--json'], env);
    const pairing = JSON.parse(result.stdout) as { code: string; expires_at: number; urls: string[] };
    expect(pairing.urls).toEqual([expect.stringMatching(new RegExp(`^${server.url}/\\?code=${pairing.code}&key=[\\w-]{22}$`))]);
    expect(pairing.expires_at).toBeGreaterThan(Date.now() / 1000);
    const signIn = () =>
      fetch(`${server.url}/api/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: pairing.code }),
      });
    expect((await signIn()).status).toBe(200);
    expect((await signIn()).status).toBe(401);
  });
});

describe('vibes devices', () => {
  it('lists the signed-in browsers and revokes one by a prefix of its id', async () => {
    await deviceCookie(server.url, tokenOnDisk(), 'Pixel in the kitchen');
    const list = await runCli(['devices', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    const { devices } = JSON.parse(list.stdout) as { devices: { id: string; label: string }[] };
    const device = devices.find((candidate) => candidate.label === 'Pixel in the kitchen')!;
    expect(device).toBeDefined();
    const table = await runCli(['devices'], env);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+LAST SEEN\s+FROM\s+SIGNED IN/);
    expect(table.stdout).toContain('Pixel in the kitchen');
    const revoke = await runCli(['devices', 'revoke', device.id.slice(0, 6)], env);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toContain(`Device ${device.id} is signed out.`);
    const after = JSON.parse((await runCli(['devices', 'list', '--json'], env)).stdout) as { devices: { id: string }[] };
    expect(after.devices.map((candidate) => candidate.id)).not.toContain(device.id);
  });
});

describe('vibes token rotate', () => {
  it('replaces the token: the old one is refused, browsers are signed out, the CLI goes on with the new one', async () => {
    const oldToken = tokenOnDisk();
    const cookie = await deviceCookie(server.url, oldToken);
    const result = await runCli(['token', 'rotate'], env);
    expect(result.code, result.stderr).toBe(0);
    const newToken = tokenOnDisk();
    expect(newToken).not.toBe(oldToken);
    expect(result.stdout).not.toContain(newToken);
    expect(result.stdout).toContain('every browser signed out');
    await expect(new ApiClient({ baseUrl: server.url, token: oldToken }).listSessions()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await fetch(`${server.url}/api/sessions`, { headers: { cookie } })).status).toBe(401);
    const list = await runCli(['sessions', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
  });

  it('an old token in VIBES_TOKEN is refused with a hint to pair again', async () => {
    const result = await runCli(['sessions', 'list'], { ...env, VIBES_TOKEN: 'an-old-token-that-no-longer-works' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused the token: run `vibes pair`/);
  });
});

describe('vibes notify test', () => {
  it('sends a test notification to every device that turned notifications on, and says how many', async () => {
    const pushService = await StandInServer.start();
    try {
      const none = await runCli(['notify', 'test'], env);
      expect(none.code, none.stderr).toBe(0);
      expect(none.stdout).toContain('Sent to 0 devices.');
      expect(none.stdout).toContain('No device has notifications on');

      const cookie = await deviceCookie(server.url, tokenOnDisk(), 'notified phone');
      const keys = new BrowserPushKeys();
      const subscribed = await fetch(`${server.url}/api/notifications/subscription`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(keys.subscription(`${pushService.url}/push/cli`)),
      });
      expect(subscribed.status).toBe(200);
      const result = await runCli(['notify', 'test', '--json'], env);
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ devices: 1, webhook: false });
      const received = await pushService.waitFor((request) => request.path === '/push/cli');
      expect(JSON.parse(keys.decrypt(received.body))).toMatchObject({
        type: 'show',
        kind: 'test',
        body: 'Notifications work on this device.',
      });
    } finally {
      await pushService.close();
    }
  });
});
