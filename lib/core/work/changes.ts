import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangedFile, ChangesResponse, ChangeBase, FilePatchResponse } from '../../protocol/index.ts';
import { VibesError } from '../errors.ts';
import { parseDiffRawNumstat, parseNulList } from './git-parse.ts';
import { runGit } from './git.ts';

/** More changed files than this are counted but not listed. */
export const MAX_LISTED_FILES = 2000;
/** A patch or a new side past this is summarised, not sent. */
export const MAX_PATCH_BYTES = 1024 * 1024;
/** Untracked files up to this size have their lines counted. */
const MAX_COUNTED_BYTES = 8 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8000;

export interface RepoInfo {
  /** The repository's root. */
  top: string;
  /** The session's folder relative to the root, '' at the root, '/'-separated without a trailing '/'. */
  scope: string;
  /** HEAD now; null in a repository without commits. */
  head: string | null;
}

/** What this session's own edit tools did to a file (path relative to the cwd). */
export interface ToolWrite {
  created: boolean;
  additions: number;
  deletions: number;
}

/** The repository `cwd` is in, or null when it is in none (or git is missing). */
export async function repoOf(cwd: string): Promise<RepoInfo | null> {
  const result = await runGit(cwd, ['rev-parse', '--show-toplevel', '--show-prefix', 'HEAD']);
  const [top = '', prefix = '', head = ''] = result.stdout.split('\n');
  if (top === '' || !top.startsWith('/')) return null;
  return { top, scope: prefix.replace(/\/$/, ''), head: /^[0-9a-f]{40,64}$/.test(head) ? head : null };
}

/** A changes computation's result before the wire: the files by path, for diffs and turn snapshots. */
export interface ComputedChanges {
  response: ChangesResponse;
  /** Every changed file (also the ones past the listing cap). */
  all: ChangedFile[];
}

export interface ChangesInput {
  cwd: string;
  repo: RepoInfo | null;
  base: ChangeBase;
  /** The session's start commit (used for base `start`). */
  startCommit: string | null;
  writes: ReadonlyMap<string, ToolWrite>;
  /** Absolute folders never listed, even under the session's folder (vibes' own home: token, database). */
  hidden: readonly string[];
  now: number;
}

/** The files changed in the session's folder, by git, or from its own tools' writes outside git. */
export async function computeChanges(input: ChangesInput): Promise<ComputedChanges> {
  const { repo } = input;
  if (!repo) return fromToolWrites(input);
  const baseCommit = input.base === 'start' ? (input.startCommit ?? repo.head) : repo.head;
  const against = baseCommit ?? (await emptyTree(input.cwd));
  const diff = await runGit(input.cwd, [...DIFF_FLAGS, '--raw', '--numstat', against, '--', '.']);
  if (diff.code !== 0) throw new VibesError('INTERNAL', `git diff failed: ${diff.stderr || `exit ${diff.code}`}`);
  const files: ChangedFile[] = parseDiffRawNumstat(diff.stdout).map((entry) => ({
    path: entry.path,
    old_path: entry.oldPath,
    status: entry.status,
    additions: entry.additions,
    deletions: entry.deletions,
    binary: entry.binary,
    by_session: input.writes.has(entry.path),
  }));
  // ls-files, not status: it only walks for new files, where status compares every tracked one
  // again (five times as long on 20,000 files).
  const others = await runGit(input.cwd, ['ls-files', '--others', '--exclude-standard', '-z', '--', '.']);
  if (others.code !== 0) throw new VibesError('INTERNAL', `git ls-files failed: ${others.stderr || `exit ${others.code}`}`);
  // A nested repository is listed as its folder (`dir/`): it is not this repository's file.
  const untracked = parseNulList(others.stdout).filter((path) => !path.endsWith('/'));
  // Past the listing cap a new file is counted as changed, its lines are not read.
  const counted = await inBatches(untracked.slice(0, MAX_LISTED_FILES), (path) => countLines(join(input.cwd, path)));
  for (const [index, path] of untracked.entries()) {
    const lines = counted[index] ?? { count: 0, binary: false };
    files.push({
      path,
      old_path: null,
      status: 'untracked',
      additions: lines.count,
      deletions: 0,
      binary: lines.binary,
      by_session: input.writes.has(path),
    });
  }
  return finish(input, files, { source: 'git', base_commit: baseCommit, head_commit: repo.head, scope: repo.scope });
}

/** `git diff` as vibes runs it: NUL-separated, paths relative to the session's folder and only under it. */
const DIFF_FLAGS = ['diff', '--no-ext-diff', '--no-textconv', '--no-color', '-z', '-M', '--relative'] as const;

