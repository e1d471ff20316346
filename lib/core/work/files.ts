import { constants, existsSync, type Stats } from 'node:fs';
import { lstat, open, opendir, readdir, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FileContentResponse, FileEntry, FileListResponse, FileSearchResponse, LinkTarget } from '../../protocol/index.ts';
import { FILE_LIMITS, LIMITS } from '../../protocol/rules.ts';
import { clip } from '../../protocol/text.ts';
import { VibesError } from '../errors.ts';
import { languageOf } from './language.ts';

/** A file name's longest form on Linux and macOS, in bytes. */
const SEGMENT_BYTES = 255;
/** Git's own test for binary: a NUL byte among the first 8000 bytes. */
const BINARY_SNIFF_BYTES = 8000;
/** Folders a name search does not enter: git's internals, and dependencies a user rarely means. */
const SEARCH_SKIPS = new Set(['.git', 'node_modules']);
/** vibes' home holds a handful of files; a hard link is looked for among at most this many. */
const NEVER_SERVED_SCAN = 1000;
// Linux names an open descriptor's file here; elsewhere the realpath checks stand alone.
const PROC_FD = '/proc/self/fd';
const hasProcFd = existsSync(PROC_FD);

export type FileLimits = { [Name in keyof typeof FILE_LIMITS]: number };

export interface SessionFolderOptions {
  /** Absolute paths never served even inside the folder: vibes' own home (token, database), its TLS key. */
  neverServed: readonly string[];
  limits?: Partial<FileLimits>;
  /** Tests only: runs between resolving a path and opening it, to swap files under the reader. */
  afterResolve?: (real: string) => Promise<void> | void;
}

/**
 * A session's folder, read-only and confined: every path is checked as written (no '..', not
 * absolute, no '.git'), then by where it really leads (realpath inside the folder, not forbidden),
 * then by what was opened (O_NOFOLLOW, the same inode, and on Linux the descriptor's own path in
 * /proc/self/fd), so a file swapped for a link between check and open is refused too.
 */
export class SessionFolder {
  readonly #cwd: string;
  readonly #options: SessionFolderOptions;
  readonly #limits: FileLimits;

  constructor(cwd: string, options: SessionFolderOptions) {
    this.#cwd = cwd;
    this.#options = options;
    this.#limits = { ...FILE_LIMITS, ...options.limits };
  }

