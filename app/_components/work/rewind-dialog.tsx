'use client';

import { useEffect, useState } from 'react';
import { mutate } from 'swr';
import { plural } from '../../../lib/client/shared/work-labels.ts';
import { firstLine, errorMessage } from '../../../lib/protocol/text.ts';
import type { RewindResponse } from '../../../lib/protocol/index.ts';
import { useAsyncAction } from '../../_hooks/use-async-action.ts';
import { useLive } from '../live-provider.tsx';
import { Button } from '../ui/button.tsx';
import { Problem } from '../ui/problem.tsx';
import { DialogFrame, DialogCloseButton, type DialogOpen } from '../ui/dialog.tsx';

/**
 * Undo from a message: a dry run first, shown here (the files and how they would change, and what
 * undo cannot restore), then the real rewind on confirm, then what it did.
 */
export default function RewindDialog({
  sessionId,
  messageId,
  message,
  open,
  setOpen,
}: DialogOpen & {
  sessionId: string;
  messageId: string;
  /** The message's text, to name it. */
  message: string;
}) {
  const { api, noteError } = useLive();
  const [plan, setPlan] = useState<RewindResponse | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [done, setDone] = useState<RewindResponse | null>(null);
  const rewinding = useAsyncAction(async () => {
    const result = await api.rewind(sessionId, { to: messageId });
    setDone(result);
    // What changed in the folder changed: every open list and diff reads it again.
    void mutate((key) => Array.isArray(key) && key[1] === sessionId && (key[0] === 'changes' || key[0] === 'file-diff'));
  });

  // Each opening asks again: the files may have changed since the last look.
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    setPlan(null);
    setDone(null);
    setCheckError(null);
    api.rewind(sessionId, { to: messageId, dry_run: true }).then(
      (result) => !cancelled && setPlan(result),
      (error: unknown) => {
        noteError(error);
        if (!cancelled) setCheckError(errorMessage(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [open, api, sessionId, messageId, noteError]);

  const named = `“${firstLine(message, 60)}”`;
  return (
    <DialogFrame
      open={open}
      setOpen={setOpen}
      title={done ? 'Files rewound' : 'Undo from here?'}
      description={
        <>
          {done
            ? `The files are back as they were before ${named}.`
            : `Puts the files back as they were before ${named}. The conversation stays as it is.`}
        </>
      }
      testId="rewind-dialog"
    >
      {done ? (
        <RewindResult result={done} />
      ) : !plan && !checkError ? (
        <p className="mt-3 text-sm text-muted" role="status">
          Checking what would change…
        </p>
      ) : plan ? (
        <RewindPlan plan={plan} />
      ) : null}
      <Problem className="mt-2">{checkError ?? rewinding.error}</Problem>
      <div className="mt-4 flex justify-end gap-2">
        <DialogCloseButton>{done ? 'Close' : 'Cancel'}</DialogCloseButton>
        {!done && (
          <Button
            variant="danger"
            disabled={!plan?.can_rewind || plan.files_changed.length === 0 || rewinding.busy}
            onClick={() => void rewinding.run()}
            data-testid="rewind-confirm"
          >
            {rewinding.busy
              ? 'Undoing…'
              : plan && plan.files_changed.length > 0
                ? `Undo ${plural(plan.files_changed.length, 'file')}`
                : 'Undo'}
          </Button>
        )}
      </div>
    </DialogFrame>
  );
}

function RewindPlan({ plan }: { plan: RewindResponse }) {
  if (!plan.can_rewind) {
    return (
      <p role="alert" className="mt-3 text-sm text-danger-text" data-testid="rewind-refused">
        Undo is not possible here{plan.error ? `: ${plan.error}` : '.'}
      </p>
    );
  }
  return (
    <div className="mt-3 space-y-3 text-sm" data-testid="rewind-plan">
      {plan.files_changed.length === 0 ? (
        <p>No file changed since then: there is nothing to undo.</p>
      ) : (
        <div>
          <p className="font-semibold">
            {plural(plan.files_changed.length, 'file')} would change{' '}
            <span className="font-normal text-muted">
              (<span className="text-success-text">+{plan.insertions}</span> <span className="text-danger-text">−{plan.deletions}</span>{' '}
              lines)
            </span>
          </p>
          <FileNames paths={plan.files_changed} testId="rewind-file" />
        </div>
      )}
      {plan.not_restorable.length > 0 && (
        <div className="rounded-lg bg-warning-soft p-2 text-warning-text" data-testid="rewind-not-restorable">
          <p className="font-semibold">Undo cannot restore {plural(plan.not_restorable.length, 'file')} that commands (Bash) changed:</p>
          <FileNames paths={plan.not_restorable} testId="not-restorable-file" />
        </div>
      )}
      <p className="text-xs text-muted">Changes made by commands (Bash) are not undone; only the edits of Claude’s file tools are.</p>
    </div>
  );
}

function RewindResult({ result }: { result: RewindResponse }) {
  return (
    <div className="mt-3 space-y-2 text-sm" data-testid="rewind-result">
      <p className="font-semibold">{plural(result.files_changed.length, 'file')} restored.</p>
      <FileNames paths={result.files_changed} testId="rewound-file" />
      {(result.skipped_links ?? 0) > 0 && (
        <p className="text-warning-text" data-testid="rewind-skipped-links">
          {plural(result.skipped_links ?? 0, 'symbolic link')} left as {result.skipped_links === 1 ? 'it was' : 'they were'}: undo does not
          touch links.
        </p>
      )}
      {result.not_restorable.length > 0 && (
        <p className="text-warning-text">Not restored (changed by commands): {result.not_restorable.join(', ')}</p>
      )}
    </div>
  );
}

function FileNames({ paths, testId }: { paths: readonly string[]; testId: string }) {
  return (
    <ul className="mt-1 max-h-40 overflow-y-auto rounded bg-surface-sunken px-2 py-1 font-mono text-xs">
      {paths.map((path) => (
        <li key={path} className="truncate" title={path} data-testid={testId}>
          {path}
        </li>
      ))}
    </ul>
  );
}
