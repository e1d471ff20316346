import { describe, expect, it } from 'vitest';
import { parseDiffRawNumstat, parseStatusV2 } from '../../../../lib/core/work/git-parse.ts';

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

describe('parseStatusV2 (git status --porcelain=v2 -z)', () => {
  it('reads changed, renamed, unmerged, untracked and ignored entries, paths with spaces', () => {
    const output = z(
      '1 .M N... 100644 100644 100644 87ae6b695deceaf160611414f7dcd5c7366b2e79 87ae6b695deceaf160611414f7dcd5c7366b2e79 sub/b c.bin',
      '2 R. N... 100644 100644 100644 788c8171799781d0679402b6132f26795538e3df 788c8171799781d0679402b6132f26795538e3df R100 sub/d/new.txt',
      'sub/old.txt',
      'u UU N... 100644 100644 100644 100644 1111111111111111111111111111111111111111 2222222222222222222222222222222222222222 3333333333333333333333333333333333333333 conflict.ts',
      '? sub/d/u.txt',
      '! build/out.js',
    );
    expect(parseStatusV2(output)).toEqual([
      { kind: 'changed', xy: '.M', path: 'sub/b c.bin' },
      { kind: 'renamed', xy: 'R.', path: 'sub/d/new.txt', oldPath: 'sub/old.txt' },
      { kind: 'unmerged', xy: 'UU', path: 'conflict.ts' },
      { kind: 'untracked', path: 'sub/d/u.txt' },
      { kind: 'ignored', path: 'build/out.js' },
    ]);
  });

  it('skips --branch headers and empty output', () => {
    expect(parseStatusV2(z('# branch.oid abc', '# branch.head main', '? a'))).toEqual([{ kind: 'untracked', path: 'a' }]);
    expect(parseStatusV2('')).toEqual([]);
  });
});
