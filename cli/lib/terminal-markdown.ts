import type { Align, Block, Inline } from '../../lib/client/shared/markdown.ts';
import { MarkdownStream, type MarkdownPiece } from '../../lib/client/shared/markdown-stream.ts';
import { displayWidth, type Style } from './style.ts';
import { withoutEscapes } from './terminal-text.ts';

/** A whole Markdown text laid out, as markdownLines lays out a streamed one. */
export function markdownText(text: string, style: Style, width: number): string[] {
  const stream = new MarkdownStream();
  return markdownLines([...stream.push(text), ...stream.end()], style, width);
}

/** A run of text and how it is painted; lines are laid out in spans and painted last. */
interface Span {
  text: string;
  paint: (text: string) => string;
}

const plain = (text: string) => text;
/** Cells narrower than this are not worth shrinking a table to; the terminal wraps it instead. */
const MIN_COLUMN = 3;

/**
 * Markdown laid out for a terminal `width` columns wide: emphasis and code in Style's colours,
 * headings underlined, lists and quotes indented, fenced code behind a gutter, tables in box
 * rules. Without colours (NO_COLOR) the layout stays and inline code keeps its backticks. The
 * reply's own text is stripped of every escape sequence first: only this CLI's styles remain.
 */
export function markdownLines(pieces: readonly MarkdownPiece[], style: Style, width: number): string[] {
  const columns = Math.max(20, width);
  return pieces.flatMap((piece): string[] => {
    switch (piece.type) {
      case 'blocks':
        return piece.blocks
          .flatMap((block) => blockLines(block, style, columns - piece.indent))
          .map((line) => ' '.repeat(piece.indent) + line);
      case 'code_start':
        return [style.dim(`┌─${piece.lang ? ` ${withoutEscapes(piece.lang)}` : ''}`)];
      case 'code_line':
        return [`${style.dim('│')} ${withoutEscapes(piece.text)}`];
      case 'code_end':
        return [style.dim('└─')];
      case 'gap':
        return [''];
    }
  });
}

function blockLines(block: Block, s: Style, width: number): string[] {
  switch (block.type) {
    case 'paragraph':
      return wrap(spansOf(block.children, s), width).map(paintLine);
    case 'heading': {
      const lines = wrap(spansOf(block.children, s, s.bold), width).map(paintLine);
      const rule = block.level === 1 ? '═' : block.level === 2 ? '─' : '';
      const underline = rule ? [s.dim(rule.repeat(Math.min(width, Math.max(...lines.map(visible)))))] : [];
      return [...lines, ...underline];
    }
    case 'list':
      return block.items.flatMap((item, index) => {
        const marker = block.ordered ? `${(block.start ?? 1) + index}.` : '•';
        const hang = ' '.repeat(displayWidth(marker) + 1);
        return wrap(spansOf(item, s), width - hang.length).map(
          (line, row) => `${row === 0 ? `${s.dim(marker)} ` : hang}${paintLine(line)}`,
        );
      });
    case 'quote':
      return block.children.flatMap((child) => blockLines(child, s, width - 2)).map((line) => `${s.dim('│')} ${line}`);
    case 'code':
      return markdownLines(
        [
          { type: 'code_start', lang: block.lang },
          ...block.text.split('\n').map((text) => ({ type: 'code_line' as const, text })),
          { type: 'code_end' },
        ],
        s,
        width,
      );
    case 'rule':
      return [s.dim('─'.repeat(Math.min(width, 60)))];
    case 'table':
      return tableLines(block, s, width);
  }
}

function spansOf(inlines: readonly Inline[], s: Style, paint: (text: string) => string = plain): Span[] {
  return inlines.flatMap((inline): Span[] => {
    switch (inline.type) {
      case 'text':
        return [{ text: withoutEscapes(inline.text), paint }];
      case 'code': {
        const text = withoutEscapes(inline.text);
        return [s.enabled ? { text, paint: (t) => s.cyan(paint(t)) } : { text: `\`${text}\``, paint }];
      }
      case 'strong':
        return spansOf(inline.children, s, (t) => s.bold(paint(t)));
      case 'em':
        return spansOf(inline.children, s, (t) => s.italic(paint(t)));
      case 'link': {
        const label = spansOf(inline.children, s, (t) => s.underline(paint(t)));
        const href = withoutEscapes(inline.href);
        const same = label.map((span) => span.text).join('') === href;
        return same ? label : [...label, { text: ` (${href})`, paint: (t) => s.dim(paint(t)) }];
      }
    }
  });
}

