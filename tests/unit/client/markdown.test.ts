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
