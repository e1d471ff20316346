/** One row of a rendered diff: a line kept, added or removed, or a gap of unchanged lines left out. */
export interface DiffRow {
  kind: 'context' | 'add' | 'remove' | 'gap';
  text: string;
  oldLine: number | null;
  newLine: number | null;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

/**
 * git's unified diff of one file as rows: the file headers are left out, each hunk starts with a
 * gap row (its header's context, such as the enclosing function, as the gap's text), and line
 * numbers count on from the hunk header. `\ No newline at end of file` becomes a gap note.
 */
export function rowsFromPatch(patch: string): DiffRow[] {
  const rows: DiffRow[] = [];
  const lines = patch.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let inHunk = false;
  let oldLine = 0;
  let newLine = 0;
  for (const line of lines) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      inHunk = true;
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[3]);
      // The first hunk of a file that starts at its first line needs no gap above it.
      if (rows.length > 0 || oldLine > 1 || newLine > 1) rows.push({ kind: 'gap', text: hunk[5] ?? '', oldLine: null, newLine: null });
      continue;
    }
    if (!inHunk) continue;
    const mark = line[0];
    const text = line.slice(1);
    if (mark === '+') rows.push({ kind: 'add', text, oldLine: null, newLine: newLine++ });
    else if (mark === '-') rows.push({ kind: 'remove', text, oldLine: oldLine++, newLine: null });
    else if (mark === ' ' || line === '') rows.push({ kind: 'context', text, oldLine: oldLine++, newLine: newLine++ });
    else if (mark === '\\') rows.push({ kind: 'gap', text: text.trim(), oldLine: null, newLine: null });
    // Anything else ends the hunk: the next file's headers, which a one-file patch should not have.
    else inHunk = false;
  }
  return rows;
}

/**
 * Which removed line each added line replaces: within one run of removals followed by a run of
 * additions, the i-th of each are paired (the way a reader compares them). Returns, per row
 * index, the index of its partner, for word-level highlights.
 */
export function pairChangedLines(rows: readonly DiffRow[]): Map<number, number> {
  const partners = new Map<number, number>();
  let index = 0;
  while (index < rows.length) {
    if (rows[index]?.kind !== 'remove') {
      index++;
      continue;
    }
    const removedStart = index;
    while (rows[index]?.kind === 'remove') index++;
    const addedStart = index;
    while (rows[index]?.kind === 'add') index++;
    const pairs = Math.min(addedStart - removedStart, index - addedStart);
    for (let offset = 0; offset < pairs; offset++) {
      partners.set(removedStart + offset, addedStart + offset);
      partners.set(addedStart + offset, removedStart + offset);
    }
  }
  return partners;
}
