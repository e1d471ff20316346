import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, FileContentResponse, FileListResponse, FileSearchResponse, type ErrorCode } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';

// The session's folder holds every trick, and vibes' own home (token, vibes.db): its cwd is an
// ancestor of VIBES_HOME, as when a session runs in the user's home folder.
const base = mkdtempSync(join(tmpdir(), 'vibes-files-api-'));
const project = join(base, 'project');
const outside = join(base, 'outside');
mkdirSync(join(project, '.vibes'), { recursive: true });
const vibes = useServer({ home: join(project, '.vibes'), tokenFile: true });

let sessionId = '';

beforeAll(async () => {
  mkdirSync(join(outside, 'dir'), { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), 'outside secret\n');
  writeFileSync(join(outside, 'dir', 'inner.txt'), 'outside inner\n');
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'src', 'main.py'), 'print("hello")\n');
  writeFileSync(join(project, 'src', 'notes.md'), '# notes\n');
  mkdirSync(join(project, '.git'));
  writeFileSync(join(project, '.git', 'config'), '[core]\n');
  writeFileSync(join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(join(project, 'worktree'));
  writeFileSync(join(project, 'worktree', '.git'), 'gitdir: /elsewhere/.git/worktrees/w\n');
  symlinkSync(join(outside, 'secret.txt'), join(project, 'link-out-file'));
  symlinkSync(join(outside, 'dir'), join(project, 'link-out-dir'));
  symlinkSync('src', join(project, 'link-in-dir'));
  symlinkSync('loop-b', join(project, 'loop-a'));
  symlinkSync('loop-a', join(project, 'loop-b'));
  execFileSync('mkfifo', [join(project, 'fifo')]);
  writeFileSync(join(project, 'huge.log'), 'x'.repeat(1024 * 1024 + 10));
  writeFileSync(join(project, 'blob.bin'), Buffer.from([1, 0, 2, 0, 3]));
  mkdirSync(join(project, 'many'));
  for (let index = 0; index < 5010; index++) writeFileSync(join(project, 'many', `f${index}`), '');
  sessionId = (await vibes.client('alice').createSession({ cwd: project, name: 'files' })).id;
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

/** A GET with the query written exactly as given (already encoded). */
async function get(route: 'files' | 'files/content' | 'files/search', query: string, id = sessionId) {
  const response = await vibes.raw(`/api/sessions/${id}/${route}?${query}`);
  return { status: response.status, json: (await response.json()) as unknown };
}

async function refused(route: 'files' | 'files/content', rawPath: string): Promise<{ status: number; code: ErrorCode; message: string }> {
  const { status, json } = await get(route, `path=${rawPath}`);
  const { error } = ErrorBody.parse(json);
  return { status, code: error.code, message: error.message };
}

describe('the file routes of a session', () => {
  it('list a folder: folders first, .git and vibes home left out', async () => {
    const { status, json } = await get('files', '');
    expect(status).toBe(200);
    const listing = FileListResponse.parse(json);
    const names = listing.entries.map((entry) => entry.name);
    expect(names.slice(0, 3)).toEqual(['many', 'src', 'worktree']);
    expect(names).not.toContain('.git');
    expect(names).not.toContain('.vibes');
    expect(listing.entries.find((entry) => entry.name === 'link-out-dir')).toEqual({
      name: 'link-out-dir',
      kind: 'link',
      size: null,
      link_target: 'outside',
    });
  });

  it('cap a folder of more than 5,000 entries, with truncated', async () => {
    const listing = FileListResponse.parse((await get('files', 'path=many')).json);
    expect(listing.entries).toHaveLength(5000);
    expect(listing.truncated).toBe(true);
  });

  it('read a file with its language', async () => {
    const { status, json } = await get('files/content', 'path=src%2Fmain.py');
    expect(status).toBe(200);
    expect(FileContentResponse.parse(json)).toEqual({
      path: 'src/main.py',
      size: 15,
      binary: false,
      truncated: false,
      text: 'print("hello")\n',
      language: 'python',
    });
  });

  it('read through a link to a folder inside', async () => {
    expect(FileContentResponse.parse((await get('files/content', 'path=link-in-dir/notes.md')).json)).toMatchObject({
      text: '# notes\n',
      language: 'markdown',
    });
  });

  it('cap a huge file at 1 MiB, with truncated', async () => {
    const content = FileContentResponse.parse((await get('files/content', 'path=huge.log')).json);
    expect(content).toMatchObject({ size: 1024 * 1024 + 10, truncated: true, binary: false });
    expect(content.text).toHaveLength(1024 * 1024);
  });

  it('say binary, with no text', async () => {
    expect(FileContentResponse.parse((await get('files/content', 'path=blob.bin')).json)).toMatchObject({ binary: true, text: null });
  });

  it('search by name, never in .git nor vibes home', async () => {
    const { status, json } = await get('files/search', 'q=MAIN&limit=10');
    expect(status).toBe(200);
    expect(FileSearchResponse.parse(json)).toEqual({ query: 'MAIN', matches: ['src/main.py'], truncated: false });
    expect(FileSearchResponse.parse((await get('files/search', 'q=token')).json).matches).toEqual([]);
    expect(FileSearchResponse.parse((await get('files/search', 'q=HEAD')).json).matches).toEqual([]);
  });

  it('bound a search by its limit', async () => {
    const found = FileSearchResponse.parse((await get('files/search', 'q=f1&limit=3')).json);
    expect(found.matches).toHaveLength(3);
    expect(found.truncated).toBe(true);
  });

  // Each trick, with the code and the words of its refusal.
  it.each([
    ['..', 403, 'PATH_OUTSIDE', "'..' segment"],
    ['a/../../x', 403, 'PATH_OUTSIDE', "'..' segment"],
    ['%2Fetc%2Fpasswd', 403, 'PATH_OUTSIDE', 'not absolute'],
    ['/etc/passwd', 403, 'PATH_OUTSIDE', 'not absolute'],
    ['%2e%2e%2fsecret', 403, 'PATH_OUTSIDE', "'..' segment"],
    ['%252e%252e%252f', 403, 'PATH_OUTSIDE', 'encoded twice'],
    ['..%252fouts', 403, 'PATH_OUTSIDE', 'encoded twice'],
    ['..%5C..%5Cetc%5Cpasswd', 400, 'INVALID_PATH', 'backslash'],
    ['src%00.py', 400, 'INVALID_PATH', 'NUL'],
    ['a%2F'.repeat(2100), 400, 'INVALID_PATH', 'longer than 4096'],
    ['link-out-file', 403, 'PATH_OUTSIDE', 'leads outside'],
    ['link-out-dir/inner.txt', 403, 'PATH_OUTSIDE', 'leads outside'],
    ['link-out-dir/nothing-here', 403, 'PATH_OUTSIDE', 'leads outside'],
    ['loop-a', 400, 'INVALID_PATH', 'loop of symbolic links'],
    ['.git/config', 403, 'PATH_FORBIDDEN', '.git'],
    ['.git/HEAD', 403, 'PATH_FORBIDDEN', '.git'],
    ['worktree/.git', 403, 'PATH_FORBIDDEN', '.git'],
    ['.vibes/token', 403, 'PATH_FORBIDDEN', "vibes' own files"],
    ['.vibes/vibes.db', 403, 'PATH_FORBIDDEN', "vibes' own files"],
    ['fifo', 403, 'PATH_FORBIDDEN', 'never opened'],
    ['missing.txt', 404, 'NOT_FOUND', 'does not exist'],
    ['src', 400, 'INVALID_PATH', 'is a folder'],
  ] as const)('refuse to read %s: %i %s', async (rawPath, status, code, words) => {
    const refusal = await refused('files/content', rawPath);
    expect(refusal).toMatchObject({ status, code });
    expect(refusal.message).toContain(words);
    expect(refusal.message).not.toContain('outside secret');
  });

  it("refuse a hard link to vibes' token, and never show the token", async () => {
    linkSync(join(vibes.server.home, 'token'), join(project, 'hard-token'));
    const refusal = await refused('files/content', 'hard-token');
    expect(refusal).toMatchObject({ status: 403, code: 'PATH_FORBIDDEN' });
    expect(refusal.message).not.toContain(vibes.token);
  });

  it.each([
    ['..', 403, 'PATH_OUTSIDE'],
    ['link-out-dir', 403, 'PATH_OUTSIDE'],
    ['.git', 403, 'PATH_FORBIDDEN'],
    ['.vibes', 403, 'PATH_FORBIDDEN'],
    ['src%2Fmain.py', 400, 'INVALID_PATH'],
  ] as const)('refuse to list %s: %i %s', async (rawPath, status, code) => {
    expect(await refused('files', rawPath)).toMatchObject({ status, code });
  });

  it('answer NOT_FOUND for an unknown session', async () => {
    expect((await get('files', '', 'no-such-session')).status).toBe(404);
  });

  it('still browse a session once it has ended', async () => {
    const id = (await vibes.client('alice').createSession({ cwd: project })).id;
    await vibes.client('alice').kill(id);
    await expect.poll(async () => (await vibes.client().getSession(id)).ended_at).not.toBeNull();
    expect(await get('files/content', 'path=src/notes.md', id)).toMatchObject({ status: 200, json: { text: '# notes\n' } });
  });
});
