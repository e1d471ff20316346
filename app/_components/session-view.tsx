'use client';

import { useEffect, useState } from 'react';
import { mutate } from 'swr';
import { ApiError } from '../../lib/client/shared/api-error.ts';
import { END_TEXT, REMOVAL_TEXT, sessionTitle } from '../../lib/client/shared/labels.ts';
import { isTurnRunning } from '../../lib/protocol/rules.ts';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { useTranscript } from '../_hooks/use-transcript.ts';
import { Composer } from './composer.tsx';
import { ConnectionIndicator } from './connection-indicator.tsx';
import { KillButton } from './dialog-buttons.tsx';
import { HISTORY_KEY, useLive } from './live-provider.tsx';
import { PendingDecisions } from './pending-decisions.tsx';
import { SessionControls } from './session-controls.tsx';
import { StateBadge } from './state-badge.tsx';
import { TranscriptView } from './transcript-view.tsx';

/** Loaded apart from the list, which is what a phone shows first. */
export default function SessionView({
  sessionId,
  session,
  onBack,
}: {
  sessionId: string;
  session: SessionInfo | undefined;
  onBack: () => void;
}) {
  const { clientId, connection, removed, noteError, watch } = useLive();
  const [missing, setMissing] = useState(false);
  const removal = removed.get(sessionId);
  const ended = session !== undefined && session.ended_at !== null;

  // Watching a session means subscribing: only subscribers get its transcript events. Renewed on
  // every new connection, since a server restart forgets who watched what.
  useEffect(() => {
    if (!clientId || removal || ended) return;
    let cancelled = false;
    watch(sessionId).then(
      () => !cancelled && setMissing(false),
      (error: unknown) => {
        noteError(error);
        if (cancelled || !(error instanceof ApiError)) return;
        if (error.code === 'NOT_FOUND') setMissing(true);
        // It has ended: the history has it, read-only.
        if (error.code === 'INVALID_STATE') void mutate(HISTORY_KEY);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [watch, sessionId, clientId, connection, removal, ended, noteError]);

  const header = (
    <header className="flex items-center gap-2 border-b border-neutral-200 px-2 py-2 vibes-safe-top dark:border-neutral-800 sm:px-4">
      <button type="button" onClick={onBack} className="vibes-button lg:hidden" aria-label="Back to sessions">
        <span aria-hidden="true">←</span>
        <span className="ml-1">Sessions</span>
      </button>
      <h2 className="min-w-0 flex-1 truncate text-base font-semibold" data-testid="session-title">
        {session ? sessionTitle(session) : sessionId.slice(0, 8)}
      </h2>
      <ConnectionIndicator className="lg:hidden" />
    </header>
  );

  if (removal || missing || ended) {
    const why = removal
      ? REMOVAL_TEXT[removal]
      : ended && session.end_reason
        ? END_TEXT[session.end_reason]
        : missing
          ? 'This session does not exist (any more).'
          : 'This session has ended.';
    return (
      <section className="flex h-full min-h-0 flex-col" aria-label="Session">
        {header}
        <div className="border-b border-neutral-200 p-4 dark:border-neutral-800" role="alert" data-testid="session-gone">
          <p className="font-semibold">{why}</p>
          <div className="mt-3 flex flex-wrap gap-2">
            {!missing && session?.claude_session_id !== null && <ResumeButton sessionId={sessionId} />}
            <button type="button" onClick={onBack} className="vibes-button">
              Back to sessions
            </button>
          </div>
        </div>
        {!missing && <LiveTranscript sessionId={sessionId} session={session} />}
      </section>
    );
  }

  return (
    <section className="flex h-full min-h-0 flex-col" aria-label={`Session ${session ? sessionTitle(session) : sessionId}`}>
      {header}
      {session && <SessionBar session={session} />}
      <LiveTranscript sessionId={sessionId} session={session} />
      {session && session.pending_permissions.length > 0 && (
        <div
          className="max-h-[60%] overflow-y-auto overscroll-contain border-t border-neutral-200 p-3 dark:border-neutral-800"
          data-testid="decision-panel"
        >
          <PendingDecisions session={session} />
        </div>
      )}
      {session && <Composer session={session} />}
    </section>
  );
}

/** Starts Claude again on the ended session (`--resume`); this tab owns it afterwards. */
function ResumeButton({ sessionId }: { sessionId: string }) {
  const { api, noteError } = useLive();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const resume = () => {
    setBusy(true);
    setProblem(null);
    api.resume(sessionId).then(
      () => setBusy(false),
      (error: unknown) => {
        noteError(error);
        setBusy(false);
        setProblem(error instanceof Error ? error.message : String(error));
      },
    );
  };
  return (
    <>
      <button type="button" className="vibes-button vibes-button-primary" onClick={resume} disabled={busy} data-testid="resume">
        {busy ? 'Resuming…' : 'Resume'}
      </button>
      {problem && (
        <p className="w-full text-sm text-red-700 dark:text-red-300" role="status">
          {problem}
        </p>
      )}
    </>
  );
}

function LiveTranscript({ sessionId, session }: { sessionId: string; session: SessionInfo | undefined }) {
  const transcript = useTranscript(sessionId);
  return <TranscriptView sessionId={sessionId} transcript={transcript} todos={session?.todos ?? null} />;
}

function SessionBar({ session }: { session: SessionInfo }) {
  const { api, noteError } = useLive();
  const running = isTurnRunning(session.state);
  return (
    <div className="space-y-1.5 border-b border-neutral-200 px-3 py-2 text-xs dark:border-neutral-800 sm:px-4">
      <div className="flex flex-wrap items-center gap-2">
        <StateBadge state={session.state} />
        {session.is_owner && (
          <span data-testid="owner-badge" className="rounded-full bg-violet-600 px-2 py-0.5 font-semibold text-white">
            Yours
          </span>
        )}
        {session.subscriber_count > 1 && <span data-testid="viewer-count">{session.subscriber_count} viewers</span>}
        <span className="ml-auto flex gap-2">
          {running && (
            <button type="button" className="vibes-button" onClick={() => void api.interrupt(session.id).catch(noteError)}>
              Interrupt
            </button>
          )}
          <KillButton sessionId={session.id} title={sessionTitle(session)} />
        </span>
      </div>
      <SessionControls session={session} />
      <p className="flex min-w-0 gap-2 text-neutral-600 dark:text-neutral-400">
        <span>${session.cost_usd.toFixed(4)}</span>
        <span className="min-w-0 truncate font-mono" title={session.cwd}>
          {session.cwd}
        </span>
      </p>
      {session.state === 'failed' && session.failure && (
        <p role="alert" className="w-full text-red-700 dark:text-red-300">
          Failed: {session.failure}
        </p>
      )}
    </div>
  );
}