function fromToolWrites(input: ChangesInput): ComputedChanges {
  const files: ChangedFile[] = [...input.writes].map(([path, write]) => ({
    path,
    old_path: null,
    status: write.created ? 'added' : 'modified',
    additions: write.additions,
    deletions: write.deletions,
    binary: false,
    by_session: true,
  }));
  return finish(input, files, { source: 'tools', base_commit: null, head_commit: null, scope: null });
}

function finish(
  input: ChangesInput,
  files: ChangedFile[],
  origin: Pick<ChangesResponse, 'source' | 'base_commit' | 'head_commit' | 'scope'>,
): ComputedChanges {
  if (input.hidden.length > 0) files = files.filter((file) => !isHidden(join(input.cwd, file.path), input.hidden));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    all: files,
    response: {
      ...origin,
      base: input.base,
      files: files.slice(0, MAX_LISTED_FILES),
      truncated: files.length > MAX_LISTED_FILES,
      additions: files.reduce((sum, file) => sum + file.additions, 0),
      deletions: files.reduce((sum, file) => sum + file.deletions, 0),
      computed_at: Math.floor(input.now / 1000),
    },
  };
}

/** One changed file's unified diff, or why it is left out. */
export async function computeFilePatch(input: ChangesInput, file: ChangedFile): Promise<FilePatchResponse> {
  const size = await sizeOf(join(input.cwd, file.path));
  const summary = {
    path: file.path,
    old_path: file.old_path,
    status: file.status,
    binary: file.binary,
    additions: file.additions,
    deletions: file.deletions,
    size,
  };
  if (file.binary) return { ...summary, patch: null, omitted: 'binary' };
  if (size > MAX_PATCH_BYTES) return { ...summary, patch: null, omitted: 'too_large' };
  if (!input.repo) return { ...summary, patch: null, omitted: null };
  const against = (input.base === 'start' ? (input.startCommit ?? input.repo.head) : input.repo.head) ?? (await emptyTree(input.cwd));
  const args =
    file.status === 'untracked'
      ? ['diff', '--no-ext-diff', '--no-textconv', '--no-color', '--no-index', '--', '/dev/null', file.path]
      : [...DIFF_FLAGS.filter((flag) => flag !== '-z'), against, '--', ...(file.old_path ? [file.old_path] : []), file.path];
  const diff = await runGit(input.cwd, args, MAX_PATCH_BYTES);
  if (diff.truncated) return { ...summary, patch: null, omitted: 'too_large' };
  // --no-index answers 1 when the files differ.
  if (diff.code !== 0 && !(file.status === 'untracked' && diff.code === 1)) {
    throw new VibesError('INTERNAL', `git diff failed: ${diff.stderr || `exit ${diff.code}`}`);
  }
  return { ...summary, patch: diff.stdout, omitted: null };
}

function isHidden(path: string, hidden: readonly string[]): boolean {
  return hidden.some((folder) => path === folder || path.startsWith(`${folder}/`));
}

/** `task` over `items`, a few at a time, results in order. */
async function inBatches<T, R>(items: readonly T[], task: (item: T) => Promise<R>, size = 16): Promise<R[]> {
  const results: R[] = [];
  for (let at = 0; at < items.length; at += size) results.push(...(await Promise.all(items.slice(at, at + size).map(task))));
  return results;
}

async function emptyTree(cwd: string): Promise<string> {
  const result = await runGit(cwd, ['hash-object', '-t', 'tree', '/dev/null']);
  return result.stdout.trim();
}

async function sizeOf(path: string): Promise<number> {
  const stats = await lstat(path).catch(() => null);
  return stats?.isFile() ? stats.size : 0;
}

/** Lines of a new file as git would count them; binary when it holds a NUL early on. */
async function countLines(path: string): Promise<{ count: number; binary: boolean }> {
  let handle;
  try {
    // Never a FIFO or a device (open would wait or read forever), never through a link.
    const stats = await lstat(path);
    if (!stats.isFile() || stats.size > MAX_COUNTED_BYTES) return { count: 0, binary: false };
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const content = await handle.readFile();
    if (content.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { count: 0, binary: true };
    let count = 0;
    for (let at = content.indexOf(10); at !== -1; at = content.indexOf(10, at + 1)) count++;
    if (content.length > 0 && content[content.length - 1] !== 10) count++;
    return { count, binary: false };
  } catch {
    return { count: 0, binary: false };
  } finally {
    await handle?.close();
  }
}
