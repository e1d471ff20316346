import { describe, expect, it } from 'vitest';
import { MarkdownStream, type MarkdownPiece } from '../../../lib/client/shared/markdown-stream.ts';

/** The kinds of what each chunk completed, in order. */
function kinds(pieces: readonly MarkdownPiece[]): string[] {
  return pieces.map((piece) => (piece.type === 'blocks' ? piece.blocks.map((block) => block.type).join('+') : piece.type));
}

describe('MarkdownStream', () => {
  it('gives a line once it ends, never half of one', () => {
    const stream = new MarkdownStream();
    expect(stream.push('# Ti')).toEqual([]);
    expect(kinds(stream.push('tle\nSome **bo'))).toEqual(['heading']);
    expect(kinds(stream.push('ld** text.\n'))).toEqual(['paragraph']);
    expect(stream.end()).toEqual([]);
  });

  it('gives fenced code line by line, between a start and an end', () => {
    const stream = new MarkdownStream();
    expect(stream.push('```ts\nconst a = 1;\n')).toEqual([
      { type: 'code_start', lang: 'ts' },
      { type: 'code_line', text: 'const a = 1;' },
    ]);
    expect(stream.push('\n# not a heading\n```\n')).toEqual([
      { type: 'code_line', text: '' },
      { type: 'code_line', text: '# not a heading' },
      { type: 'code_end' },
    ]);
  });

  it('holds a table until it ends, and a row with a pipe until the next line says whether it starts one', () => {
    const stream = new MarkdownStream();
    expect(stream.push('| a | b |\n')).toEqual([]);
    expect(stream.push('|---|--:|\n| 1 | 2 |\n| 3 | 4 |\n')).toEqual([]);
    const [table] = stream.push('\n');
    expect(table).toMatchObject({ type: 'blocks', blocks: [{ type: 'table', align: [null, 'right'] }] });
    expect(table?.type === 'blocks' && table.blocks[0]?.type === 'table' && table.blocks[0].rows.length).toBe(2);
    expect(kinds(new MarkdownStream().push('a | b\nplain\n'))).toEqual(['paragraph', 'paragraph']);
  });

  it('gives a list item once the next line is not its continuation, with its number and indentation', () => {
    const stream = new MarkdownStream();
    expect(stream.push('3. first\n')).toEqual([]);
    const [first] = stream.push('   goes on\n   - nested\n');
    expect(first).toEqual({
      type: 'blocks',
      indent: 0,
      blocks: [{ type: 'list', ordered: true, start: 3, items: [[{ type: 'text', text: 'first goes on' }]] }],
    });
    expect(stream.end()).toEqual([
      { type: 'blocks', indent: 3, blocks: [{ type: 'list', ordered: false, items: [[{ type: 'text', text: 'nested' }]] }] },
    ]);
  });

  it('keeps one gap for blank lines between pieces, none before the first or after the last', () => {
    const stream = new MarkdownStream();
    expect(kinds([...stream.push('\n\nOne.\n\n\n'), ...stream.push('Two.\n\n'), ...stream.end()])).toEqual([
      'paragraph',
      'gap',
      'paragraph',
    ]);
  });

  it('at the end, gives the unfinished line, the held table and closes an open fence', () => {
    const stream = new MarkdownStream();
    expect(stream.push('```\ncode')).toEqual([{ type: 'code_start', lang: '' }]);
    expect(stream.end()).toEqual([{ type: 'code_line', text: 'code' }, { type: 'code_end' }]);
    const table = new MarkdownStream();
    table.push('| a |\n|---|\n| 1 |');
    expect(kinds(table.end())).toEqual(['table']);
  });
});
