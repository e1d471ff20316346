import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/client/node/api-client.ts';
import type { ErrorCode, TranscriptEntry } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { git, tempRepo } from '../support/git-repo.ts';

/** The session's work over the API (changes, diffs, a turn's changes, rewind) with the fake Claude. */
const vibes = useServer();
const alice = () => vibes.client('alice');

async function expectError(call: Promise<unknown>, code: ErrorCode, status: number): Promise<void> {
  const error = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ code, status });
}

async function transcript(id: string): Promise<TranscriptEntry[]> {
  return (await alice().events(id, { limit: 1000 })).events;
}

async function turnsCompleted(id: string, count: number): Promise<TranscriptEntry[]> {
  let entries: TranscriptEntry[] = [];
  await expect
    .poll(async () => {
      entries = await transcript(id);
      return entries.filter((entry) => entry.event.type === 'turn_complete').length;
    })
    .toBeGreaterThanOrEqual(count);
  return entries;
}

describe('changes in a git repository', () => {
  it('lists the folder’s changes against the start commit, with diffs, and keeps to the folder', async () => {
    const root = tempRepo({ 'app/a.txt': 'one\ntwo\n', 'app/keep.txt': 'same\n', 'outside.txt': 'x\n' });
    const head = git(root, 'rev-parse', 'HEAD');
    const session = await alice().createSession({ cwd: join(root, 'app') });
    await expect.poll(async () => (await alice().getSession(session.id)).start_commit).toBe(head);

    writeFileSync(join(root, 'app/a.txt'), 'one\n2\n');
    writeFileSync(join(root, 'app/new.txt'), 'fresh\n');
    writeFileSync(join(root, 'outside.txt'), 'changed outside the folder\n');
    // Changes made by hand reach the list within a second (a count that recent is reused).
    await expect.poll(async () => (await alice().changes(session.id)).files.length).toBe(2);
    const changes = await alice().changes(session.id);
    expect(changes).toMatchObject({ source: 'git', base: 'start', base_commit: head, head_commit: head, scope: 'app', truncated: false });
    expect(changes.files.map(({ path, status, additions, deletions }) => ({ path, status, additions, deletions }))).toEqual([
      { path: 'a.txt', status: 'modified', additions: 1, deletions: 1 },
      { path: 'new.txt', status: 'untracked', additions: 1, deletions: 0 },
    ]);

    const diff = await alice().fileDiff(session.id, 'a.txt');
    expect(diff).toMatchObject({ path: 'a.txt', status: 'modified', omitted: null, binary: false });
    expect(diff.patch).toContain('-two\n+2\n');

    // Claude commits: against the start it is still a change, against HEAD it is not.
    git(root, 'commit', '-qam', 'claude committed');
    expect((await alice().changes(session.id, 'head')).files.map((file) => file.path)).toEqual(['new.txt']);
    const sinceStart = await alice().changes(session.id, 'start');
    expect(sinceStart.files.map((file) => file.path)).toEqual(['a.txt', 'new.txt']);
    expect(sinceStart.head_commit).not.toBe(head);
  });

  it('marks the files this session’s own edit tools wrote, also after a resume', async () => {
    const root = tempRepo({ 'notes.txt': 'old\n', 'other.txt': 'x\n' });
    // The fake Claude's Edit writes nothing: the change is made here, the call marks it as the session's.
    writeFileSync(join(root, 'notes.txt'), 'new\n');
    writeFileSync(join(root, 'other.txt'), 'y\n');
    const id = (await alice().createSession({ cwd: root, prompt: 'please edit' })).id;
    await expect.poll(async () => (await alice().getSession(id)).pending_permissions.length).toBe(1);
    const [request] = (await alice().getSession(id)).pending_permissions;
    await alice().answerPermission(id, request?.request_id ?? '', { behavior: 'allow' });
    await turnsCompleted(id, 1);
    const bySession = async () => (await alice().changes(id)).files.map((file) => [file.path, file.by_session]);
    expect(await bySession()).toEqual([
      ['notes.txt', true],
      ['other.txt', false],
    ]);
    await alice().kill(id);
    // An ended session's changes: its folder as it is now, its tools' writes read from the transcript.
    expect(await bySession()).toEqual([
      ['notes.txt', true],
      ['other.txt', false],
    ]);
    await alice().resume(id);
    expect(await bySession()).toEqual([
      ['notes.txt', true],
      ['other.txt', false],
    ]);
  });

  it('refuses a bad base, a malformed path, and a path that did not change', async () => {
    const root = tempRepo({ 'a.txt': 'a\n' });
    const id = (await alice().createSession({ cwd: root })).id;
    const raw = (query: string) => vibes.raw(`/api/sessions/${id}/changes/diff?${query}`);
    expect((await vibes.raw(`/api/sessions/${id}/changes?base=yesterday`)).status).toBe(400);
    expect((await raw('path=a.txt&base=nope')).status).toBe(400);
    for (const path of ['../etc/passwd', '/etc/passwd', 'a/../../b', './a.txt', 'a\0b']) {
      await expectError(alice().fileDiff(id, path), 'INVALID_PATH', 400);
    }
    await expectError(alice().fileDiff(id, 'a.txt'), 'NOT_FOUND', 404);
    await expectError(alice().changes('no-such-session'), 'NOT_FOUND', 404);
  });

  it('a turn_complete names what changed during the turn that no tool of the session wrote', async () => {
    const root = tempRepo({ 'a.txt': 'a\n' });
    const session = await alice().createSession({ cwd: root });
    const id = session.id;
    // Nothing is counted before the first turn.
    expect(session.changes).toBeNull();
    // A change from before the turn, that only the turn's first look at the folder counts: once
    // the summary shows it, that look is done, and what follows happened during the turn.
    writeFileSync(join(root, 'before.txt'), 'by hand\n');
    await alice().sendInput(id, 'please use bash');
    await expect.poll(async () => (await alice().getSession(id)).changes?.files).toBe(1);
    await expect.poll(async () => (await alice().getSession(id)).pending_permissions.length).toBe(1);
    writeFileSync(join(root, 'by-bash.txt'), 'made by a command\n');
    const [request] = (await alice().getSession(id)).pending_permissions;
    await alice().answerPermission(id, request?.request_id ?? '', { behavior: 'allow' });
    const entries = await turnsCompleted(id, 1);
    const complete = entries.find((entry) => entry.event.type === 'turn_complete')?.event;
    expect(complete).toMatchObject({ changed_files: [{ path: 'by-bash.txt', source: 'other' }] });
    const seq = entries.find((entry) => entry.event.type === 'user_input')?.seq ?? 0;
    expect(await alice().turnChanges(id, seq)).toEqual({ seq, git: true, files: [{ path: 'by-bash.txt', source: 'other', diffs: [] }] });
    // A turn that calls no tool changes nothing, and ends without a look at the folder.
    await alice().sendInput(id, 'hello');
    const later = await turnsCompleted(id, 2);
    expect(later.filter((entry) => entry.event.type === 'turn_complete').at(-1)?.event).toMatchObject({ changed_files: [] });
    // The summary on the session follows (coalesced) without being asked.
    await expect.poll(async () => (await alice().getSession(id)).changes).toEqual({ files: 2, additions: 2, deletions: 0 });
  });

  it('a turn is named by its user_input: anything else is refused', async () => {
    const id = (await alice().createSession({ cwd: tmpdir(), prompt: 'hello' })).id;
    const entries = await turnsCompleted(id, 1);
    const notInput = entries.find((entry) => entry.event.type !== 'user_input')?.seq ?? 2;
    await expectError(alice().turnChanges(id, notInput), 'NOT_FOUND', 404);
    await expectError(alice().turnChanges(id, 9999), 'NOT_FOUND', 404);
    expect((await vibes.raw(`/api/sessions/${id}/turns/abc/changes`)).status).toBe(400);
  });
});

