import { describe, expect, it } from 'vitest';
import { MarkdownStream } from '../../../lib/client/shared/markdown-stream.ts';
import { displayWidth, makeStyle } from '../../../cli/lib/style.ts';
import { markdownLines } from '../../../cli/lib/terminal-markdown.ts';
import { terminalText, withoutEscapes } from '../../../cli/lib/terminal-text.ts';

const ESC = '\u001b';
const colour = makeStyle(true);
const noColour = makeStyle(false);

function render(markdown: string, style = colour, width = 80): string[] {
  const stream = new MarkdownStream();
  return markdownLines([...stream.push(markdown), ...stream.end()], style, width);
}

const TABLE =
  '| Code | Meaning | When |\n|---|:-:|--:|\n| 400 | Bad request | the body does not parse |\n| 409 | Conflict | answered already |\n';

describe('Markdown in a terminal', () => {
  it('paints emphasis, code and headings, and drops their markers', () => {
    const lines = render('## Status\n\nSome **bold**, *italic* and `code`.\n');
    expect(lines).toEqual([
      colour.bold('Status'),
      colour.dim('──────'),
      '',
      `Some ${colour.bold('bold')}, ${colour.italic('italic')} and ${colour.cyan('code')}.`,
    ]);
  });

  it('without colours keeps the layout: no escape at all, markers gone, inline code in backticks', () => {
    const lines = render('# Title\n\n- **one**\n- two `x`\n\n> quoted\n', noColour);
    expect(lines).toEqual(['Title', '═════', '', '• one', '• two `x`', '', '│ quoted']);
    expect(lines.join('\n')).not.toContain(ESC);
  });

  it('shows a link as its text and its address', () => {
    expect(render('See [the docs](https://example.com/docs) or https://example.com.', noColour)).toEqual([
      'See the docs (https://example.com/docs) or https://example.com.',
    ]);
  });

  it('numbers an ordered list from its first number and hangs wrapped items under their text', () => {
    expect(render('7. one two three four\n8. five\n', noColour, 20)).toEqual(['7. one two three', '   four', '8. five']);
  });

  it('puts fenced code behind a gutter, as written', () => {
    expect(render('```ts\nconst  a = 1;\n  indented\n```\n', noColour)).toEqual(['┌─ ts', '│ const  a = 1;', '│   indented', '└─']);
  });

  it('draws a table in aligned rules, each column as wide as its widest cell, aligned as the separator says', () => {
    const lines = render(TABLE, noColour);
    expect(lines).toEqual([
      '┌──────┬─────────────┬─────────────────────────┐',
      '│ Code │   Meaning   │                    When │',
      '├──────┼─────────────┼─────────────────────────┤',
      '│ 400  │ Bad request │ the body does not parse │',
      '│ 409  │  Conflict   │        answered already │',
      '└──────┴─────────────┴─────────────────────────┘',
    ]);
    const coloured = render(TABLE).map(withoutEscapes);
    expect(coloured).toEqual(lines);
  });

  it('fits a table wider than the terminal: the widest columns give way and their cells wrap', () => {
    const lines = render(TABLE, noColour, 36);
    for (const line of lines) expect(displayWidth(line)).toBe(36);
    expect(lines).toContain('│ 400  │ Bad request │    the body │');
    expect(lines).toContain('│      │             │    does not │');
    // Wrapped rows are told apart by a rule between them.
    expect(lines.filter((line) => line.startsWith('├'))).toHaveLength(2);
  });

  it('wraps a paragraph at word boundaries within the width, counting wide characters as two', () => {
    const lines = render('alpha beta gamma delta epsilon 日本語のテキストです', noColour, 24);
    expect(lines).toEqual(['alpha beta gamma delta', 'epsilon', '日本語のテキストです']);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(24);
  });

  it("lets no escape sequence of the reply's own through, even where this CLI paints", () => {
    const hostile = `# T${ESC}]52;c;eHl6${ESC}\\itle\n\n**bo${ESC}[2Jld** ${ESC}[31mred${ESC}[39m\n\n| a${ESC}[8m |\n|---|\n| b |\n\n\`\`\`${ESC}[1m\n${ESC}[Hcode\n\`\`\`\n`;
    const text = render(hostile).join('\n');
    // Only the styles this renderer adds: bold, dim, cyan... and never the reply's red or its screen clear.
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/\u001b\[(2J|H|8m|31m)|\u001b\]/);
    expect(terminalText(text)).toBe(text);
    expect(withoutEscapes(text)).toContain('Title');
    expect(withoutEscapes(text)).toContain('│ code');
  });
});
