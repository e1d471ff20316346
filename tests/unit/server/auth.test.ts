import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDeviceStore } from '../../../lib/core/devices.ts';
import { Auth } from '../../../lib/server/auth.ts';
import { DeviceSessions } from '../../../lib/server/devices.ts';
import { newToken, tokenPath } from '../../../lib/server/token.ts';

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

async function auth(options: { fromEnv?: boolean; saveShared?: (token: string) => Promise<void> } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'vibes-auth-'));
  homes.push(home);
  const devices = await DeviceSessions.open({ store: new MemoryDeviceStore(), idleSeconds: 3600 });
  const token = newToken();
  return { home, token, devices, auth: new Auth({ home, token, fromEnv: options.fromEnv ?? false, devices, ...options }) };
}

describe('Auth in a cluster', () => {
  it('a rotation puts the new token where the other nodes read it, before anything changes here', async () => {
    const shared: string[] = [];
    const { auth: rotating, token } = await auth({
      saveShared: async (saved) => {
        shared.push(saved);
      },
    });
    const rotated = await rotating.rotate();
    expect(shared).toEqual([rotated]);
    expect(rotating.isValidToken(token)).toBe(false);

    const {
      auth: refused,
      token: kept,
      home,
    } = await auth({
      saveShared: async () => {
        throw new Error('the database is away');
      },
    });
    await expect(refused.rotate()).rejects.toThrow('the database is away');
    expect(refused.isValidToken(kept)).toBe(true);
    expect(() => readFileSync(tokenPath(home), 'utf8')).toThrow();
  });

  it("adopting another node's token refuses the old one, rewrites the token file and ends the streams; the same token changes nothing", async () => {
    const { auth: node, token, home } = await auth();
    let rotations = 0;
    node.onRotated(() => rotations++);
    expect(node.adopt(token)).toBe(false);
    expect(rotations).toBe(0);
    const theirs = newToken();
    expect(node.adopt(theirs)).toBe(true);
    expect(rotations).toBe(1);
    expect(node.isValidToken(token)).toBe(false);
    expect(node.isValidToken(theirs)).toBe(true);
    expect(node.token).toBe(theirs);
    expect(readFileSync(tokenPath(home), 'utf8').trim()).toBe(theirs);
  });

  it('a node whose token came from VIBES_TOKEN adopts the new one in memory only', async () => {
    const { auth: node, home } = await auth({ fromEnv: true });
    const theirs = newToken();
    expect(node.adopt(theirs)).toBe(true);
    expect(node.isValidToken(theirs)).toBe(true);
    expect(() => readFileSync(tokenPath(home), 'utf8')).toThrow();
  });
});
