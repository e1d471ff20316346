import { diffWordsWithSpace } from 'diff';
import type { Token, TokenKind } from './highlight.ts';

/** A stretch of a line: its syntax kind, and whether the word-level diff marks it as changed. */
export interface Segment {
  kind: TokenKind | null;
  text: string;
  changed: boolean;
}

/** Character ranges [start, end) of a line that differ from its partner. */
export type Ranges = readonly (readonly [number, number])[];

/** Longer lines are compared as wholes: a word diff of them costs more than it tells. */
const MAX_COMPARED = 1_000;
/** Below this share of unchanged characters the lines are different lines, not an edit of one. */
const MIN_SHARED = 0.4;

/**
 * What changed inside a removed line and the added line that replaces it: the removed words in
 * the old, the added ones in the new. Null when the lines have too little in common for word
 * marks to help (the whole line is the change).
 */
export function changedWords(oldText: string, newText: string): { old: Ranges; new: Ranges } | null {
  if (oldText.length > MAX_COMPARED || newText.length > MAX_COMPARED || oldText === newText) return null;
  const oldRanges: [number, number][] = [];
  const newRanges: [number, number][] = [];
  let oldAt = 0;
  let newAt = 0;
  let shared = 0;
  for (const part of diffWordsWithSpace(oldText, newText)) {
    const length = part.value.length;
    if (part.removed) {
      oldRanges.push([oldAt, oldAt + length]);
      oldAt += length;
    } else if (part.added) {
      newRanges.push([newAt, newAt + length]);
      newAt += length;
    } else {
      shared += part.value.trim() ? length : 0;
      oldAt += length;
      newAt += length;
    }
  }
  if (shared < MIN_SHARED * Math.max(oldText.trim().length, newText.trim().length)) return null;
  return { old: oldRanges, new: newRanges };
}

/** The line's syntax tokens cut where the changed ranges begin and end. */
export function overlay(tokens: readonly Token[], ranges: Ranges | null): Segment[] {
  if (!ranges || ranges.length === 0) return tokens.map((token) => ({ kind: token.kind, text: token.text, changed: false }));
  const segments: Segment[] = [];
  let at = 0;
  let range = 0;
  for (const token of tokens) {
    let offset = 0;
    while (offset < token.text.length) {
      const position = at + offset;
      while (range < ranges.length && (ranges[range]?.[1] ?? 0) <= position) range++;
      const current = ranges[range];
      const inside = current !== undefined && current[0] <= position;
      const stop = inside ? current[1] : (current?.[0] ?? Infinity);
      const length = Math.min(token.text.length - offset, stop - position);
      segments.push({ kind: token.kind, text: token.text.slice(offset, offset + length), changed: inside });
      offset += length;
    }
    at += token.text.length;
  }
  return segments;
}
