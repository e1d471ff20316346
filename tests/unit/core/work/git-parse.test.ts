import { describe, expect, it } from 'vitest';
import { parseDiffRawNumstat, parseNulList } from '../../../../lib/core/work/git-parse.ts';

// Outputs as git 2.39 prints them (see how each was made beside it), NUL-separated.
const z = (...tokens: string[]) => `${tokens.join('\0')}\0`;

describe('parseDiffRawNumstat (git diff -z --raw --numstat -M)', () => {
  it('pairs each raw entry with its line counts: modified, renamed, binary', () => {
    const output = z(
      ':100644 100644 87ae6b6 0000000 M',
      'b.bin',
      ':100644 100644 788c817 788c817 R100',
      'old.txt',
      'd/new.txt',
      ':100644 100644 422c2b7 0000000 M',
      'x.txt',
      '-\t-\tb.bin',
      '0\t0\t',
      'old.txt',
      'd/new.txt',
      '1\t0\tx.txt',
    );
    expect(parseDiffRawNumstat(output)).toEqual([
      { path: 'b.bin', oldPath: null, status: 'modified', additions: 0, deletions: 0, binary: true },
      { path: 'd/new.txt', oldPath: 'old.txt', status: 'renamed', additions: 0, deletions: 0, binary: false },
      { path: 'x.txt', oldPath: null, status: 'modified', additions: 1, deletions: 0, binary: false },
    ]);
  });

  it('reads added, deleted, type-changed and copied files, and paths with tabs, spaces and newlines', () => {
    const output = z(
      ':000000 100644 0000000 0000000 A',
      'new file.txt',
      ':100644 000000 1111111 0000000 D',
      'gone\twith tab',
      ':100644 120000 2222222 0000000 T',
      'link',
      ':100644 100644 3333333 3333333 C075',
      'src.ts',
      'copy\nof.ts',
      '3\t0\tnew file.txt',
      '0\t7\tgone\twith tab',
      '1\t1\tlink',
      '2\t1\t',
      'src.ts',
      'copy\nof.ts',
    );
    expect(
      parseDiffRawNumstat(output).map(({ path, oldPath, status, additions, deletions }) => [path, oldPath, status, additions, deletions]),
    ).toEqual([
      ['new file.txt', null, 'added', 3, 0],
      ['gone\twith tab', null, 'deleted', 0, 7],
      ['link', null, 'type_changed', 1, 1],
      ['copy\nof.ts', 'src.ts', 'added', 2, 1],
    ]);
  });

  it('parses numstat alone (no raw part), a rename among them, and nothing at all', () => {
    expect(parseDiffRawNumstat(z('4\t2\ta.ts', '-\t-\timg.png', '1\t1\t', 'a/old.ts', 'b/new.ts'))).toEqual([
      { path: 'a.ts', oldPath: null, status: 'modified', additions: 4, deletions: 2, binary: false },
      { path: 'img.png', oldPath: null, status: 'modified', additions: 0, deletions: 0, binary: true },
      { path: 'b/new.ts', oldPath: 'a/old.ts', status: 'renamed', additions: 1, deletions: 1, binary: false },
    ]);
    expect(parseDiffRawNumstat('')).toEqual([]);
  });
});

describe('parseNulList (git ls-files -z)', () => {
  it('reads paths with spaces, tabs and newlines, and nothing at all', () => {
    expect(parseNulList(z('a b.txt', 'tab\there', 'new\nline', 'nested/'))).toEqual(['a b.txt', 'tab\there', 'new\nline', 'nested/']);
    expect(parseNulList('')).toEqual([]);
  });
});
