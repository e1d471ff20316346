import { describe, expect, it } from 'vitest';
import { highlightLines, languageFor, LazyHighlight } from '../../../lib/client/shared/highlight.ts';
import { pairChangedLines, rowsFromPatch } from '../../../lib/client/shared/patch.ts';
import { changedWords, overlay } from '../../../lib/client/shared/word-diff.ts';

const PATCH = `diff --git a/src/a.ts b/src/a.ts
index 1111111..2222222 100644
--- a/src/a.ts
+++ b/src/a.ts
@@ -1,3 +1,3 @@
 const a = 1;
-const b = 2;
+const b = 3;
 const c = 4;
@@ -10,2 +10,3 @@ function tail() {
 x();
+y();
 z();
\\ No newline at end of file
`;

describe('rowsFromPatch', () => {
  it('drops the headers, numbers the lines from each hunk and puts a gap between hunks', () => {
    const rows = rowsFromPatch(PATCH);
    expect(rows.map((row) => row.kind)).toEqual(['context', 'remove', 'add', 'context', 'gap', 'context', 'add', 'context', 'gap']);
    expect(rows[1]).toEqual({ kind: 'remove', text: 'const b = 2;', oldLine: 2, newLine: null });
    expect(rows[2]).toEqual({ kind: 'add', text: 'const b = 3;', oldLine: null, newLine: 2 });
    expect(rows[4]?.text).toBe('function tail() {');
    expect(rows[6]).toEqual({ kind: 'add', text: 'y();', oldLine: null, newLine: 11 });
    expect(rows[7]).toMatchObject({ oldLine: 11, newLine: 12 });
    expect(rows[8]?.text).toBe('No newline at end of file');
  });

  it('pairs the removed and added lines of one change, in order', () => {
    const rows = rowsFromPatch(PATCH);
    const partners = pairChangedLines(rows);
    expect(partners.get(1)).toBe(2);
    expect(partners.get(2)).toBe(1);
    expect(partners.has(6)).toBe(false);
  });
});

describe('changedWords', () => {
  it('marks the words that changed, on each side', () => {
    const words = changedWords('const b = 2;', 'const b = 3;');
    expect(words).toEqual({ old: [[10, 11]], new: [[10, 11]] });
  });

  it('gives nothing for lines with little in common', () => {
    expect(changedWords('return total;', 'import { x } from "y";')).toBeNull();
  });

  it('cuts syntax tokens where a change begins and ends', () => {
    const [tokens = []] = highlightLines(['const b = 3;'], 'js');
    const segments = overlay(tokens, [[10, 11]]);
    expect(segments.map((segment) => segment.text).join('')).toBe('const b = 3;');
    expect(segments.filter((segment) => segment.changed)).toEqual([{ kind: 'number', text: '3', changed: true }]);
  });
});

describe('highlight', () => {
  it('knows languages by extension, by name and by the server’s hint', () => {
    expect(languageFor('src/app.tsx')).toBe('js');
    expect(languageFor('Dockerfile')).toBe('dockerfile');
    expect(languageFor('notes', 'python')).toBe('python');
    expect(languageFor('LICENSE')).toBeNull();
    // The server names languages the way highlight.js does (lib/core/work/language.ts).
    expect(languageFor('x', 'typescript')).toBe('js');
    expect(languageFor('x', 'bash')).toBe('shell');
    expect(languageFor('x', 'cpp')).toBe('c');
    expect(languageFor('x', 'scss')).toBe('css');
    expect(languageFor('notes.txt', 'text')).toBeNull();
  });

  it('colours keywords, strings, comments and numbers, and carries a block comment to the next line', () => {
    const lines = highlightLines(['const s = "a // b"; // note', '/* open', 'still */ return 42;'], 'js');
    expect(lines[0]).toEqual([
      { kind: 'keyword', text: 'const' },
      { kind: null, text: ' s = ' },
      { kind: 'string', text: '"a // b"' },
      { kind: null, text: '; ' },
      { kind: 'comment', text: '// note' },
    ]);
    expect(lines[1]).toEqual([{ kind: 'comment', text: '/* open' }]);
    expect(lines[2]).toEqual([
      { kind: 'comment', text: 'still */' },
      { kind: null, text: ' ' },
      { kind: 'keyword', text: 'return' },
      { kind: null, text: ' ' },
      { kind: 'number', text: '42' },
      { kind: null, text: ';' },
    ]);
  });

  it('handles Python’s long strings, shell variables and JSON keys', () => {
    const python = highlightLines(['x = """doc', 'more"""  # done'], 'python');
    expect(python[1]).toEqual([
      { kind: 'string', text: 'more"""' },
      { kind: null, text: '  ' },
      { kind: 'comment', text: '# done' },
    ]);
    const shell = highlightLines(['echo "$HOME" ${#x} # c'], 'shell')[0] ?? [];
    expect(shell.find((token) => token.kind === 'comment')?.text).toBe('# c');
    const json = highlightLines(['{"name": "v", "n": 1, "ok": true}'], 'json')[0] ?? [];
    expect(json.filter((token) => token.kind === 'attr').map((token) => token.text)).toEqual(['"name"', '"n"', '"ok"']);
    expect(json.find((token) => token.kind === 'literal')?.text).toBe('true');
  });

  it('gives the same tokens on demand, carrying what earlier lines left open', () => {
    const lines = ['/* a', 'b */ let x = 1;', 'const y = "s";'];
    const lazy = new LazyHighlight(lines, 'js');
    expect(lazy.at(2)).toEqual(highlightLines(lines, 'js')[2]);
    expect(lazy.at(1)).toEqual(highlightLines(lines, 'js')[1]);
    expect(lazy.at(9)).toEqual([]);
  });

  it('keeps every character, in every language', () => {
    const text = ['<div class="a">x</div> <!-- c', '--> # Title `code`', 'SELECT 1 -- q', "fn main() { let s = 'c'; }"];
    for (const language of ['html', 'markdown', 'sql', 'rust', 'shell', 'yaml', 'c', 'css'] as const) {
      const lines = highlightLines(text, language);
      expect(lines.map((tokens) => tokens.map((token) => token.text).join(''))).toEqual(text);
    }
  });
});