  /** A folder's entries: folders first, then by name; `.git` and never-served paths left out. */
  async list(path: string): Promise<FileListResponse> {
    const segments = parseRelativePath(path);
    const shown = segments.join('/');
    const place = await this.#place();
    const real = await place.resolve(segments, shown);
    const { handle, base } = await place.open(real, shown, 'dir', this.#options.afterResolve);
    const entries: FileEntry[] = [];
    let truncated = false;
    try {
      for await (const dirent of await opendir(base)) {
        if (isGitName(dirent.name) || place.hidden(join(real, dirent.name))) continue;
        if (entries.length === this.#limits.listEntries) {
          truncated = true;
          break;
        }
        const entry = await place.describe(base, real, dirent.name);
        if (entry) entries.push(entry);
      }
    } finally {
      await handle.close();
    }
    entries.sort((a, b) => Number(b.kind === 'dir') - Number(a.kind === 'dir') || compareNames(a.name, b.name));
    return { path: shown, entries, truncated };
  }

  /**
   * Files whose name contains `query` (case-insensitive), breadth first so the shallowest come
   * first; bounded in entries visited and in time. Links are never followed; `.git` and
   * node_modules are not entered.
   */
  async search(query: string, limit: number): Promise<FileSearchResponse> {
    const place = await this.#place();
    place.check(place.root, '');
    const needle = query.toLowerCase();
    const deadline = performance.now() + this.#limits.searchMs;
    const matches: string[] = [];
    const queue: string[] = [''];
    let visited = 0;
    let stopped = false;
    search: while (queue.length > 0) {
      const folder = queue.shift() as string;
      if (performance.now() > deadline) {
        stopped = true;
        break;
      }
      const opened = await place.open(join(place.root, folder), folder, 'dir').catch(() => null);
      if (!opened) continue;
      try {
        for await (const dirent of await opendir(opened.base)) {
          if (++visited > this.#limits.searchEntries || (visited % 1000 === 0 && performance.now() > deadline)) {
            stopped = true;
            break search;
          }
          const child = folder === '' ? dirent.name : `${folder}/${dirent.name}`;
          if (isGitName(dirent.name) || place.hidden(join(place.root, child))) continue;
          if (dirent.isDirectory()) {
            if (!SEARCH_SKIPS.has(dirent.name)) queue.push(child);
          } else if (dirent.isFile() && dirent.name.toLowerCase().includes(needle)) {
            matches.push(child);
            if (matches.length > limit) break search;
          }
        }
      } finally {
        await opened.handle.close();
      }
    }
    const truncated = stopped || matches.length > limit;
    const found = matches.slice(0, limit).sort((a, b) => depth(a) - depth(b) || compareNames(a, b));
    return { query, matches: found, truncated };
  }

  /** A file's first FILE_LIMITS.readBytes as UTF-8 text, or `binary` with no text. */
  async read(path: string): Promise<FileContentResponse> {
    const segments = parseRelativePath(path);
    if (segments.length === 0) throw new VibesError('INVALID_PATH', 'Name a file to read: the path is empty');
    const shown = segments.join('/');
    const place = await this.#place();
    const real = await place.resolve(segments, shown);
    const { handle, stats } = await place.open(real, shown, 'file', this.#options.afterResolve);
    try {
      if (stats.nlink > 1 && (await place.isNeverServedFile(stats))) {
        throw new VibesError('PATH_FORBIDDEN', `${quote(shown)} is a hard link to vibes' own files: never served`);
      }
      const cap = this.#limits.readBytes;
      const buffer = Buffer.alloc(Math.min(stats.size, cap) + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      // One byte past what is served tells a file that grew since stat from one that fits.
      const truncated = length > cap || stats.size > cap;
      const content = buffer.subarray(0, Math.min(length, cap));
      const binary = content.subarray(0, BINARY_SNIFF_BYTES).includes(0);
      // `stream` leaves out a character cut in two at the cap rather than ending on U+FFFD.
      const text = binary ? null : new TextDecoder('utf-8').decode(content, { stream: truncated });
      return { path: shown, size: Math.max(stats.size, length), binary, truncated, text, language: binary ? null : languageOf(shown) };
    } finally {
      await handle.close();
    }
  }

  async #place(): Promise<Place> {
    const root = await realpath(this.#cwd).catch(() => {
      throw new VibesError('NOT_FOUND', `The session's folder ${this.#cwd} no longer exists`);
    });
    const neverServed = await Promise.all(this.#options.neverServed.map((path) => realpath(path).catch(() => resolve(path))));
    return new Place(root, neverServed);
  }
}

/** One request's view of the folder: its real root and the real paths never served. */
class Place {
  constructor(
    readonly root: string,
    readonly neverServed: readonly string[],
  ) {}

  /** Where a checked relative path really leads, inside the folder and served, or the error that says why not. */
  async resolve(segments: readonly string[], shown: string): Promise<string> {
    let real: string;
    try {
      real = await realpath(join(this.root, ...segments));
    } catch (error) {
      await this.#checkExistingPart(segments, shown);
      throw fileSystemError(error, shown);
    }
    this.check(real, shown);
    return real;
  }

  /** A missing path through a link that leaves is refused as outside, not reported missing out there. */
  async #checkExistingPart(segments: readonly string[], shown: string): Promise<void> {
    for (let length = segments.length - 1; length > 0; length--) {
      const real = await realpath(join(this.root, ...segments.slice(0, length))).catch(() => null);
      if (real === null) continue;
      this.check(real, shown);
      return;
    }
  }

  /** Refuses a real path outside the folder (PATH_OUTSIDE) or never served (PATH_FORBIDDEN). */
  check(real: string, shown: string): void {
    if (!isInside(real, this.root)) {
      throw new VibesError('PATH_OUTSIDE', `${quote(shown)} leads outside the session's folder through a symbolic link`);
    }
    if (real.split(sep).some(isGitName))
      throw new VibesError('PATH_FORBIDDEN', `${quote(shown)} is inside .git: git's internals are not served`);
    if (this.hidden(real))
      throw new VibesError('PATH_FORBIDDEN', `${quote(shown)} is vibes' own files (its token, database or key): never served`);
  }

  /** A real path inside vibes' home or another never-served path: left out of listings and searches. */
  hidden(real: string): boolean {
    return this.neverServed.some((forbidden) => isInside(real, forbidden));
  }

  /** A hard link inside the folder to a file of vibes' home is that file: compared by inode, within a bound. */
  async isNeverServedFile(stats: Stats): Promise<boolean> {
    const pending = [...this.neverServed];
    for (let seen = 0; pending.length > 0 && seen < NEVER_SERVED_SCAN; seen++) {
      const path = pending.shift() as string;
      const found = await lstat(path).catch(() => null);
      if (found?.isFile() && found.dev === stats.dev && found.ino === stats.ino) return true;
      if (found?.isDirectory()) pending.push(...(await readdir(path).catch(() => [])).map((name) => join(path, name)));
    }
    return false;
  }

  /**
   * Opens a resolved path without following a link at its end, and checks that what was opened is
   * what was checked: the same inode, and on Linux a descriptor whose own path is still inside.
   * A FIFO, socket or device is refused before it is opened (opening a FIFO would block).
   */
  async open(
    real: string,
    shown: string,
    kind: 'file' | 'dir',
    afterResolve?: (real: string) => Promise<void> | void,
  ): Promise<{ handle: FileHandle; stats: Stats; base: string }> {
    await afterResolve?.(real);
    const before = await lstat(real).catch((error: unknown) => {
      throw fileSystemError(error, shown);
    });
    if (before.isSymbolicLink()) throw changed(shown);
    if (kind === 'file' && before.isDirectory()) throw new VibesError('INVALID_PATH', `${quote(shown)} is a folder: list it instead`);
    if (kind === 'dir' && !before.isDirectory()) throw new VibesError('INVALID_PATH', `${quote(shown)} is not a folder`);
    if (!before.isFile() && !before.isDirectory()) {
      throw new VibesError('PATH_FORBIDDEN', `${quote(shown)} is not a regular file (a FIFO, socket or device): it is never opened`);
    }
    const flags =
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY | (kind === 'dir' ? constants.O_DIRECTORY : 0);
    const handle = await open(real, flags).catch((error: unknown) => {
      // O_NOFOLLOW: the path's last part became a link since it was resolved.
      throw (error as NodeJS.ErrnoException).code === 'ELOOP' ? changed(shown) : fileSystemError(error, shown);
    });
    try {
      const stats = await handle.stat();
      if (stats.dev !== before.dev || stats.ino !== before.ino) throw changed(shown);
      if (!hasProcFd) {
        // Without /proc: where the path leads now must still be where it led (narrower, not airtight).
        const again = await realpath(real);
        this.check(again, shown);
        if (again !== real) throw changed(shown);
        return { handle, stats, base: real };
      }
      const base = `${PROC_FD}/${handle.fd}`;
      // A folder on the way may have become a link that leaves: the descriptor knows where it really is.
      this.check(await readlink(base), shown);
      return { handle, stats, base };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** One entry of a listed folder (`base` reaches the opened folder, `real` is its path); null if it vanished. */
  async describe(base: string, real: string, name: string): Promise<FileEntry | null> {
    const stats = await lstat(join(base, name)).catch(() => null);
    if (!stats) return null;
    if (stats.isSymbolicLink()) return { name, kind: 'link', size: null, link_target: await this.#linkTarget(join(real, name)) };
    if (stats.isDirectory()) return { name, kind: 'dir', size: null, link_target: null };
    if (stats.isFile()) return { name, kind: 'file', size: stats.size, link_target: null };
    return { name, kind: 'other', size: null, link_target: null };
  }

  async #linkTarget(path: string): Promise<LinkTarget> {
    const real = await realpath(path).catch(() => null);
    if (real === null) return 'broken';
    if (!isInside(real, this.root)) return 'outside';
    if (real.split(sep).some(isGitName) || this.hidden(real)) return 'forbidden';
    const stats = await stat(real).catch(() => null);
    if (!stats) return 'broken';
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : 'other';
  }
}

/**
 * A path as a client wrote it, checked before the file system sees it: its segments, with empty
 * and '.' ones dropped ('' is the folder itself). Checked once decoded by the query string, so
 * what is still percent-encoded was encoded twice.
 */
export function parseRelativePath(path: string): string[] {
  if (path.includes('\0')) throw new VibesError('INVALID_PATH', 'The path contains a NUL character');
  if (path.length > LIMITS.pathChars) throw new VibesError('INVALID_PATH', `The path is longer than ${LIMITS.pathChars} characters`);
  if (path.includes('\\')) throw new VibesError('INVALID_PATH', "Paths are '/'-separated: a backslash is not accepted");
  if (/%(2e|2f|5c|00|25)/i.test(path)) {
    throw new VibesError('PATH_OUTSIDE', 'The path is still percent-encoded once decoded (encoded twice): send it encoded once');
  }
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path)) {
    throw new VibesError('PATH_OUTSIDE', "The path must be relative to the session's folder, not absolute");
  }
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new VibesError('PATH_OUTSIDE', "The path has a '..' segment: paths stay inside the session's folder");
  if (segments.some((segment) => Buffer.byteLength(segment) > SEGMENT_BYTES)) {
    throw new VibesError('INVALID_PATH', `A part of the path is longer than ${SEGMENT_BYTES} bytes`);
  }
  if (segments.some(isGitName)) throw new VibesError('PATH_FORBIDDEN', "Git's internals (.git) are not served");
  return segments;
}

/** `.git` in any case: on a case-insensitive disk `.GIT/config` is git's config too. */
function isGitName(name: string): boolean {
  return name.toLowerCase() === '.git';
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function changed(shown: string): VibesError {
  return new VibesError('CONFLICT', `${quote(shown)} changed while it was being opened (it became a link): try again`);
}

/** A file system error as the error a client gets; the unexpected pass through (INTERNAL, logged). */
function fileSystemError(error: unknown, shown: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new VibesError('NOT_FOUND', `${quote(shown)} does not exist in the session's folder (or is a broken link)`);
    case 'ELOOP':
      return new VibesError('INVALID_PATH', `${quote(shown)} goes through a loop of symbolic links`);
    case 'ENAMETOOLONG':
      return new VibesError('INVALID_PATH', `${quote(shown)} is too long for the file system`);
    case 'EACCES':
    case 'EPERM':
      return new VibesError('PATH_FORBIDDEN', `${quote(shown)} cannot be read by the server (permission denied)`);
    default:
      return error;
  }
}

function quote(shown: string): string {
  return shown === '' ? "The session's folder" : JSON.stringify(clip(shown, 200));
}

function depth(path: string): number {
  return path.split('/').length;
}

function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}
