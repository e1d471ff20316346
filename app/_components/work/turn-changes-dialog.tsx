'use client';

import { useMemo, useState } from 'react';
import { plural } from '../../../lib/client/shared/work-labels.ts';
import type { DiffRow } from '../../../lib/client/shared/patch.ts';
import type { TurnChangesResponse } from '../../../lib/protocol/index.ts';
import { useTurnChanges } from '../../_hooks/use-work.ts';
import { rowsFromFileDiff } from '../diff-view.tsx';
import { CodeView, Loading, WorkProblem } from './lazy-code-view.tsx';
import { DialogFrame, DialogCloseButton, type DialogOpen } from '../ui/dialog.tsx';

type TurnFile = TurnChangesResponse['files'][number];

/** A file's diff with more rows than this starts folded; so do all when the turn changed many files. */
const FOLD_ROWS = 300;
const FOLD_FILES = 6;

/** What one turn changed: each file its tools edited with their diffs, and the files commands (Bash) changed, marked as such. */
export default function TurnChangesDialog({ sessionId, seq, open, setOpen }: DialogOpen & { sessionId: string; seq: number | null }) {
  const { data, error, isLoading } = useTurnChanges(sessionId, open ? seq : null);
  return (
    <DialogFrame
      open={open}
      setOpen={setOpen}
      title="What this turn changed"
      description={data ? summary(data) : 'The files this turn’s tools edited, and the files commands changed.'}
      className="w-[min(56rem,calc(100vw-1rem))] p-4 sm:p-5"
      testId="turn-changes"
    >
      <WorkProblem error={error} className="mt-2" />
      {isLoading && !data && <Loading what="the turn’s changes" />}
      {data && !data.git && (
        <p className="mt-2 rounded bg-info-soft px-2 py-1 text-xs text-info-text" data-testid="turn-no-git">
          Without git, vibes cannot see what commands (Bash) changed: only the tools’ own edits are listed.
        </p>
      )}
      {data && data.files.length > 0 && (
        <ul className="mt-3 space-y-2">
          {data.files.map((file) => (
            <TurnFileItem key={`${file.source}:${file.path}`} file={file} folded={data.files.length > FOLD_FILES} />
          ))}
        </ul>
      )}
      <div className="mt-4 flex justify-end">
        <DialogCloseButton>Close</DialogCloseButton>
      </div>
    </DialogFrame>
  );
}

function summary(changes: TurnChangesResponse): string {
  if (changes.files.length === 0) return 'This turn changed no file.';
  const byCommand = changes.files.filter((file) => file.source === 'other').length;
  return `${plural(changes.files.length, 'file')} changed${byCommand > 0 ? `, ${byCommand} of them by commands (Bash)` : ''}.`;
}

function TurnFileItem({ file, folded }: { file: TurnFile; folded: boolean }) {
  const rows = useMemo(() => {
    const all: DiffRow[] = [];
    file.diffs.forEach((diff, index) => {
      if (index > 0) all.push({ kind: 'gap', text: 'next edit', oldLine: null, newLine: null });
      all.push(...rowsFromFileDiff(diff));
    });
    return all;
  }, [file.diffs]);
  const added = file.diffs.reduce((sum, diff) => sum + diff.added, 0);
  const removed = file.diffs.reduce((sum, diff) => sum + diff.removed, 0);
  const [open, setOpen] = useState(!folded && rows.length > 0 && rows.length <= FOLD_ROWS);
  return (
    <li className="rounded-lg border border-border" data-testid="turn-file" data-path={file.path} data-source={file.source}>
      <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary className="flex min-h-11 min-w-0 cursor-pointer items-center gap-2 px-3 py-1">
          <span className="min-w-0 flex-1 truncate font-mono text-sm font-semibold" title={file.path}>
            {file.path}
          </span>
          {file.source === 'other' ? (
            <span className="shrink-0 text-xs font-semibold text-warning-text" data-testid="changed-by-command">
              changed by a command
            </span>
          ) : file.diffs.length === 0 ? (
            <span className="shrink-0 text-xs text-muted">edited</span>
          ) : (
            <span className="shrink-0 text-xs">
              <span className="text-success-text">+{added}</span> <span className="text-danger-text">−{removed}</span>
            </span>
          )}
        </summary>
        <div className="px-2 pb-2">
          {file.source === 'other' ? (
            <p className="px-1 text-xs text-muted">
              A command (Bash) changed this file, not one of Claude’s edit tools: there is no diff of it from this turn, and undo cannot
              restore it. The Changes tab shows how it differs now.
            </p>
          ) : rows.length === 0 ? (
            <p className="px-1 text-xs text-muted">
              Claude Code reported no diff for this edit; the Changes tab shows how the file differs now.
            </p>
          ) : (
            open && (
              <CodeView rows={rows} path={file.path} label={`This turn’s changes to ${file.path}`} mode="diff" className="max-h-[50dvh]" />
            )
          )}
        </div>
      </details>
    </li>
  );
}
