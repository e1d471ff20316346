import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/client/node/api-client.ts';
import { pinSession, recentProjects, renameSession } from '../../lib/client/shared/organise-calls.ts';
import { CLIENT_ID_HEADER, ErrorBody, type ErrorCode } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';

const vibes = useServer();

async function expectError(call: Promise<unknown>, code: ErrorCode, status: number): Promise<void> {
  const error = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ code, status });
}

function folder(name: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `vibes-${name}-`)));
}

/** Starts a session with a first prompt and waits for its turn to end, so its title comes from the prompt. */
async function sessionWith(prompt: string, cwd?: string): Promise<string> {
  const alice = vibes.client('alice');
  const session = await alice.createSession({ prompt, ...(cwd ? { cwd } : {}) });
  await expect.poll(async () => (await alice.getSession(session.id)).state).toBe('idle');
  return session.id;
}

describe('renaming a session', () => {
  it('shows the name instead of the first prompt on every device, and an empty name brings the prompt back', async () => {
    const id = await sessionWith('hello from the prompt');
    const other = await vibes.stream({ clientId: 'phone' });
    const renamed = await renameSession(vibes.client('alice'), id, '  Release notes  ');
    expect(renamed).toMatchObject({ id, name: 'Release notes', title: 'Release notes' });
    await other.waitForEvent('session_updated', (event) => event.session.id === id && event.session.title === 'Release notes');
    expect(await vibes.client('phone').getSession(id)).toMatchObject({ name: 'Release notes' });

    const cleared = await renameSession(vibes.client('alice'), id, '');
    expect(cleared).toMatchObject({ name: null, title: 'hello from the prompt' });
    await other.waitForEvent('session_updated', (event) => event.session.id === id && event.session.name === null);
  });

  it('refuses a name too long or with control characters (VALIDATION_FAILED), and one from a client not subscribed, changing nothing', async () => {
    const id = await sessionWith('keep me');
    await renameSession(vibes.client('alice'), id, 'kept');
    await expectError(renameSession(vibes.client('alice'), id, 'x'.repeat(201)), 'VALIDATION_FAILED', 400);
    await expectError(renameSession(vibes.client('alice'), id, 'bell\u0007'), 'VALIDATION_FAILED', 400);
    await expectError(renameSession(vibes.client('alice'), id, 'over\u202eride'), 'VALIDATION_FAILED', 400);
    const missing = await vibes.raw(`/api/sessions/${id}/name`, {
      method: 'POST',
      headers: { [CLIENT_ID_HEADER]: 'alice', 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(missing.status).toBe(400);
    expect(ErrorBody.parse(await missing.json()).error.code).toBe('VALIDATION_FAILED');
    await expectError(renameSession(vibes.client('mallory'), id, 'mine now'), 'NOT_SUBSCRIBED', 403);
    await expectError(pinSession(vibes.client('mallory'), id, true), 'NOT_SUBSCRIBED', 403);
    await expectError(renameSession(vibes.client('alice'), 'no-such-session', 'x'), 'NOT_FOUND', 404);
    expect(await vibes.client('alice').getSession(id)).toMatchObject({ name: 'kept', title: 'kept', pinned: false });
  });
});

describe('pinning a session', () => {
  it('lists pinned sessions first, for every device, until unpinned', async () => {
    const one = await sessionWith('one to pin');
    const two = await sessionWith('another to pin');
    const ids = async () =>
      (await vibes.client('phone').listSessions()).map((session) => session.id).filter((id) => id === one || id === two);
    // Newest first (or by id within one second); the one listed lower is pinned.
    const [top, below] = await ids();

    const other = await vibes.stream({ clientId: 'phone' });
    expect(await pinSession(vibes.client('alice'), below!, true)).toMatchObject({ id: below, pinned: true });
    await other.waitForEvent('session_updated', (event) => event.session.id === below && event.session.pinned);
    expect(await ids()).toEqual([below, top]);

    expect(await pinSession(vibes.client('alice'), below!, false)).toMatchObject({ pinned: false });
    await other.waitForEvent('session_updated', (event) => event.session.id === below && !event.session.pinned);
    expect(await ids()).toEqual([top, below]);
  });
});

describe('searching', () => {
  it('filters the live list by words, folder and state', async () => {
    const cwd = folder('needle');
    const id = await sessionWith('find the haystack', cwd);
    const alice = vibes.client('alice');
    expect((await alice.listSessions({ q: 'HAYSTACK find' })).map((session) => session.id)).toEqual([id]);
    expect((await alice.listSessions({ q: 'needle' })).map((session) => session.id)).toEqual([id]);
    expect((await alice.listSessions({ project: cwd })).map((session) => session.id)).toEqual([id]);
    expect((await alice.listSessions({ q: 'haystack', status: 'processing' })).map((session) => session.id)).toEqual([]);
    expect((await alice.listSessions({ q: 'haystack', status: 'idle' })).map((session) => session.id)).toEqual([id]);
    const bad = await vibes.raw('/api/sessions?status=sleeping');
    expect(bad.status).toBe(400);
    expect(ErrorBody.parse(await bad.json()).error.code).toBe('VALIDATION_FAILED');
  });

  it('searches the whole history, past the first page, and finds an ended session renamed and pinned', async () => {
    const alice = vibes.client('alice');
    const needle = await sessionWith('an old task');
    await alice.kill(needle);
    // Anyone may rename an ended session, as anyone may resume it.
    expect(await renameSession(vibes.client('bob'), needle, 'Needle in history')).toMatchObject({ name: 'Needle in history' });
    expect(await pinSession(vibes.client('bob'), needle, true)).toMatchObject({ pinned: true });
    // History is ordered by the second a session ended: the newer ones end in a later second than the needle.
    const endedAt = (await alice.getSession(needle)).ended_at ?? 0;
    await expect.poll(() => Math.floor(Date.now() / 1000)).toBeGreaterThan(endedAt);
    for (const prompt of ['newer one', 'newer two', 'newer three']) {
      const id = await sessionWith(prompt);
      await alice.kill(id);
    }
    const firstPage = await alice.history({ limit: 2 });
    expect(firstPage.map((session) => session.id)).not.toContain(needle);

    const found = await alice.history({ limit: 2, q: 'needle' });
    expect(found.map((session) => session.id)).toEqual([needle]);
    expect(found[0]).toMatchObject({ name: 'Needle in history', title: 'Needle in history', pinned: true, state: 'finished' });
    expect((await alice.history({ q: 'newer' })).map((session) => session.title).sort()).toEqual(['newer one', 'newer three', 'newer two']);
    expect(await alice.history({ q: 'newer', limit: 2 })).toHaveLength(2);
    expect(await alice.history({ q: 'needle', status: 'failed' })).toEqual([]);

    // Cleared, an ended session is called by its first prompt again.
    expect(await renameSession(alice, needle, null)).toMatchObject({ name: null, title: 'an old task' });
  });
});

describe('recent projects', () => {
  it('lists the folders sessions ran in, each once, the most recent first', async () => {
    const first = folder('first');
    const second = folder('second');
    await sessionWith('one', first);
    await sessionWith('two', second);
    await sessionWith('three', first);
    const projects = await recentProjects(vibes.client('phone'));
    const ours = projects.filter((project) => project.cwd === first || project.cwd === second);
    expect(ours.map((project) => project.cwd)).toEqual([first, second]);
    expect(ours[0]?.project).toBe(first.split('/').at(-1));
  });
});
