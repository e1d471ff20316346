'use client';

import { memo, useMemo } from 'react';
import { languageFor, LazyHighlight, type Token } from '../../../lib/client/shared/highlight.ts';
import { pairChangedLines, type DiffRow } from '../../../lib/client/shared/patch.ts';
import { changedWords, overlay, type Ranges } from '../../../lib/client/shared/word-diff.ts';
import { useWindowed } from '../../_hooks/use-windowed.ts';

// Loaded with import() when a diff or a file is first opened: the highlighter and the word diff
// stay out of the dashboard's first load.

/** Every row is this high (the CSS's h-5), so the rows in view follow from the scroll offset alone. */
export const ROW_HEIGHT = 20;
/** Rows mounted above and below the visible ones, so a fling does not show blank space. */
const OVERSCAN = 30;

const MARK = { context: ' ', add: '+', remove: '−', gap: '⋯' } as const;
const SPOKEN = { context: 'unchanged', add: 'added', remove: 'removed', gap: 'lines left out' } as const;

/**
 * A diff (old and new line numbers, +/− marks) or a file (one line number), syntax-coloured, with
 * the changed words marked inside a changed line. Lines never wrap: the box scrolls sideways with
 * the numbers pinned left. Only the rows in view are mounted, so a 5,000-line diff opens at once.
 */
export default memo(function CodeView({
  rows,
  path,
  language = null,
  label,
  mode,
  className = 'max-h-[70dvh]',
}: {
  rows: readonly DiffRow[];
  path: string;
  /** The server's name for the language, when it gave one. */
  language?: string | null;
  label: string;
  mode: 'diff' | 'file';
  /** The box's height: a cap by default; `flex-1 min-h-0` to fill a panel. */
  className?: string;
}) {
  const { ref, onScroll, first, last, offset, total } = useWindowed(rows.length, ROW_HEIGHT, OVERSCAN);
  const tokens = useMemo(
    () =>
      new LazyHighlight(
        rows.map((row) => row.text),
        languageFor(path, language),
      ),
    [rows, path, language],
  );
  const partners = useMemo(() => (mode === 'diff' ? pairChangedLines(rows) : new Map<number, number>()), [rows, mode]);
  // Word marks are computed for the rows that are shown, once each.
  const words = useMemo(() => new Map<number, Ranges | null>(), [rows]);
  const numberWidth = useMemo(
    () => String(rows.reduce((widest, row) => Math.max(widest, row.oldLine ?? 0, row.newLine ?? 0), 0)).length,
    [rows],
  );
  const longest = useMemo(() => rows.reduce((widest, row) => Math.max(widest, row.text.length), 0), [rows]);

  const gutter = mode === 'diff' ? numberWidth * 2 + 1 : numberWidth;
  const number = (value: number | null) => (value === null ? '' : String(value)).padStart(numberWidth, ' ');

  const wordsOf = (index: number): Ranges | null => {
    const partner = partners.get(index);
    const row = rows[index];
    if (partner === undefined || !row) return null;
    if (!words.has(index)) {
      const other = rows[partner]?.text ?? '';
      const marks = row.kind === 'remove' ? changedWords(row.text, other) : changedWords(other, row.text);
      words.set(index, marks ? (row.kind === 'remove' ? marks.old : marks.new) : null);
    }
    return words.get(index) ?? null;
  };

  const mounted = [];
  for (let index = first; index < last; index++) {
    const row = rows[index];
    if (!row) continue;
    mounted.push(
      <div key={index} className="vibes-code-row" data-kind={row.kind} data-testid={mode === 'diff' ? 'diff-line' : 'file-line'}>
        <span className="vibes-code-no" style={{ width: `calc(${gutter}ch + 0.75rem + 1px)` }} aria-hidden="true">
          {row.kind === 'gap' ? '' : mode === 'diff' ? `${number(row.oldLine)} ${number(row.newLine)}` : number(row.newLine)}
        </span>
        {mode === 'diff' && (
          <span className="vibes-code-mark" aria-hidden="true">
            {MARK[row.kind]}
          </span>
        )}
        <span className={`grow pr-3 ${mode === 'file' ? 'pl-2' : ''}`}>
          {mode === 'diff' && <span className="sr-only">{SPOKEN[row.kind]}: </span>}
          {row.kind === 'gap' ? <span className="pl-1 italic">{row.text}</span> : <Line tokens={tokens.at(index)} words={wordsOf(index)} />}
        </span>
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      onScroll={onScroll}
      className={`vibes-code-view ${className}`}
      tabIndex={0}
      role="region"
      aria-label={label}
      data-testid={mode === 'diff' ? 'code-diff' : 'code-file'}
      data-rows={rows.length}
    >
      <div
        style={{
          height: total,
          minWidth: `calc(${gutter + longest + (mode === 'diff' ? 2 : 0)}ch + 2.5rem)`,
        }}
      >
        <div style={{ transform: `translateY(${offset}px)` }}>{mounted}</div>
      </div>
    </div>
  );
});

function Line({ tokens, words }: { tokens: readonly Token[]; words: Ranges | null }) {
  const segments = overlay(tokens, words);
  return (
    <>
      {segments.map((segment, index) => {
        const classes = `${segment.kind ? `vibes-tok-${segment.kind}` : ''}${segment.changed ? ' vibes-word' : ''}`;
        return classes ? (
          <span key={index} className={classes}>
            {segment.text}
          </span>
        ) : (
          segment.text
        );
      })}
    </>
  );
}
