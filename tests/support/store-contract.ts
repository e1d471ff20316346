import { describe, expect, it } from 'vitest';
import type { SessionSnapshot, SessionStore } from '../../lib/core/index.ts';
import { sessionFilter, type TranscriptEntry } from '../../lib/protocol/index.ts';

/**
 * What every SessionStore does, whatever its engine: the unit tier runs it on memory and SQLite,
 * the integration tier on a real PostgreSQL. `node` is what the store records as a session's
 * machine (PostgreSQL records the node that wrote it).
 */
export function describeStoreContract(name: string, make: () => SessionStore | Promise<SessionStore>, node: string | null): void {
  describe(name, () => {
    it('keeps every SessionInfo field, and pages the transcript', async () => {
      const store = await make();
      await store.write({ sessions: [snapshot('s1')], events: entries(1, 250).map((entry) => ({ sessionId: 's1', entry })) });
      expect(await store.getSession('s1')).toEqual({ ...snapshot('s1'), subscriber_count: 0, node });
      expect(await store.lastSeq('s1')).toBe(250);
      expect(await store.lastSeq('nope')).toBe(0);
      expect(await store.readEvents('s1', 0, 3)).toEqual(entries(1, 3));
      expect(await store.readEvents('s1', 200, 100)).toEqual(entries(201, 50));
      expect(await store.readEvents('s1', 250, 10)).toEqual([]);
      expect(await store.getSession('nope')).toBeUndefined();
      await store.write({ sessions: [snapshot('demo', { demo: true })] });
      expect(await store.getSession('demo')).toEqual({ ...snapshot('demo', { demo: true }), subscriber_count: 0, node });
    });

    it('ends sessions, lists the history newest first, and reopens one', async () => {
      const store = await make();
      await store.write({ sessions: [snapshot('a'), snapshot('b'), snapshot('c', { state: 'failed', failure: 'boom' })] });
      await store.write({
        ended: [
          { sessionId: 'a', reason: 'killed', at: 100 },
          { sessionId: 'b', reason: 'session_finished', at: 200 },
        ],
      });
      // An update after the end leaves the end alone.
      await store.write({ sessions: [snapshot('a', { state: 'finished', cost_usd: 1 })] });
      expect((await store.listEnded({ limit: 10 })).map((s) => [s.id, s.end_reason, s.state])).toEqual([
        ['b', 'session_finished', 'finished'],
        ['a', 'killed', 'finished'],
      ]);
      expect((await store.listEnded({ limit: 10, before: 200 })).map((s) => s.id)).toEqual(['a']);
      expect((await store.listEnded({ limit: 1 })).map((s) => s.id)).toEqual(['b']);
      expect(await store.getSession('a')).toMatchObject({ cost_usd: 1, ended_at: 100, subscriber_count: 0 });

      expect(await store.endAllLive('server_restarted', 300)).toBe(1);
      expect(await store.getSession('c')).toMatchObject({
        state: 'failed',
        failure: 'boom',
        end_reason: 'server_restarted',
        ended_at: 300,
      });
      expect(await store.endAllLive('server_restarted', 400)).toBe(0);

      await store.reopen('a');
      expect(await store.getSession('a')).toMatchObject({ ended_at: null, end_reason: null });
      expect((await store.listEnded({ limit: 10 })).map((s) => s.id)).toEqual(['c', 'b']);
    });

    it('keeps a pin, searches the whole history by name, title, folder and state, and lists recent folders', async () => {
      const store = await make();
      await store.write({
        sessions: [
          snapshot('a', { name: 'Fix 100%_done', title: 'Fix 100%_done', cwd: '/work/Vibes', pinned: true, last_activity_at: 10 }),
          snapshot('b', { name: null, title: 'Refactor the parser', cwd: '/work/other', last_activity_at: 30 }),
          snapshot('c', { name: null, title: 'Write docs', cwd: '/work/vibes-site', state: 'failed', last_activity_at: 20 }),
          snapshot('d', { name: null, title: 'Live one', cwd: '/work/other', last_activity_at: 40 }),
        ],
      });
      await store.write({ ended: ['a', 'b', 'c'].map((sessionId, index) => ({ sessionId, reason: 'killed' as const, at: 100 + index })) });
      expect((await store.getSession('a'))?.pinned).toBe(true);
      const ids = async (query: Parameters<typeof sessionFilter>[0], page: { before?: number } = {}) =>
        (await store.listEnded({ limit: 10, ...page, filter: sessionFilter(query) })).map((found) => found.id);
      expect(await ids({ q: 'fix' })).toEqual(['a']);
      expect(await ids({ q: 'PARSER refactor' })).toEqual(['b']);
      expect(await ids({ q: 'vibes' })).toEqual(['c', 'a']);
      expect(await ids({ q: 'vibes' }, { before: 102 })).toEqual(['a']);
      // LIKE's wildcards are plain characters in a search.
      expect(await ids({ q: '100%_' })).toEqual(['a']);
      expect(await ids({ q: '%' })).toEqual(['a']);
      expect(await ids({ q: 'o_her' })).toEqual([]);
      expect(await ids({ project: 'vibes' })).toEqual(['a']);
      expect(await ids({ project: '/work/other' })).toEqual(['b']);
      expect(await ids({ status: 'failed' })).toEqual(['c']);
      expect(await ids({ q: 'vibes', status: 'finished' })).toEqual(['a']);
      expect(await store.recentProjects(10)).toEqual([
        { cwd: '/work/other', lastActiveAt: 40 },
        { cwd: '/work/vibes-site', lastActiveAt: 20 },
        { cwd: '/work/Vibes', lastActiveAt: 10 },
      ]);
      expect(await store.recentProjects(1)).toHaveLength(1);
    });

    it('retention deletes sessions that ended long ago, with their transcripts, and nothing live', async () => {
      const store = await make();
      await store.write({ sessions: [snapshot('old'), snapshot('new'), snapshot('live')] });
      await store.write({
        events: [
          ...entries(1, 5).map((entry) => ({ sessionId: 'old', entry })),
          ...entries(1, 5).map((entry) => ({ sessionId: 'live', entry })),
        ],
      });
      await store.write({
        ended: [
          { sessionId: 'old', reason: 'killed', at: 1000 },
          { sessionId: 'new', reason: 'killed', at: 5000 },
        ],
      });
      expect(await store.deleteEndedBefore(2000)).toBe(1);
      expect(await store.getSession('old')).toBeUndefined();
      expect(await store.readEvents('old', 0, 10)).toEqual([]);
      expect(await store.getSession('new')).toBeDefined();
      expect(await store.readEvents('live', 0, 10)).toHaveLength(5);
    });

    it('writes a seq once', async () => {
      const store = await make();
      await store.write({ sessions: [snapshot('s1')], events: entries(1, 3).map((entry) => ({ sessionId: 's1', entry })) });
      await store.write({ events: entries(3, 2).map((entry) => ({ sessionId: 's1', entry: { ...entry, at: 1 } })) });
      expect((await store.readEvents('s1', 0, 10)).map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
      expect(await store.readEvents('s1', 2, 1)).toEqual(entries(3, 1));
    });
  });
}

export const snapshot = (id: string, extra: Partial<SessionSnapshot> = {}): SessionSnapshot => ({
  id,
  name: 'build',
  title: 'build',
  preview: null,
  project: 'tmp',
  git_branch: null,
  state: 'processing',
  owner_id: 'owner',
  subscriber_count: 2,
  created_at: 1_700_000_000,
  last_activity_at: 1_700_000_010,
  cwd: '/tmp',
  model: 'opus',
  permission_mode: 'default',
  todos: null,
  pending_permissions: [],
  queued_inputs: 0,
  cost_usd: 0.25,
  claude_session_id: 'claude-1',
  failure: null,
  ended_at: null,
  end_reason: null,
  demo: false,
  node: null,
  changes: null,
  start_commit: null,
  context: null,
  pinned: false,
  ...extra,
});

export const entries = (from: number, count: number): TranscriptEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    seq: from + i,
    at: 1_700_000_000 + from + i,
    event: { type: 'text_delta', message_id: 'm', text: `chunk ${from + i}` },
  }));
