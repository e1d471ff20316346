import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangeBase, ChangesResponse, ChangesSummary, FileDiff, FilePatchResponse } from '../../protocol/index.ts';
import { VibesError } from '../errors.ts';
import { computeChanges, computeFilePatch, repoOf, type ComputedChanges, type ToolWrite } from './changes.ts';
import { GitQueue } from './git.ts';
import { pathInside } from './turns.ts';

/** How long after the first change a recount waits, gathering the changes that follow it. */
const COALESCE_MS = 750;
/**
 * How long a count answers a request without looking again: a client refetching on the summary
 * it was just sent gets that count. Older, the folder is counted again (the user may have
 * changed files by hand, which no event tells).
 */
const FRESH_MS = 1000;

export interface WorkTrackerOptions {
  cwd: string;
  /** The start commit kept from before (a resumed session); undefined: a new session, read HEAD now. */
  startCommit?: string | null;
  /** Called when the changes against the start, as counted in the background, differ from the last count. */
  onSummary: (summary: ChangesSummary | null) => void;
  /** Absolute folders never listed nor diffed, even under the cwd (vibes' own home). */
  hidden?: readonly string[];
  clock?: () => number;
}

/**
 * One session's view of its folder: what changed against its start or HEAD, recounted in the
 * background while Claude works (coalesced, one git process at a time), and what its own tools wrote.
 */
export class WorkTracker {
  readonly cwd: string;
  readonly #onSummary: (summary: ChangesSummary | null) => void;
  readonly #clock: () => number;
  readonly #hidden: readonly string[];
  readonly #queue = new GitQueue();
  /** This session's own edit tools' writes, by path relative to the cwd. */
  readonly #writes = new Map<string, ToolWrite>();
  #startCommit: string | null;
  #started: Promise<void>;
  /** Bumped by every change seen: a count made at an older generation is stale. */
  #generation = 0;
  #latest: { generation: number; changes: ComputedChanges; at: number } | null = null;
  #inflight: { generation: number; promise: Promise<ComputedChanges> } | null = null;
  #timer: NodeJS.Timeout | null = null;
  #summaryKey = '';
  #inGit = false;
  #stopped = false;

  constructor(options: WorkTrackerOptions) {
    this.cwd = options.cwd;
    this.#onSummary = options.onSummary;
    this.#clock = options.clock ?? Date.now;
    this.#hidden = options.hidden ?? [];
    this.#startCommit = options.startCommit ?? null;
    const known = options.startCommit !== undefined;
    this.#started = this.#queue.run(async () => {
      const repo = await repoOf(this.cwd);
      this.#inGit = repo !== null;
      if (!known) this.#startCommit = repo?.head ?? null;
    });
  }

  /** Resolves once the start commit is known. */
  ready(): Promise<void> {
    return this.#started;
  }

  get startCommit(): string | null {
    return this.#startCommit;
  }

  /** The folder was in a git repository when last looked at. */
  get inGit(): boolean {
    return this.#inGit;
  }

  /** A path as the wire has it: relative to the cwd; null when it is outside it. */
  relativePath(path: string): string | null {
    return pathInside(this.cwd, path);
  }

  /** This session's edit tool wrote `path` (absolute or relative to the cwd); `diff` as Claude Code reported it. */
  noteToolWrite(path: string, diff: FileDiff | undefined): string | null {
    const rel = this.relativePath(path);
    if (rel === null) return null;
    const known = this.#writes.get(rel);
    this.#writes.set(rel, {
      created: known ? known.created : diff?.status === 'created',
      additions: (known?.additions ?? 0) + (diff?.added ?? 0),
      deletions: (known?.deletions ?? 0) + (diff?.removed ?? 0),
    });
    return rel;
  }

  /** Something may have changed the files: recount soon, together with whatever else follows. */
  touched(): void {
    if (this.#stopped) return;
    this.#generation++;
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      void this.changes('start').catch(() => {});
    }, COALESCE_MS);
    this.#timer.unref();
  }

  /** The changes against `base`; against the start, a count of the last second that nothing has touched since is reused. */
  async changes(base: ChangeBase): Promise<ChangesResponse> {
    return (await this.#computed(base)).response;
  }

  /** One changed file's diff; NOT_FOUND when `path` has not changed. */
  async filePatch(path: string, base: ChangeBase): Promise<FilePatchResponse> {
    const computed = await this.#computed(base);
    const file = computed.all.find((changed) => changed.path === path);
    if (!file) throw new VibesError('NOT_FOUND', `${path} has not changed since the session's ${base === 'start' ? 'start' : 'HEAD'}`);
    return this.#queue.run(async () => computeFilePatch(await this.#input(base), file));
  }

  /** What the files look like now, one fingerprint per changed file: taken when a turn starts and ends. */
  async fingerprints(): Promise<Map<string, string> | null> {
    if (!this.#inGit) return null;
    // Always a fresh look: nothing may have told of the change (a command Claude ran).
    this.#generation++;
    const computed = await this.#computed('start');
    if (computed.response.source !== 'git') return null;
    const prints = new Map<string, string>();
    await Promise.all(
      computed.all.map(async (file) => {
        const stats = await lstat(join(this.cwd, file.path)).catch(() => null);
        prints.set(file.path, `${file.status}:${file.additions}:${file.deletions}:${stats?.size ?? -1}:${stats?.mtimeMs ?? -1}`);
      }),
    );
    return prints;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #computed(base: ChangeBase): Promise<ComputedChanges> {
    if (base === 'head') {
      return this.#queue.run(async () => {
        const changes = await computeChanges(await this.#input('head'));
        // HEAD moved (a commit): the count against the start is stale too.
        if (changes.response.head_commit !== this.#latest?.changes.response.head_commit) this.#generation++;
        return changes;
      });
    }
    if (this.#latest && this.#clock() - this.#latest.at > FRESH_MS) this.#generation++;
    const generation = this.#generation;
    if (this.#latest?.generation === generation) return Promise.resolve(this.#latest.changes);
    if (this.#inflight?.generation === generation) return this.#inflight.promise;
    const promise = this.#queue.run(async () => {
      const changes = await computeChanges(await this.#input('start'));
      if (!this.#latest || this.#latest.generation <= generation) this.#latest = { generation, changes, at: this.#clock() };
      this.#report(changes);
      return changes;
    });
    this.#inflight = { generation, promise };
    const settled = () => {
      if (this.#inflight?.promise === promise) this.#inflight = null;
    };
    promise.then(settled, () => {
      settled();
      this.#report(null);
    });
    return promise;
  }

  async #input(base: ChangeBase) {
    await this.#started;
    const repo = await repoOf(this.cwd);
    this.#inGit = repo !== null;
    return { cwd: this.cwd, repo, base, startCommit: this.#startCommit, writes: this.#writes, hidden: this.#hidden, now: this.#clock() };
  }

  #report(changes: ComputedChanges | null): void {
    if (this.#stopped) return;
    const summary: ChangesSummary | null = changes
      ? { files: changes.all.length, additions: changes.response.additions, deletions: changes.response.deletions }
      : null;
    const key = JSON.stringify(summary);
    if (key === this.#summaryKey) return;
    this.#summaryKey = key;
    this.#onSummary(summary);
  }
}

/** The paths whose fingerprint differs between two looks (appeared, went, or changed). */
export function changedBetween(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): string[] {
  const paths = new Set<string>();
  for (const [path, print] of after) if (before.get(path) !== print) paths.add(path);
  for (const path of before.keys()) if (!after.has(path)) paths.add(path);
  return [...paths].sort();
}
