import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRelativePath, SessionFolder, type SessionFolderOptions } from '../../../../lib/core/work/files.ts';
import { languageOf } from '../../../../lib/core/work/language.ts';
import type { ErrorCode } from '../../../../lib/protocol/index.ts';

// One temp folder: `project` is the session's folder (with every trick in it), `outside` is not.
let base: string;
let project: string;
let outside: string;
let home: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'vibes-files-'));
  project = join(base, 'project');
  outside = join(base, 'outside');
  home = join(project, '.vibes');
  mkdirSync(join(outside, 'dir'), { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), 'outside secret\n');
  writeFileSync(join(outside, 'dir', 'inner.txt'), 'outside inner\n');
  mkdirSync(join(project, 'src', 'deep'), { recursive: true });
  writeFileSync(join(project, 'src', 'main.ts'), 'export const answer = 42;\n');
  writeFileSync(join(project, 'src', 'deep', 'Main.test.ts'), 'test\n');
  writeFileSync(join(project, 'README.md'), '# hello\n');
  writeFileSync(join(project, 'Dockerfile'), 'FROM node\n');
  mkdirSync(join(project, '.git'));
  writeFileSync(join(project, '.git', 'config'), '[core]\n');
  writeFileSync(join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(join(project, 'worktree'));
  writeFileSync(join(project, 'worktree', '.git'), 'gitdir: /somewhere/.git/worktrees/w\n');
  writeFileSync(join(project, 'worktree', 'main.ts'), 'worktree\n');
  mkdirSync(home);
  writeFileSync(join(home, 'token'), 'the token\n');
  writeFileSync(join(home, 'vibes.db'), 'the database\n');
  mkdirSync(join(project, 'node_modules', 'pkg'), { recursive: true });
  writeFileSync(join(project, 'node_modules', 'pkg', 'main.ts'), 'dependency\n');
  symlinkSync(join(outside, 'secret.txt'), join(project, 'link-out-file'));
  symlinkSync('../outside/dir', join(project, 'link-out-dir'));
  symlinkSync('src', join(project, 'link-in-dir'));
  symlinkSync('src/main.ts', join(project, 'link-in-file'));
  symlinkSync('.git', join(project, 'link-to-git'));
  symlinkSync('.vibes/token', join(project, 'link-to-token'));
  linkSync(join(home, 'token'), join(project, 'hard-token'));
  symlinkSync('loop-b', join(project, 'loop-a'));
  symlinkSync('loop-a', join(project, 'loop-b'));
  symlinkSync('missing', join(project, 'dangling'));
  execFileSync('mkfifo', [join(project, 'fifo')]);
  writeFileSync(join(project, 'huge.txt'), `${'line of text\n'.repeat(100_000)}ä`);
  writeFileSync(join(project, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
  mkdirSync(join(project, 'many'));
  for (let index = 0; index < 12; index++) writeFileSync(join(project, 'many', `file-${index}.txt`), '');
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

function folder(options: Partial<SessionFolderOptions> = {}, cwd = project): SessionFolder {
  return new SessionFolder(cwd, { neverServed: [home], ...options });
}

async function refusal(promise: Promise<unknown>): Promise<{ code: ErrorCode; message: string }> {
  const error = (await promise.then(
    () => null,
    (caught: unknown) => caught,
  )) as { code: ErrorCode; message: string } | null;
  if (!error) throw new Error('expected a refusal, got an answer');
  return { code: error.code, message: error.message };
}

describe('parseRelativePath', () => {
  it.each([
    ['..', 'PATH_OUTSIDE', "'..'"],
    ['a/../../x', 'PATH_OUTSIDE', "'..'"],
    ['src/..', 'PATH_OUTSIDE', "'..'"],
    ['/etc/passwd', 'PATH_OUTSIDE', 'not absolute'],
    ['C:/Windows', 'PATH_OUTSIDE', 'not absolute'],
    // The query string decodes once: what is still encoded was encoded twice.
    ['%2e%2e%2fetc', 'PATH_OUTSIDE', 'encoded twice'],
    ['%252e%252e', 'PATH_OUTSIDE', 'encoded twice'],
    ['..%2fetc', 'PATH_OUTSIDE', 'encoded twice'],
    ['..\\..\\etc\\passwd', 'INVALID_PATH', 'backslash'],
    ['src\0.ts', 'INVALID_PATH', 'NUL'],
    ['a/'.repeat(3000), 'INVALID_PATH', 'longer than 4096'],
    [`${'x'.repeat(256)}/a`, 'INVALID_PATH', '255 bytes'],
    ['.git/config', 'PATH_FORBIDDEN', '.git'],
    ['sub/.GIT/HEAD', 'PATH_FORBIDDEN', '.git'],
  ] as const)('%j is refused: %s', (path, code, words) => {
    let error: { code: string; message: string } | undefined;
    try {
      parseRelativePath(path);
    } catch (caught) {
      error = caught as { code: string; message: string };
    }
    expect(error?.code).toBe(code);
    expect(error?.message).toContain(words);
  });

  it("drops empty and '.' segments: '' and '.' are the folder itself", () => {
    expect(parseRelativePath('')).toEqual([]);
    expect(parseRelativePath('.')).toEqual([]);
    expect(parseRelativePath('./src//main.ts/')).toEqual(['src', 'main.ts']);
    expect(parseRelativePath('...')).toEqual(['...']);
    expect(parseRelativePath('.gitignore')).toEqual(['.gitignore']);
  });
});

describe('SessionFolder.list', () => {
  it('lists folders first, then by name; .git and vibes home left out; links say where they lead', async () => {
    const listing = await folder().list('');
    const names = listing.entries.map((entry) => entry.name);
    expect(names.slice(0, 5)).toEqual(['many', 'node_modules', 'src', 'worktree', 'dangling']);
    expect(names).not.toContain('.git');
    expect(names).not.toContain('.vibes');
    expect(listing.truncated).toBe(false);
    const byName = new Map(listing.entries.map((entry) => [entry.name, entry]));
    expect(byName.get('README.md')).toEqual({ name: 'README.md', kind: 'file', size: 8, link_target: null });
    expect(byName.get('fifo')).toMatchObject({ kind: 'other', size: null });
    expect(
      Object.fromEntries(
        ['link-out-file', 'link-out-dir', 'link-in-dir', 'link-in-file', 'link-to-git', 'link-to-token', 'loop-a', 'dangling'].map(
          (name) => [name, byName.get(name)?.link_target],
        ),
      ),
    ).toEqual({
      'link-out-file': 'outside',
      'link-out-dir': 'outside',
      'link-in-dir': 'dir',
      'link-in-file': 'file',
      'link-to-git': 'forbidden',
      'link-to-token': 'forbidden',
      'loop-a': 'broken',
      dangling: 'broken',
    });
  });

  it("leaves out a worktree's .git file", async () => {
    const listing = await folder().list('worktree');
    expect(listing).toEqual({
      path: 'worktree',
      entries: [{ name: 'main.ts', kind: 'file', size: 9, link_target: null }],
      truncated: false,
    });
  });

  it('follows a link to a folder inside', async () => {
    expect((await folder().list('link-in-dir')).entries.map((entry) => entry.name)).toEqual(['deep', 'main.ts']);
  });

  it('stops at the cap of entries, with truncated', async () => {
    const listing = await folder({ limits: { listEntries: 5 } }).list('many');
    expect(listing.entries).toHaveLength(5);
    expect(listing.truncated).toBe(true);
  });

  it.each([
    ['link-out-dir', 'PATH_OUTSIDE', 'leads outside'],
    ['link-out-dir/dir', 'PATH_OUTSIDE', 'leads outside'],
    ['link-to-git', 'PATH_FORBIDDEN', '.git'],
    ['.vibes', 'PATH_FORBIDDEN', "vibes' own files"],
    ['loop-a', 'INVALID_PATH', 'loop'],
    ['missing', 'NOT_FOUND', 'does not exist'],
    ['README.md', 'INVALID_PATH', 'not a folder'],
  ] as const)('%s: %s', async (path, code, words) => {
    const error = await refusal(folder().list(path));
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
  });

  it("refuses everything when the session's folder is inside vibes' home", async () => {
    expect((await refusal(folder({}, home).list(''))).code).toBe('PATH_FORBIDDEN');
  });

  it("says when the session's folder is gone", async () => {
    const error = await refusal(folder({}, join(base, 'gone')).list(''));
    expect(error).toEqual({ code: 'NOT_FOUND', message: `The session's folder ${join(base, 'gone')} no longer exists` });
  });
});

describe('SessionFolder.read', () => {
  it('reads a text file with its language', async () => {
    expect(await folder().read('src/main.ts')).toEqual({
      path: 'src/main.ts',
      size: 26,
      binary: false,
      truncated: false,
      text: 'export const answer = 42;\n',
      language: 'typescript',
    });
    expect((await folder().read('./Dockerfile')).language).toBe('dockerfile');
  });

  it('follows a link to a file inside, and a link to a folder inside', async () => {
    expect((await folder().read('link-in-file')).text).toBe('export const answer = 42;\n');
    expect((await folder().read('link-in-dir/main.ts')).text).toBe('export const answer = 42;\n');
  });

  it('caps a huge file at the read limit, with truncated, never cutting a character in two', async () => {
    const cap = 1_300_001; // the last byte served is the first of the two of 'ä'
    const content = await folder({ limits: { readBytes: cap } }).read('huge.txt');
    expect(content).toMatchObject({ size: 1_300_002, binary: false, truncated: true });
    expect(content.text).toBe('line of text\n'.repeat(100_000));
    const capped = await folder().read('huge.txt');
    expect(capped.truncated).toBe(true);
    expect(capped.text).toHaveLength(1024 * 1024);
  });

  it('says binary, with no text, for a file with NUL bytes', async () => {
    expect(await folder().read('image.png')).toEqual({
      path: 'image.png',
      size: 8,
      binary: true,
      truncated: false,
      text: null,
      language: null,
    });
  });

  it.each([
    ['link-out-file', 'PATH_OUTSIDE', 'leads outside'],
    ['link-out-dir/inner.txt', 'PATH_OUTSIDE', 'leads outside'],
    ['loop-a', 'INVALID_PATH', 'loop'],
    ['dangling', 'NOT_FOUND', 'broken link'],
    ['.git/config', 'PATH_FORBIDDEN', '.git'],
    ['.git/HEAD', 'PATH_FORBIDDEN', '.git'],
    ['worktree/.git', 'PATH_FORBIDDEN', '.git'],
    ['link-to-git/config', 'PATH_FORBIDDEN', '.git'],
    ['.vibes/token', 'PATH_FORBIDDEN', "vibes' own files"],
    ['.vibes/vibes.db', 'PATH_FORBIDDEN', "vibes' own files"],
    ['link-to-token', 'PATH_FORBIDDEN', "vibes' own files"],
    ['hard-token', 'PATH_FORBIDDEN', "hard link to vibes' own files"],
    ['', 'INVALID_PATH', 'the path is empty'],
    // A FIFO is never opened: opening it to read would block until a writer came.
    ['fifo', 'PATH_FORBIDDEN', 'FIFO'],
    ['src', 'INVALID_PATH', 'is a folder'],
    ['../outside/secret.txt', 'PATH_OUTSIDE', "'..'"],
  ] as const)('%s: %s', async (path, code, words) => {
    const error = await refusal(folder().read(path));
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
  });

  it.runIf(existsSync('/dev/null'))('never opens a device', async () => {
    const error = await refusal(folder({ neverServed: [] }, '/dev').read('null'));
    expect(error.code).toBe('PATH_FORBIDDEN');
  });

  it('refuses a file swapped for a link that leaves between check and open', async () => {
    writeFileSync(join(project, 'swapped.txt'), 'inside\n');
    const swap = (real: string) => {
      unlinkSync(real);
      symlinkSync(join(outside, 'secret.txt'), real);
    };
    const error = await refusal(folder({ afterResolve: swap }).read('swapped.txt'));
    expect(error.code).toBe('CONFLICT');
    unlinkSync(join(project, 'swapped.txt'));
  });

  it('refuses a file whose parent folder became a link that leaves between check and open', async () => {
    mkdirSync(join(project, 'parent'));
    writeFileSync(join(project, 'parent', 'inner.txt'), 'inside\n');
    const swap = () => {
      renameSync(join(project, 'parent'), join(base, 'parent-moved'));
      symlinkSync(join(outside, 'dir'), join(project, 'parent'));
    };
    // outside/dir/inner.txt is what the path now reaches: the opened descriptor shows it.
    const error = await refusal(folder({ afterResolve: swap }).read('parent/inner.txt'));
    expect(error.code).toBe('PATH_OUTSIDE');
    unlinkSync(join(project, 'parent'));
    rmSync(join(base, 'parent-moved'), { recursive: true });
  });
});

describe('SessionFolder.search', () => {
  it('finds files by name, case-insensitive, shallowest first, never in .git, node_modules, vibes home or through links', async () => {
    const found = await folder().search('MAIN', 50);
    expect(found).toEqual({ query: 'MAIN', matches: ['src/main.ts', 'worktree/main.ts', 'src/deep/Main.test.ts'], truncated: false });
    // The hard link is found by its name; reading it is refused (above).
    expect((await folder().search('token', 50)).matches).toEqual(['hard-token']);
    expect((await folder().search('vibes.db', 50)).matches).toEqual([]);
    expect((await folder().search('config', 50)).matches).toEqual([]);
  });

  it('stops at the limit, with truncated', async () => {
    const found = await folder().search('file-', 3);
    expect(found.matches).toHaveLength(3);
    expect(found.truncated).toBe(true);
  });

  it('stops when its time is up, with truncated', async () => {
    const found = await folder({ limits: { searchMs: -1 } }).search('main', 50);
    expect(found).toEqual({ query: 'main', matches: [], truncated: true });
  });

  it('stops at the cap of entries visited, with truncated', async () => {
    const found = await folder({ limits: { searchEntries: 3 } }).search('main', 50);
    expect(found.truncated).toBe(true);
  });
});

describe('languageOf', () => {
  it('names the language from the extension or the file name', () => {
    expect(['a.ts', 'b.py', 'c.md', 'Makefile', 'x/Dockerfile.dev', '.env', 'data.bin'].map(languageOf)).toEqual([
      'typescript',
      'python',
      'markdown',
      'makefile',
      'dockerfile',
      'dotenv',
      null,
    ]);
  });
});
