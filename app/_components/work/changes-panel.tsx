'use client';

import { useMemo, useState } from 'react';
import { rowsFromPatch } from '../../../lib/client/shared/patch.ts';
import { CHANGE_STATUS, changesSummary, formatBytes, plural } from '../../../lib/client/shared/work-labels.ts';
import type { ChangeBase, ChangedFile, ChangesResponse, FilePatchResponse, SessionInfo } from '../../../lib/protocol/index.ts';
import { changesVersion, useChanges, useFileDiff } from '../../_hooks/use-work.ts';
import { useWindowed } from '../../_hooks/use-windowed.ts';
import { Button } from '../ui/button.tsx';
import { CodeView, Loading, PathBar, usePreloadViewer, WorkProblem } from './lazy-code-view.tsx';

const ROW_HEIGHT = 56;
/** A diff with more lines than this waits for a tap: a phone should not highlight it unasked. */
export const LARGE_DIFF_ROWS = 2_000;

const BASE_WORDS: Record<ChangeBase, { choice: string; none: string }> = {
  start: { choice: 'Since the session started', none: 'Nothing changed since the session started.' },
  head: { choice: 'Since the last commit', none: 'Nothing changed since the last commit (HEAD).' },
};

/** The session's changed files, against its start or the last commit; a tap opens a file's diff. Live: refetched when the summary changes. */
export default function ChangesPanel({ session }: { session: SessionInfo }) {
  const [base, setBase] = useState<ChangeBase>('start');
  const [open, setOpen] = useState<ChangedFile | null>(null);
  const version = changesVersion(session.changes);
  const { data, error, isLoading, isValidating, mutate } = useChanges(session.id, base, version);

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="changes-panel">
      {open ? (
        <FileDiffPanel sessionId={session.id} file={open} base={base} version={version} onBack={() => setOpen(null)} />
      ) : (
        <>
          <div className="space-y-2 border-b border-border px-3 py-2 sm:px-4">
            <fieldset>
              <legend className="sr-only">Compare with</legend>
              <div className="grid grid-cols-2 gap-2" data-testid="changes-base">
                {(['start', 'head'] as const).map((value) => (
                  <label key={value} className={`vibes-choice text-xs sm:text-sm ${base === value ? 'vibes-choice-on' : ''}`}>
                    <input
                      type="radio"
                      name={`base-${session.id}`}
                      value={value}
                      checked={base === value}
                      onChange={() => setBase(value)}
                      className="sr-only"
                    />
                    {BASE_WORDS[value].choice}
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="flex items-center gap-2">
              <div className="min-w-0 flex-1">{data && <ChangesNotes changes={data} />}</div>
              {/* Edits made by hand between turns are seen when asked: the server counts again. */}
              <Button
                variant="ghost"
                className="min-h-8 px-2 text-xs"
                onClick={() => void mutate()}
                disabled={isValidating}
                data-testid="changes-refresh"
              >
                {isValidating ? 'Counting…' : 'Refresh'}
              </Button>
            </div>
          </div>
          <WorkProblem error={error} className="px-3 py-2 sm:px-4" />
          {isLoading && !data ? (
            <Loading what="the changes" />
          ) : data && data.files.length === 0 ? (
            <p className="p-4 text-sm text-muted" data-testid="changes-empty">
              {BASE_WORDS[base].none}
            </p>
          ) : data ? (
            <FileList changes={data} onOpen={setOpen} />
          ) : null}
        </>
      )}
    </div>
  );
}

function ChangesNotes({ changes }: { changes: ChangesResponse }) {
  return (
    <div className="space-y-1 text-xs text-muted">
      {changes.source === 'git' ? (
        <p data-testid="changes-total">
          {changesSummary({ files: changes.files.length, additions: changes.additions, deletions: changes.deletions })}
          {changes.base_commit && (
            <span>
              {' '}
              · against <code className="font-mono">{changes.base_commit.slice(0, 8)}</code>
            </span>
          )}
        </p>
      ) : (
        <p className="rounded bg-info-soft px-2 py-1 text-info-text" data-testid="changes-no-git">
          Not a git repository: showing the files this session’s tools wrote.
        </p>
      )}
      {changes.truncated && (
        <p className="text-warning-text">
          More files changed than can be listed: the first {changes.files.length.toLocaleString('en-US')} are shown.
        </p>
      )}
    </div>
  );
}

const STATUS_TONE: Record<ChangedFile['status'], string> = {
  modified: 'text-accent-text',
  added: 'text-success-text',
  untracked: 'text-success-text',
  deleted: 'text-danger-text',
  renamed: 'text-info-text',
  type_changed: 'text-warning-text',
};

/** The files, windowed: a 2,000-file list mounts only the rows in view. */
function FileList({ changes, onOpen }: { changes: ChangesResponse; onOpen: (file: ChangedFile) => void }) {
  const { files } = changes;
  const { ref, onScroll, first, last, offset, total } = useWindowed(files.length, ROW_HEIGHT, 10);
  return (
    <div ref={ref} onScroll={onScroll} className="min-h-0 flex-1 overflow-y-auto overscroll-contain" data-testid="changes-list">
      <div style={{ height: total }}>
        <ul style={{ transform: `translateY(${offset}px)` }} aria-label="Changed files">
          {files.slice(first, last).map((file) => (
            <li key={file.path} style={{ height: ROW_HEIGHT }}>
              <ChangedFileRow file={file} counts={changes.source === 'git'} onOpen={onOpen} />
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function splitPath(path: string): { name: string; folder: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { name: path, folder: '' } : { name: path.slice(slash + 1), folder: path.slice(0, slash + 1) };
}

function ChangedFileRow({ file, counts, onOpen }: { file: ChangedFile; counts: boolean; onOpen: (file: ChangedFile) => void }) {
  const status = CHANGE_STATUS[file.status];
  const { name, folder } = splitPath(file.path);
  return (
    <button
      type="button"
      onClick={() => onOpen(file)}
      className="flex h-full w-full min-w-0 items-center gap-2 border-b border-border px-3 text-left hover:bg-surface-hover focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent sm:px-4"
      data-testid="changed-file"
      data-path={file.path}
      data-status={file.status}
      data-by-session={file.by_session}
    >
      <span className={`w-4 shrink-0 text-center font-mono text-sm font-bold ${STATUS_TONE[file.status]}`} title={status.word}>
        {status.letter}
      </span>
      <span className="min-w-0 flex-1">
        <span className="flex min-w-0 items-baseline gap-1.5 font-mono text-sm">
          <span className="shrink-0 font-semibold">{name}</span>
          <span className="min-w-0 truncate text-xs text-muted">{folder}</span>
        </span>
        <span className="flex min-w-0 gap-2 text-xs text-muted">
          <span className="sr-only">{status.word}</span>
          {file.old_path && <span className="truncate">from {file.old_path}</span>}
          {file.binary ? (
            <span>binary</span>
          ) : (
            counts && (
              <span>
                <span className="text-success-text">+{file.additions}</span> <span className="text-danger-text">−{file.deletions}</span>
              </span>
            )
          )}
          {file.by_session && (
            <span
              className="shrink-0 font-semibold text-accent-text"
              data-testid="by-session"
              title="Written by this session’s own tools (Edit, Write)"
            >
              ✎ this session
            </span>
          )}
        </span>
      </span>
      <span aria-hidden="true" className="shrink-0 text-muted">
        ›
      </span>
    </button>
  );
}

/** One file's diff: a summary when it is binary or too large, a tap away when it is long, else at once. */
function FileDiffPanel({
  sessionId,
  file,
  base,
  version,
  onBack,
}: {
  sessionId: string;
  file: ChangedFile;
  base: ChangeBase;
  version: string;
  onBack: () => void;
}) {
  const { data, error, isLoading } = useFileDiff(sessionId, file.path, base, version);
  usePreloadViewer();
  const status = CHANGE_STATUS[data?.status ?? file.status];
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="file-diff">
      <PathBar path={file.path} backLabel="All changes" onBack={onBack} testId="file-diff-path">
        <p className="text-xs text-muted">
          {status.word}
          {file.old_path && ` from ${file.old_path}`}
          {data && !data.binary && (
            <>
              {' · '}
              <span className="text-success-text">+{data.additions}</span> <span className="text-danger-text">−{data.deletions}</span>
            </>
          )}
        </p>
      </PathBar>
      <WorkProblem error={error} className="p-3" />
      {isLoading && !data ? <Loading what="the diff" /> : data ? <PatchBody patch={data} /> : null}
    </div>
  );
}

function PatchBody({ patch }: { patch: FilePatchResponse }) {
  const rows = useMemo(() => (patch.patch === null ? [] : rowsFromPatch(patch.patch)), [patch.patch]);
  const [expanded, setExpanded] = useState(false);
  if (patch.omitted === 'binary' || patch.binary) {
    return (
      <p className="p-4 text-sm text-muted" data-testid="diff-summary" data-omitted="binary">
        Binary file{patch.size > 0 ? ` (${formatBytes(patch.size)})` : ''}: there is no text diff to show.
      </p>
    );
  }
  if (patch.omitted === 'too_large' || patch.patch === null) {
    return (
      <p className="p-4 text-sm text-muted" data-testid="diff-summary" data-omitted="too_large">
        Too large to show here ({formatBytes(patch.size)}, {plural(patch.additions, 'line')} added, {plural(patch.deletions, 'line')}{' '}
        removed).
      </p>
    );
  }
  if (rows.length === 0) {
    return (
      <p className="p-4 text-sm text-muted" data-testid="diff-summary">
        No line changed (only the file’s mode or name).
      </p>
    );
  }
  if (rows.length > LARGE_DIFF_ROWS && !expanded) {
    return (
      <div className="space-y-2 p-4 text-sm" data-testid="diff-collapsed">
        <p className="text-muted">A large diff: {plural(rows.length, 'line')}.</p>
        <Button onClick={() => setExpanded(true)}>Show the diff</Button>
      </div>
    );
  }
  return (
    <div className="flex min-h-0 flex-1 flex-col p-2 sm:p-3">
      <CodeView rows={rows} path={patch.path} label={`Changes to ${patch.path}`} mode="diff" className="min-h-0 flex-1" />
    </div>
  );
}