describe('changes outside git', () => {
  it('says the folder is not in git and lists only what the session’s tools wrote (nothing here)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'vibes-nogit-'));
    writeFileSync(join(folder, 'notes.txt'), 'not tracked by anything\n');
    const session = await alice().createSession({ cwd: folder, prompt: 'hello' });
    expect((await alice().getSession(session.id)).start_commit).toBeNull();
    const entries = await turnsCompleted(session.id, 1);
    expect(await alice().changes(session.id)).toMatchObject({
      source: 'tools',
      base_commit: null,
      head_commit: null,
      scope: null,
      files: [],
    });
    await expectError(alice().fileDiff(session.id, 'notes.txt'), 'NOT_FOUND', 404);
    const seq = entries.find((entry) => entry.event.type === 'user_input')?.seq ?? 0;
    expect(await alice().turnChanges(session.id, seq)).toEqual({ seq, git: false, files: [] });
  });
});

describe('rewind', () => {
  it('needs a subscribed client, and refuses while a turn runs or with nothing to rewind to', async () => {
    const id = (await alice().createSession({ cwd: tmpdir() })).id;
    await expectError(alice().rewind(id, { dry_run: true }), 'CANNOT_REWIND', 409);
    await expectError(vibes.client('bob').rewind(id, { dry_run: true }), 'NOT_SUBSCRIBED', 403);
    const anonymous = await vibes.raw(`/api/sessions/${id}/rewind`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(anonymous.status).toBe(400);
    await expectError(alice().rewind(id, { to: 'not-a-uuid' }), 'VALIDATION_FAILED', 400);
    await alice().sendInput(id, 'hang');
    await expectError(alice().rewind(id, { dry_run: true }), 'TURN_RUNNING', 409);
    await alice().interrupt(id);
    await turnsCompleted(id, 1);
    await expectError(alice().rewind(id, { to: '00000000-0000-4000-8000-000000000000' }), 'NOT_FOUND', 404);
  });

  it('a dry run first, then the rewind, recorded in the transcript', async () => {
    const id = (await alice().createSession({ cwd: tmpdir(), prompt: 'hello' })).id;
    const entries = await turnsCompleted(id, 1);
    const input = entries.find((entry) => entry.event.type === 'user_input')?.event;
    const messageId = input?.type === 'user_input' ? input.message_id : undefined;
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    const dry = await alice().rewind(id, { dry_run: true });
    expect(dry).toMatchObject({ dry_run: true, can_rewind: true, to: messageId, files_changed: [], skipped_links: null, error: null });
    expect((await transcript(id)).length).toBe(entries.length);
    const done = await alice().rewind(id, { to: messageId ?? '' });
    expect(done).toMatchObject({ dry_run: false, can_rewind: true, to: messageId, skipped_links: 0, not_restorable: [] });
    // On a cluster the record is committed to PostgreSQL just after the answer (and only then sent to clients).
    await expect
      .poll(async () => (await transcript(id)).at(-1)?.event)
      .toEqual({
        type: 'system',
        subtype: 'rewind',
        text: 'Files rewound to before "hello": no file needed restoring',
        to_message_id: messageId,
        files: [],
      });
  });

  it('an ended session must be resumed first', async () => {
    const id = (await alice().createSession({ cwd: tmpdir(), prompt: 'hello' })).id;
    await turnsCompleted(id, 1);
    await alice().kill(id);
    await expectError(alice().rewind(id, { dry_run: true }), 'INVALID_STATE', 409);
  });
});
