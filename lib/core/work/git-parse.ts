import type { FileChangeStatus } from '../../protocol/index.ts';

/** One file of `git diff --raw --numstat -z`: what happened to it and by how many lines. */
export interface DiffEntry {
  path: string;
  /** A rename's or copy's source; null otherwise. */
  oldPath: string | null;
  status: FileChangeStatus;
  additions: number;
  deletions: number;
  /** numstat says `-` `-`: git sees no lines in it. */
  binary: boolean;
}

const RAW_STATUS: Record<string, FileChangeStatus> = {
  M: 'modified',
  A: 'added',
  D: 'deleted',
  R: 'renamed',
  // A copy is a new file that git found the source of.
  C: 'added',
  T: 'type_changed',
  U: 'modified',
};

/**
 * Parses `git diff -z --raw --numstat`: the raw entries (`:modes shas STATUS\0path\0`, two paths
 * for a rename or copy) come first, then the numstat entries (`add\tdel\tpath\0`, or
 * `add\tdel\t\0old\0new\0` for a rename; `-\t-` for binary). Either part alone parses too.
 */
export function parseDiffRawNumstat(output: string): DiffEntry[] {
  const tokens = output.split('\0');
  const byPath = new Map<string, DiffEntry>();
  const order: DiffEntry[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i++] ?? '';
    if (token === '') continue;
    if (token.startsWith(':')) {
      const letter = token.split(' ').at(-1)?.[0] ?? 'M';
      const status = RAW_STATUS[letter] ?? 'modified';
      const twoPaths = letter === 'R' || letter === 'C';
      const first = tokens[i++] ?? '';
      const path = twoPaths ? (tokens[i++] ?? '') : first;
      const entry: DiffEntry = { path, oldPath: twoPaths ? first : null, status, additions: 0, deletions: 0, binary: false };
      byPath.set(path, entry);
      order.push(entry);
      continue;
    }
    const firstTab = token.indexOf('\t');
    const secondTab = token.indexOf('\t', firstTab + 1);
    const added = token.slice(0, firstTab);
    const deleted = token.slice(firstTab + 1, secondTab);
    const inlinePath = token.slice(secondTab + 1);
    let path = inlinePath;
    let oldPath: string | null = null;
    if (inlinePath === '') {
      oldPath = tokens[i++] ?? '';
      path = tokens[i++] ?? '';
    }
    const binary = added === '-' && deleted === '-';
    const counts = { additions: binary ? 0 : Number(added) || 0, deletions: binary ? 0 : Number(deleted) || 0, binary };
    const known = byPath.get(path);
    if (known) Object.assign(known, counts);
    else {
      const entry: DiffEntry = { path, oldPath, status: oldPath === null ? 'modified' : 'renamed', ...counts };
      byPath.set(path, entry);
      order.push(entry);
    }
  }
  return order;
}

export function parseNulList(output: string): string[] {
  return output.split('\0').filter((path) => path !== '');
}
