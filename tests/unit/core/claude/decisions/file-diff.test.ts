import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffForEdit, diffFromPatch } from '../../../../../lib/core/claude/decisions/file-diff.ts';

const dir = mkdtempSync(join(tmpdir(), 'vibes-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const changed = (diff: Awaited<ReturnType<typeof diffForEdit>>) =>
  diff?.hunks
    .flatMap((hunk) => hunk.lines)
    .filter((line) => line.kind !== 'context')
    .map((line) => `${line.kind} ${line.old_line ?? '-'}/${line.new_line ?? '-'} ${line.text}`);

describe('diffs of edit requests', () => {
  it('an Edit against the file on disk: three lines of context, real line numbers', async () => {
    const path = file('a.txt', 'a\nb\nc\nd\ne\nf\ng\nh\n');
    const diff = await diffForEdit('Edit', { file_path: path, old_string: 'e', new_string: 'E\nE2' }, dir);
    expect(diff).toMatchObject({ status: 'modified', added: 2, removed: 1, truncated: false });
    expect(diff?.hunks[0]?.lines[0]).toEqual({ kind: 'context', old_line: 2, new_line: 2, text: 'b' });
    expect(changed(diff)).toEqual(['removed 5/- e', 'added -/5 E', 'added -/6 E2']);
  });

  it('replace_all, MultiEdit in order, and relative paths from the cwd', async () => {
    file('b.txt', 'x y x\nz\n');
    expect(changed(await diffForEdit('Edit', { file_path: 'b.txt', old_string: 'x', new_string: 'w', replace_all: true }, dir))).toEqual([
      'removed 1/- x y x',
      'added -/1 w y w',
    ]);
    const multi = await diffForEdit(
      'MultiEdit',
      {
        file_path: 'b.txt',
        edits: [
          { old_string: 'z', new_string: 'q' },
          { old_string: 'q', new_string: 'r' },
        ],
      },
      dir,
    );
    expect(changed(multi)).toEqual(['removed 2/- z', 'added -/2 r']);
  });

  it('a Write of a new file is its content; of an existing file, the diff', async () => {
    const created = await diffForEdit('Write', { file_path: join(dir, 'new.md'), content: '# T\nbody\n' }, dir);
    expect(created).toMatchObject({ status: 'created', added: 2, removed: 0 });
    expect(changed(created)).toEqual(['added -/1 # T', 'added -/2 body']);
    const path = file('old.md', 'keep\nold\n');
    expect(changed(await diffForEdit('Write', { file_path: path, content: 'keep\nnew\n' }, dir))).toEqual([
      'removed 2/- old',
      'added -/2 new',
    ]);
  });

  it('an edit whose text is not in the file is a fragment without line numbers', async () => {
    const path = file('c.txt', 'nothing here\n');
    const diff = await diffForEdit('Edit', { file_path: path, old_string: 'missing', new_string: 'found' }, dir);
    expect(diff?.status).toBe('fragment');
    expect(changed(diff)).toEqual(['removed -/- missing', 'added -/- found']);
  });

  it('a notebook cell: its old source against the new', async () => {
    const path = file('n.ipynb', JSON.stringify({ cells: [{ id: 'c1', source: ['print(1)\n'] }] }));
    expect(changed(await diffForEdit('NotebookEdit', { notebook_path: path, cell_id: 'c1', new_source: 'print(2)\n' }, dir))).toEqual([
      'removed -/- print(1)',
      'added -/- print(2)',
    ]);
  });

  it('is null for what it does not know, and bounds huge diffs', async () => {
    expect(await diffForEdit('Bash', { command: 'ls' }, dir)).toBeNull();
    expect(await diffForEdit('Edit', { file_path: 'x' }, dir)).toBeNull();
    const big = await diffForEdit('Write', { file_path: join(dir, 'big.txt'), content: 'line\n'.repeat(5000) }, dir);
    expect(big).toMatchObject({ added: 5000, truncated: true });
    expect(big?.hunks.flatMap((hunk) => hunk.lines)).toHaveLength(2000);
  });

  it("turns Claude Code's structuredPatch into the same shape", () => {
    const diff = diffFromPatch(
      '/p',
      [{ oldStart: 4, oldLines: 2, newStart: 4, newLines: 2, lines: [' ctx', '-old', '+new', '\\ No newline at end of file'] }],
      false,
    );
    expect(diff.hunks[0]?.lines).toEqual([
      { kind: 'context', old_line: 4, new_line: 4, text: 'ctx' },
      { kind: 'removed', old_line: 5, new_line: null, text: 'old' },
      { kind: 'added', old_line: null, new_line: 5, text: 'new' },
    ]);
  });
});
