import { memo } from 'react';
import type { DiffRow } from '../../lib/client/shared/patch.ts';
import type { FileDiff } from '../../lib/protocol/index.ts';

export type { DiffRow };

/** The server's diff as rows, with a gap row where unchanged lines between hunks are left out. */
export function rowsFromFileDiff(diff: FileDiff): DiffRow[] {
  const rows: DiffRow[] = [];
  diff.hunks.forEach((hunk, index) => {
    if (index > 0 || hunk.old_start > 1 || hunk.new_start > 1) rows.push({ kind: 'gap', text: '', oldLine: null, newLine: null });
    for (const line of hunk.lines) {
      rows.push({
        kind: line.kind === 'added' ? 'add' : line.kind === 'removed' ? 'remove' : 'context',
        text: line.text,
        oldLine: line.old_line,
        newLine: line.new_line,
      });
    }
  });
  if (diff.truncated) rows.push({ kind: 'gap', text: 'more lines left out', oldLine: null, newLine: null });
  return rows;
}

const MARK = { context: ' ', add: '+', remove: '−', gap: '⋯' } as const;
const SPOKEN = { context: 'unchanged', add: 'added', remove: 'removed', gap: 'lines left out' } as const;

/**
 * Removed and added lines with their numbers. Lines never wrap: the box scrolls sideways and the
 * numbers stay pinned on the left, so a 390 px screen reads code as code.
 */
export const DiffView = memo(function DiffView({ rows, label }: { rows: readonly DiffRow[]; label: string }) {
  const width = Math.max(2, ...rows.map((row) => String(Math.max(row.oldLine ?? 0, row.newLine ?? 0)).length));
  const number = (value: number | null) => (value === null ? '' : String(value)).padStart(width, ' ');
  const added = rows.filter((row) => row.kind === 'add').length;
  const removed = rows.filter((row) => row.kind === 'remove').length;
  return (
    <div data-testid="diff" data-added={added} data-removed={removed}>
      <p className="mb-1 text-xs text-muted">
        <span className="font-semibold text-success-text">+{added}</span> <span className="font-semibold text-danger-text">−{removed}</span>{' '}
        lines
      </p>
      <div className="vibes-diff" tabIndex={0} role="region" aria-label={label}>
        <table>
          <tbody>
            {rows.map((row, index) => (
              <tr key={index} data-kind={row.kind} data-testid="diff-line">
                <td className="vibes-diff-no left-0" aria-hidden="true">
                  {row.kind === 'gap' ? ''.padStart(width * 2 + 1, ' ') : `${number(row.oldLine)} ${number(row.newLine)}`}
                </td>
                <td aria-hidden="true" className="select-none">
                  {MARK[row.kind]}
                </td>
                <td className="w-full">
                  <span className="sr-only">{SPOKEN[row.kind]}: </span>
                  {row.kind === 'gap' && !row.text ? '' : row.text || ' '}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});
