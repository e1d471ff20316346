import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../lib/core/sqlite-store.ts';
import type { SessionInfo } from '../../../lib/protocol/index.ts';
import { sessionInfo } from '../../support/session-fixture.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const { is_owner: _, ...snapshot }: SessionInfo = sessionInfo('s1', { name: 'big', title: 'big', state: 'processing', owner_id: 'owner' });

describe('the SQLite file', () => {
  it('is readable by its user only, journal included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibes-bounds-'));
    dirs.push(dir);
    const store = new SqliteStore(join(dir, 'vibes.db'));
    await store.write({ sessions: [snapshot] });
    for (const name of ['vibes.db', 'vibes.db-wal', 'vibes.db-shm']) expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
    await store.close();
  });

  it('stops growing at its bound: a write past it fails instead of filling the disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibes-bounds-'));
    dirs.push(dir);
    const store = new SqliteStore(join(dir, 'vibes.db'), { maxBytes: 256 * 1024 });
    await store.write({ sessions: [snapshot] });
    const text = 'x'.repeat(4000);
    let seq = 0;
    const writeMore = async () => {
      for (let i = 0; i < 1000; i++) {
        seq++;
        await store.write({
          events: [{ sessionId: 's1', entry: { seq, at: 1_700_000_000, event: { type: 'text_delta', message_id: 'm', text } } }],
        });
      }
    };
    await expect(writeMore()).rejects.toThrow(/full/i);
    expect(seq * text.length).toBeLessThan(1024 * 1024);
    await store.close();
  });
});
