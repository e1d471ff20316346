import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from '../../../lib/client/shared/markdown.ts';

describe('markdown', () => {
  it('reads the blocks Claude writes', () => {
    const blocks = parseMarkdown(
      '# Title\n\nSome **bold** and `code`.\n\n- one\n- two\n\n1. first\n\n```ts\nconst x = 1;\n```\n\n> quoted\n\n---',
    );
    expect(blocks.map((block) => block.type)).toEqual(['heading', 'paragraph', 'list', 'list', 'code', 'quote', 'rule']);
    expect(blocks[4]).toEqual({ type: 'code', lang: 'ts', text: 'const x = 1;' });
  });

  it('keeps an unclosed fence (still streaming) as code', () => {
    expect(parseMarkdown('```\nhalf')).toEqual([{ type: 'code', lang: '', text: 'half' }]);
  });

  it('makes links only of safe addresses', () => {
    expect(parseInline('[ok](https://example.com)')).toEqual([
      { type: 'link', href: 'https://example.com', children: [{ type: 'text', text: 'ok' }] },
    ]);
    expect(parseInline('[bad](javascript:alert(1))')[0]).toMatchObject({ type: 'text' });
  });

  it('reads emphasis without eating snake_case', () => {
    expect(parseInline('*a* snake_case_name')).toEqual([
      { type: 'em', children: [{ type: 'text', text: 'a' }] },
      { type: 'text', text: ' snake_case_name' },
    ]);
  });
});

describe('GFM tables', () => {
  it('reads a header, the alignment row and the body rows, with inline Markdown in cells', () => {
    const blocks = parseMarkdown('Codes:\n| Code | Meaning |\n|---|:-:|\n| 403 | **Forbidden** |\n| 409 | a \\| b |\n\nAfter.');
    expect(blocks.map((block) => block.type)).toEqual(['paragraph', 'table', 'paragraph']);
    expect(blocks[1]).toEqual({
      type: 'table',
      align: [null, 'center'],
      header: [[{ type: 'text', text: 'Code' }], [{ type: 'text', text: 'Meaning' }]],
      rows: [
        [[{ type: 'text', text: '403' }], [{ type: 'strong', children: [{ type: 'text', text: 'Forbidden' }] }]],
        [[{ type: 'text', text: '409' }], [{ type: 'text', text: 'a | b' }]],
      ],
    });
  });

  it('a short row is padded, a long one cut to the header; without a matching separator it stays a paragraph', () => {
    const [table] = parseMarkdown('a | b\n--- | ---:\n1 |\n1 | 2 | 3');
    expect(table).toMatchObject({ type: 'table', align: [null, 'right'] });
    expect(table?.type === 'table' && table.rows.map((row) => row.length)).toEqual([2, 2]);
    expect(parseMarkdown('a | b\n---')[0]?.type).toBe('paragraph');
  });
});
