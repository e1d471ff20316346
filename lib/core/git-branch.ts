import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** How long a branch read stays fresh: cards refresh often, and a checkout is rare. */
const FRESH_MS = 5000;

const cache = new Map<string, { branch: string | null; readAt: number }>();

/**
 * The branch of the repository `cwd` is in, read from .git/HEAD (no git process), or the start
 * of the commit when HEAD is detached; null outside a repository. Cached per folder for a few seconds.
 */
export function gitBranch(cwd: string, now: number = Date.now()): string | null {
  const hit = cache.get(cwd);
  if (hit && now - hit.readAt < FRESH_MS) return hit.branch;
  const branch = readBranch(cwd);
  if (cache.size > 500) cache.clear();
  cache.set(cwd, { branch, readAt: now });
  return branch;
}

function readBranch(cwd: string): string | null {
  let folder = resolve(cwd);
  for (;;) {
    const head = headOf(join(folder, '.git'));
    if (head !== undefined) return head;
    const parent = dirname(folder);
    if (parent === folder) return null;
    folder = parent;
  }
}

/** undefined when `dotGit` is not there; null when it is there but unreadable. */
function headOf(dotGit: string): string | null | undefined {
  try {
    const stat = statSync(dotGit, { throwIfNoEntry: false });
    if (!stat) return undefined;
    let gitDir = dotGit;
    // A worktree or submodule: .git is a file that points to the real folder.
    if (stat.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      if (!pointer) return null;
      gitDir = resolve(dirname(dotGit), pointer);
    }
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref:\s*refs\/heads\/(.+)$/.exec(head)?.[1];
    if (ref) return ref;
    return /^[0-9a-f]{7,}$/i.test(head) ? head.slice(0, 7) : null;
  } catch {
    return null;
  }
}
