/**
 * A small Markdown reader for assistant replies: enough of CommonMark for what Claude writes
 * (headings, paragraphs, lists, quotes, fenced code, inline code, emphasis, links), and GFM tables. It returns a
 * tree, never HTML, so the view renders text nodes only and nothing in a reply can inject markup.
 * Half-written input (an unclosed fence while streaming) still gives a sensible tree.
 */
export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] };

export type Block =
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'code'; lang: string; text: string }
  /** `start`: an ordered list's first number, as written. */
  | { type: 'list'; ordered: boolean; start?: number; items: Inline[][] }
  | { type: 'quote'; children: Block[] }
  | { type: 'table'; align: Align[]; header: Inline[][]; rows: Inline[][][] }
  | { type: 'rule' };

export type Align = 'left' | 'center' | 'right' | null;

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const TABLE_SEPARATOR = /^\s{0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** A fenced code block's opening line: its marker (a closing line starts with it) and language. */
export function fenceOpening(line: string): { marker: string; lang: string } | null {
  const fence = FENCE.exec(line);
  return fence ? { marker: fence[1] ?? '```', lang: fence[2] ?? '' } : null;
}

export const closesFence = (line: string, marker: string) => line.trimStart().startsWith(marker);

/** A list item's line, at any indentation (a nested item is indented under its parent). */
export const isListItem = (line: string) => BULLET.test(line.trimStart()) || ORDERED.test(line.trimStart());

/** A GFM table starts with a row of cells and a separator row with as many cells. */
export function isTableStart(lines: readonly string[], i: number): boolean {
  const head = lines[i] ?? '';
  const separator = lines[i + 1] ?? '';
  return head.includes('|') && separator.includes('-') && TABLE_SEPARATOR.test(separator) && cells(head).length === cells(separator).length;
}

/** A row's cells: outer pipes dropped, split on pipes that are not escaped. */
function cells(row: string): string[] {
  const trimmed = row
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

function alignOf(cell: string): Align {
  const left = cell.startsWith(':');
  const right = cell.endsWith(':');
  return left && right ? 'center' : right ? 'right' : left ? 'left' : null;
}

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = fenceOpening(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !closesFence(lines[i] ?? '', fence.marker)) body.push(lines[i++] ?? '');
      i++;
      blocks.push({ type: 'code', lang: fence.lang, text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1]?.length ?? 1, children: parseInline(heading[2] ?? '') });
      i++;
      continue;
    }
    if (isTableStart(lines, i)) {
      const header = cells(line);
      const align = cells(lines[i + 1] ?? '').map(alignOf);
      i += 2;
      const rows: Inline[][][] = [];
      while (i < lines.length && (lines[i] ?? '').includes('|') && (lines[i] ?? '').trim() !== '') {
        const row = cells(lines[i++] ?? '');
        rows.push(header.map((_, column) => parseInline(row[column] ?? '')));
      }
      blocks.push({ type: 'table', align, header: header.map(parseInline), rows });
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? '')) body.push(QUOTE.exec(lines[i++] ?? '')?.[1] ?? '');
      blocks.push({ type: 'quote', children: parseMarkdown(body.join('\n')) });
      continue;
    }
    const ordered = ORDERED.test(line);
    if (ordered || BULLET.test(line)) {
      const pattern = ordered ? ORDERED : BULLET;
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i] ?? '';
        const match = pattern.exec(current);
        if (match) items.push(match[1] ?? '');
        else if (current.trim() !== '' && /^\s+/.test(current) && items.length > 0) items[items.length - 1] += ` ${current.trim()}`;
        else break;
        i++;
      }
      const start = ordered ? Number(/\d+/.exec(line)?.[0]) : undefined;
      blocks.push({ type: 'list', ordered, ...(start === undefined ? {} : { start }), items: items.map(parseInline) });
      continue;
    }
    const body: string[] = [];
    while (i < lines.length) {
      const current = lines[i] ?? '';
      if (current.trim() === '' || FENCE.test(current) || HEADING.test(current) || QUOTE.test(current)) break;
      if (body.length > 0 && (BULLET.test(current) || ORDERED.test(current) || RULE.test(current) || isTableStart(lines, i))) break;
      body.push(current.trim());
      i++;
    }
    blocks.push({ type: 'paragraph', children: parseInline(body.join('\n')) });
  }
  return blocks;
}

export function parseInline(source: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\' && i + 1 < source.length && /[\\`*_[\]()#>-]/.test(source[i + 1] ?? '')) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const ticks = /^`+/.exec(source.slice(i))?.[0] ?? '`';
      const end = source.indexOf(ticks, i + ticks.length);
      if (end !== -1) {
        flush();
        out.push({ type: 'code', text: source.slice(i + ticks.length, end).trim() });
        i = end + ticks.length;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && source[i + 1] === ch) {
      const end = source.indexOf(ch + ch, i + 2);
      if (end > i + 2) {
        flush();
        out.push({ type: 'strong', children: parseInline(source.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && source[i + 1] !== ' ' && source[i + 1] !== undefined) {
      const wordBefore = ch === '_' && i > 0 && /\w/.test(source[i - 1] ?? '');
      const end = wordBefore ? -1 : findClosing(source, ch, i + 1);
      if (end !== -1) {
        flush();
        out.push({ type: 'em', children: parseInline(source.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (ch === '[') {
      const link = /^\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/.exec(source.slice(i));
      if (link && isSafeHref(link[2] ?? '')) {
        flush();
        out.push({ type: 'link', href: link[2] ?? '', children: parseInline(link[1] ?? '') });
        i += link[0].length;
        continue;
      }
    }
    text += ch;
    i++;
  }
  flush();
  return out;
}

function findClosing(source: string, marker: string, from: number): number {
  for (let j = from + 1; j < source.length; j++) {
    if (source[j] === marker && source[j - 1] !== ' ' && source[j + 1] !== marker && !(marker === '_' && /\w/.test(source[j + 1] ?? '')))
      return j;
  }
  return -1;
}

/** Only web and mail links become anchors; `javascript:` and friends stay text. */
export function isSafeHref(href: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(href);
}
