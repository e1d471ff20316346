import { closesFence, fenceOpening, isListItem, isTableStart, parseMarkdown, type Block } from './markdown.ts';

/**
 * What of a streamed reply can be shown for good: blocks as soon as their lines are complete (a
 * table once it ends, a list item once the next line is not its continuation), and fenced code
 * line by line between its opening and closing fences.
 */
export type MarkdownPiece =
  /** `indent`: the columns the source indented these blocks by (a nested list item). */
  | { type: 'blocks'; blocks: Block[]; indent: number }
  | { type: 'code_start'; lang: string }
  | { type: 'code_line'; text: string }
  | { type: 'code_end' }
  /** One or more blank lines between two pieces. */
  | { type: 'gap' };

/**
 * Splits a reply that arrives in chunks into the pieces that are complete, parsed with
 * parseMarkdown. `push` gives what each chunk completes; `end`, once the reply is over, the rest.
 */
export class MarkdownStream {
  /** The line still being written. */
  #partial = '';
  /** Complete lines whose block may yet go on: a list item, or what may be (or is) a table. */
  #held: string[] = [];
  /** The marker of the fenced code block that is open. */
  #fence: string | null = null;
  #gap = false;
  #started = false;

  push(text: string): MarkdownPiece[] {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop() ?? '';
    const out: MarkdownPiece[] = [];
    for (const line of lines) this.#line(line.replace(/\r$/, ''), out);
    return out;
  }

  end(): MarkdownPiece[] {
    const out: MarkdownPiece[] = [];
    if (this.#partial !== '') this.#line(this.#partial, out);
    this.#partial = '';
    this.#flush(out);
    if (this.#fence !== null) this.#emit(out, { type: 'code_end' });
    this.#fence = null;
    return out;
  }

  #line(line: string, out: MarkdownPiece[]): void {
    if (this.#fence !== null) {
      const closing = closesFence(line, this.#fence);
      if (closing) this.#fence = null;
      this.#emit(out, closing ? { type: 'code_end' } : { type: 'code_line', text: line });
      return;
    }
    if (this.#held.length > 0 && this.#continues(line)) {
      this.#held.push(line);
      return;
    }
    this.#flush(out);
    const fence = fenceOpening(line);
    if (fence) {
      this.#fence = fence.marker;
      this.#emit(out, { type: 'code_start', lang: fence.lang });
    } else if (line.trim() === '') {
      this.#gap = this.#started;
    } else if (line.includes('|') || isListItem(line)) {
      this.#held.push(line);
    } else {
      this.#emit(out, blocksOf([line]));
    }
  }

  /** Whether `line` goes on with the held lines: a list item's continuation, a table's separator or next row. */
  #continues(line: string): boolean {
    const first = this.#held[0] ?? '';
    if (line.trim() === '') return false;
    if (isListItem(first)) return /^\s/.test(line) && !isListItem(line) && !fenceOpening(line);
    if (this.#held.length === 1) return isTableStart([first, line], 0);
    return line.includes('|');
  }

  #flush(out: MarkdownPiece[]): void {
    if (this.#held.length === 0) return;
    this.#emit(out, blocksOf(this.#held));
    this.#held = [];
  }

  #emit(out: MarkdownPiece[], piece: MarkdownPiece): void {
    if (this.#gap) out.push({ type: 'gap' });
    this.#gap = false;
    this.#started = true;
    out.push(piece);
  }
}

function blocksOf(lines: readonly string[]): MarkdownPiece {
  const indent = leadingSpaces(lines[0] ?? '');
  const unindented = lines.map((line) => line.slice(Math.min(indent, leadingSpaces(line))));
  return { type: 'blocks', blocks: parseMarkdown(unindented.join('\n')), indent };
}

const leadingSpaces = (line: string) => /^\s*/.exec(line)?.[0].length ?? 0;
