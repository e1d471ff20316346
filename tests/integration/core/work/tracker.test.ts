import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkTracker } from '../../../../lib/core/work/tracker.ts';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vibes-work-'));
  folders.push(dir);
  return dir;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

/** A repository with `app/` (the session's folder) and `other/` beside it, one commit. */
function repo(): { root: string; app: string } {
  const root = tempDir();
  mkdirSync(join(root, 'app/src'), { recursive: true });
  mkdirSync(join(root, 'other'));
  writeFileSync(join(root, 'app/src/a.ts'), 'one\ntwo\nthree\n');
  writeFileSync(join(root, 'app/old.txt'), 'moving\nalong\nnow\n');
  writeFileSync(join(root, 'app/logo.bin'), Buffer.from([0, 1, 2, 3]));
  writeFileSync(join(root, 'other/b.ts'), 'b\n');
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'start');
  return { root, app: join(root, 'app') };
}

const tracker = (cwd: string, startCommit?: string | null) =>
  new WorkTracker({ cwd, ...(startCommit === undefined ? {} : { startCommit }), onSummary: () => {} });

describe('WorkTracker', () => {
  it('lists the session folder’s changes only, with untracked files, renames and binaries, and marks its own writes', async () => {
    const { root, app } = repo();
    const work = tracker(app);
    await work.ready();
    expect(work.startCommit).toBe(git(root, 'rev-parse', 'HEAD'));
    writeFileSync(join(app, 'src/a.ts'), 'one\n2\nthree\nfour\n');
    git(app, 'mv', 'old.txt', 'new.txt');
    writeFileSync(join(app, 'logo.bin'), Buffer.from([0, 9, 9]));
    writeFileSync(join(app, 'src/fresh.ts'), 'x\ny\n');
    writeFileSync(join(root, 'other/b.ts'), 'outside the folder\n');
    work.noteToolWrite(join(app, 'src/a.ts'), undefined);

    const changes = await work.changes('start');
    expect(changes).toMatchObject({ source: 'git', base: 'start', scope: 'app', truncated: false, additions: 4, deletions: 1 });
    expect(changes.files).toEqual([
      { path: 'logo.bin', old_path: null, status: 'modified', additions: 0, deletions: 0, binary: true, by_session: false },
      { path: 'new.txt', old_path: 'old.txt', status: 'renamed', additions: 0, deletions: 0, binary: false, by_session: false },
      { path: 'src/a.ts', old_path: null, status: 'modified', additions: 2, deletions: 1, binary: false, by_session: true },
      { path: 'src/fresh.ts', old_path: null, status: 'untracked', additions: 2, deletions: 0, binary: false, by_session: false },
    ]);

    const patch = await work.filePatch('src/a.ts', 'start');
    expect(patch).toMatchObject({ path: 'src/a.ts', status: 'modified', omitted: null, additions: 2, deletions: 1 });
    expect(patch.patch).toContain('-two\n+2\n');
    expect(patch.patch).toContain('+four');
    expect(await work.filePatch('logo.bin', 'start')).toMatchObject({ binary: true, omitted: 'binary', patch: null, size: 3 });
    expect((await work.filePatch('src/fresh.ts', 'start')).patch).toContain('+x\n+y\n');
    await expect(work.filePatch('other/b.ts', 'start')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('counts against the start commit by default and against HEAD on request', async () => {
    const { app } = repo();
    const work = tracker(app);
    await work.ready();
    writeFileSync(join(app, 'src/a.ts'), 'committed\n');
    git(app, 'commit', '-qam', 'claude committed');
    writeFileSync(join(app, 'src/b.ts'), 'new\n');
    work.touched();
    expect((await work.changes('start')).files.map((file) => file.path)).toEqual(['src/a.ts', 'src/b.ts']);
    const head = await work.changes('head');
    expect(head.files.map((file) => file.path)).toEqual(['src/b.ts']);
    expect(head.base_commit).toBe(head.head_commit);
  });

  it('keeps the start commit a resumed session had', async () => {
    const { root, app } = repo();
    const first = git(root, 'rev-parse', 'HEAD');
    writeFileSync(join(app, 'src/a.ts'), 'later\n');
    git(root, 'commit', '-qam', 'later');
    const work = tracker(app, first);
    await work.ready();
    expect(work.startCommit).toBe(first);
    expect((await work.changes('start')).files.map((file) => file.path)).toEqual(['src/a.ts']);
  });

  it('outside git lists only the files its tools wrote, with their counts', async () => {
    const dir = tempDir();
    const work = tracker(dir);
    await work.ready();
    expect(work.startCommit).toBeNull();
    writeFileSync(join(dir, 'made.txt'), 'a\n');
    work.noteToolWrite(join(dir, 'made.txt'), {
      file_path: join(dir, 'made.txt'),
      status: 'created',
      hunks: [],
      added: 1,
      removed: 0,
      truncated: false,
    });
    expect(work.noteToolWrite('/somewhere/else.txt', undefined)).toBeNull();
    const changes = await work.changes('start');
    expect(changes).toMatchObject({ source: 'tools', base_commit: null, head_commit: null, scope: null, additions: 1, deletions: 0 });
    expect(changes.files).toEqual([
      { path: 'made.txt', old_path: null, status: 'added', additions: 1, deletions: 0, binary: false, by_session: true },
    ]);
  });

  it('never lists nor diffs what is under a hidden folder (vibes’ own home), even inside the session’s folder', async () => {
    const { app } = repo();
    mkdirSync(join(app, '.vibes'));
    writeFileSync(join(app, '.vibes/token'), 'secret\n');
    writeFileSync(join(app, 'src/a.ts'), 'changed\n');
    const work = new WorkTracker({ cwd: app, hidden: [join(app, '.vibes')], onSummary: () => {} });
    await work.ready();
    expect((await work.changes('start')).files.map((file) => file.path)).toEqual(['src/a.ts']);
    await expect(work.filePatch('.vibes/token', 'start')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('tells the summary once per change, and reuses a count nothing has touched since', async () => {
    const { app } = repo();
    const summaries: unknown[] = [];
    const work = new WorkTracker({ cwd: app, onSummary: (summary) => summaries.push(summary) });
    await work.ready();
    const first = await work.changes('start');
    expect(await work.changes('start')).toBe(first);
    writeFileSync(join(app, 'src/a.ts'), 'changed\n');
    work.touched();
    await work.changes('start');
    expect(summaries).toEqual([
      { files: 0, additions: 0, deletions: 0 },
      { files: 1, additions: 1, deletions: 3 },
    ]);
    work.stop();
  });
});