/** Greedy word wrap to `width` columns; newlines in the text break lines, a word wider than a line is cut. */
function wrap(spans: readonly Span[], width: number): Span[][] {
  const limit = Math.max(1, width);
  const lines: Span[][] = [[]];
  let used = 0;
  const newLine = () => {
    trimEnd(lines[lines.length - 1]!);
    lines.push([]);
    used = 0;
  };
  for (const span of spans) {
    for (const part of span.text.split(/(\n|[^\S\n]+)/)) {
      if (part === '') continue;
      if (part === '\n') {
        newLine();
        continue;
      }
      if (part.trim() === '') {
        if (used > 0) {
          lines[lines.length - 1]!.push({ text: ' ', paint: span.paint });
          used += 1;
        }
        continue;
      }
      let word = part;
      if (used > 0 && used + displayWidth(word) > limit) newLine();
      while (displayWidth(word) > limit - used) {
        const [head, rest] = cut(word, limit - used);
        if (head === '') break;
        lines[lines.length - 1]!.push({ text: head, paint: span.paint });
        newLine();
        word = rest;
      }
      if (word === '') continue;
      lines[lines.length - 1]!.push({ text: word, paint: span.paint });
      used += displayWidth(word);
    }
  }
  trimEnd(lines[lines.length - 1]!);
  return lines;
}

/** The first `columns` columns of `word`, and the rest. */
function cut(word: string, columns: number): [string, string] {
  let head = '';
  for (const char of word) {
    if (displayWidth(head + char) > columns) break;
    head += char;
  }
  return [head, word.slice(head.length)];
}

function trimEnd(line: Span[]): void {
  while (line.length > 0 && line[line.length - 1]!.text.trim() === '') line.pop();
}

function paintLine(line: readonly Span[]): string {
  let out = '';
  for (let i = 0; i < line.length;) {
    const { paint } = line[i]!;
    let text = '';
    for (; i < line.length && line[i]!.paint === paint; i++) text += line[i]!.text;
    out += paint(text);
  }
  return out;
}

const visible = (text: string) => displayWidth(withoutEscapes(text));
const lineWidth = (line: readonly Span[]) => line.reduce((sum, span) => sum + displayWidth(span.text), 0);

/**
 * A GFM table in box rules, its columns as wide as their widest cell; when that is wider than the
 * terminal, the widest columns give way and their cells wrap, with a rule between body rows.
 */
function tableLines(block: Extract<Block, { type: 'table' }>, s: Style, width: number): string[] {
  const rows = [block.header, ...block.rows].map((row, index) =>
    row.map((cell) => spansOf(cell, s, index === 0 ? s.bold : plain).map((span) => ({ ...span, text: span.text.replace(/\s+/g, ' ') }))),
  );
  const columns = block.header.length;
  const widths = Array.from({ length: columns }, (_, column) => Math.max(1, ...rows.map((row) => lineWidth(row[column] ?? []))));
  const room = width - (3 * columns + 1);
  for (let total = sum(widths); total > room; total--) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest]!--;
  }
  const laidOut = rows.map((row) => widths.map((columnWidth, column) => wrap(row[column] ?? [], columnWidth)));
  const rule = (left: string, middle: string, right: string) =>
    s.dim(`${left}${widths.map((columnWidth) => '─'.repeat(columnWidth + 2)).join(middle)}${right}`);
  const bar = s.dim('│');
  const rowLines = (cells: Span[][][]) =>
    Array.from(
      { length: Math.max(...cells.map((cell) => cell.length)) },
      (_, line) =>
        `${bar} ${cells.map((cell, column) => aligned(cell[line] ?? [], widths[column]!, block.align[column] ?? null)).join(` ${bar} `)} ${bar}`,
    );
  const [header = [], ...body] = laidOut;
  const wrapped = body.some((cells) => cells.some((cell) => cell.length > 1));
  return [
    rule('┌', '┬', '┐'),
    ...rowLines(header),
    rule('├', '┼', '┤'),
    ...body.flatMap((cells, index) => [...(wrapped && index > 0 ? [rule('├', '┼', '┤')] : []), ...rowLines(cells)]),
    rule('└', '┴', '┘'),
  ];
}

function aligned(line: readonly Span[], width: number, align: Align): string {
  const space = Math.max(0, width - lineWidth(line));
  const before = align === 'right' ? space : align === 'center' ? Math.floor(space / 2) : 0;
  return ' '.repeat(before) + paintLine(line) + ' '.repeat(space - before);
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
