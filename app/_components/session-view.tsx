'use client';

import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import { mutate } from 'swr';
import { ApiError } from '../../lib/client/shared/api-error.ts';
import { endText, projectLabel, REMOVAL_TEXT } from '../../lib/client/shared/labels.ts';
import { isTurnRunning } from '../../lib/protocol/rules.ts';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { useAsyncAction } from '../_hooks/use-async-action.ts';
import { useTranscript } from '../_hooks/use-transcript.ts';
import { useThisDevice } from '../_hooks/use-this-device.ts';
import { Composer } from './composer.tsx';
import { ConnectionIndicator } from './connection-indicator.tsx';
import { ContextGauge } from './context-gauge.tsx';
import { HISTORY_KEY, useLive } from './live-provider.tsx';
import { DecisionPanel } from './decision-panel.tsx';
import { SessionControls } from './session-controls.tsx';
import { SessionMenu } from './session-menu.tsx';
import { StateBadge } from './state-badge.tsx';
import { TranscriptView } from './transcript-view.tsx';
import { Badge } from './ui/badge.tsx';
import { Button } from './ui/button.tsx';
import { Problem } from './ui/problem.tsx';
import { changesSummary } from '../../lib/client/shared/changes-summary.ts';
import { WorkActionsProvider } from './work/work-actions.tsx';

const loading = () => (
  <p className="p-4 text-sm text-muted" role="status">
    Loading…
  </p>
);
const ChangesPanel = dynamic(() => import('./work/changes-panel.tsx'), { ssr: false, loading });
const FilesPanel = dynamic(() => import('./work/files-panel.tsx'), { ssr: false, loading });

type Tab = 'transcript' | 'changes' | 'files';

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

  const live = session !== undefined && !removal && !missing && !ended;
  // While a decision waits and the screen is short (an on-screen keyboard is open), the mode and
  // model bar and the tabs fold away, so the decision keeps the room (.vibes-fold-when-short).
  const deciding = session !== undefined && session.pending_permissions.length > 0;
  // One row, also on a phone: back, the title with its state and where it runs underneath, and the
  // overflow menu. The state badge sits on the second line, so the title keeps the row's width.
  const header = (
    <header
      className="flex min-w-0 items-center gap-1 border-b border-border px-2 py-1.5 vibes-safe-top sm:gap-2 sm:px-4"
      data-testid="session-header"
    >
      <Button variant="ghost" onClick={onBack} className="px-2 lg:hidden" aria-label="Back to sessions">
        <span aria-hidden="true">←</span>
      </Button>
      <div className="min-w-0 flex-1">
        <h2 className="truncate text-base font-semibold leading-tight" data-testid="session-title" title={session?.title}>
          {session ? session.title : sessionId.slice(0, 8)}
        </h2>
        {session && (
          // The gauge sits on the line under the title: on a phone it never takes the title's room.
          <div className="flex min-w-0 items-center gap-2">
            {live && <StateBadge session={session} />}
            <p className="min-w-0 truncate text-xs text-muted" data-testid="session-where" title={session.cwd}>
              <span className="font-mono">{projectLabel(session)}</span>
              {session.node !== null && <span data-testid="session-header-machine"> · on {session.node}</span>}
              {session.model && <span> · {session.model}</span>}
              {session.cost_usd > 0 && <span> · ${session.cost_usd.toFixed(2)}</span>}
              {session.changes && session.changes.files > 0 && (
                <span data-testid="header-changes"> · {changesSummary(session.changes)}</span>
              )}
            </p>
            {live && <ContextGauge context={session.context} />}
          </div>
        )}
      </div>
      <ConnectionIndicator className="lg:hidden" compact />
      {live && <SessionMenu sessionId={session.id} title={session.title} />}
    </header>
  );

  if (removal || missing || ended) {
    const why =
      session && (removal || ended)
        ? endText(session, removal ?? session.end_reason)
        : removal
          ? REMOVAL_TEXT[removal]
          : 'This session does not exist (any more).';
    return (
      <section className="flex h-full min-h-0 flex-col" aria-label="Session">
        {header}
        <div className="border-b border-border p-4" role="alert" data-testid="session-gone">
          <p className="font-semibold">{why}</p>
          <div className="mt-3 flex flex-wrap gap-2">
            {!missing && session?.claude_session_id !== null && <ResumeButton sessionId={sessionId} />}
            <Button onClick={onBack}>Back to sessions</Button>
          </div>
        </div>
        {!missing && <Work sessionId={sessionId} session={session} />}
      </section>
    );
  }

  return (
    <section className="vibes-session flex h-full min-h-0 flex-col" aria-label={`Session ${session ? session.title : sessionId}`}>
      {header}
      {session && <SessionBar session={session} foldWhenShort={deciding} />}
      <Work sessionId={sessionId} session={session} foldTabsWhenShort={deciding} />
      {session && deciding && <DecisionPanel session={session} />}
      {session && <PhoneContextNote />}
      {session && <Composer session={session} />}
    </section>
  );
}

/** Says so when input from this browser tells Claude it is a phone (set in the devices dialog). */
function PhoneContextNote() {
  const device = useThisDevice();
  if (device?.tell_claude_on_phone !== true) return null;
  return (
    <p className="px-3 pt-1 text-xs" data-testid="phone-context-on">
      <Badge tone="info" title="Set in Devices: Claude is told beside each message that you are on a phone">
        Claude knows you’re on your phone
      </Badge>
    </p>
  );
}

/** Starts Claude again on the ended session (`--resume`); this tab owns it afterwards. */
function ResumeButton({ sessionId }: { sessionId: string }) {
  const { api } = useLive();
  const resuming = useAsyncAction(() => api.resume(sessionId));
  return (
    <>
      <Button variant="primary" onClick={() => void resuming.run()} disabled={resuming.busy} data-testid="resume">
        {resuming.busy ? 'Resuming…' : 'Resume'}
      </Button>
      <Problem className="w-full">{resuming.error}</Problem>
    </>
  );
}

function LiveTranscript({ sessionId, session }: { sessionId: string; session: SessionInfo | undefined }) {
  const transcript = useTranscript(sessionId);
  return <TranscriptView sessionId={sessionId} transcript={transcript} todos={session?.todos ?? null} />;
}

/** The transcript, what changed in the folder, and the folder itself: one tab each. The transcript stays mounted, so it keeps its place. */
function Work({
  sessionId,
  session,
  foldTabsWhenShort = false,
}: {
  sessionId: string;
  session: SessionInfo | undefined;
  foldTabsWhenShort?: boolean;
}) {
  const [tab, setTab] = useState<Tab>('transcript');
  const changes = session?.changes;
  const tabs: { id: Tab; label: string; extra?: string }[] = [
    { id: 'transcript', label: 'Transcript' },
    { id: 'changes', label: 'Changes', ...(changes && changes.files > 0 ? { extra: String(changes.files) } : {}) },
    { id: 'files', label: 'Files' },
  ];
  return (
    <WorkActionsProvider sessionId={sessionId} session={session}>
      <div className={`flex border-b border-border px-1 sm:px-3 ${foldTabsWhenShort ? 'vibes-fold-when-short' : ''}`}>
        <div
          role="tablist"
          aria-label="Session views"
          className="flex"
          data-testid="session-tabs"
          onKeyDown={(event) => {
            // The tabs pattern: arrows move between tabs, and only the chosen one is in the Tab order.
            const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
            if (step === 0) return;
            const next = tabs[(tabs.findIndex(({ id }) => id === tab) + step + tabs.length) % tabs.length];
            if (!next) return;
            setTab(next.id);
            document.getElementById(`tab-${next.id}-${sessionId}`)?.focus();
          }}
        >
          {tabs.map(({ id, label, extra }) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`tab-${id}-${sessionId}`}
              aria-selected={tab === id}
              tabIndex={tab === id ? 0 : -1}
              aria-controls={`panel-${id}-${sessionId}`}
              onClick={() => setTab(id)}
              className={`flex min-h-11 items-center gap-1.5 border-b-2 px-3 text-sm font-semibold ${
                tab === id ? 'border-accent text-accent-text' : 'border-transparent text-muted hover:text-fg'
              }`}
              data-testid={`tab-${id}`}
            >
              {label}
              {extra && (
                <span className="rounded-full bg-accent-soft px-1.5 text-xs text-accent-text" data-testid="tab-changes-count">
                  {extra}
                </span>
              )}
            </button>
          ))}
        </div>
        {changes && changes.files > 0 && (
          <span className="ml-auto hidden items-center text-xs text-muted sm:flex" data-testid="tab-changes-summary">
            <span className="text-success-text">+{changes.additions}</span>&nbsp;
            <span className="text-danger-text">−{changes.deletions}</span>
          </span>
        )}
      </div>
      <div
        role="tabpanel"
        id={`panel-transcript-${sessionId}`}
        aria-labelledby={`tab-transcript-${sessionId}`}
        className={tab === 'transcript' ? 'flex min-h-0 flex-1 flex-col' : 'hidden'}
      >
        <LiveTranscript sessionId={sessionId} session={session} />
      </div>
      {tab !== 'transcript' && (
        <div
          role="tabpanel"
          id={`panel-${tab}-${sessionId}`}
          aria-labelledby={`tab-${tab}-${sessionId}`}
          className="flex min-h-0 flex-1 flex-col"
        >
          {tab === 'changes' ? session ? <ChangesPanel session={session} /> : loading() : <FilesPanel sessionId={sessionId} />}
        </div>
      )}
    </WorkActionsProvider>
  );
}

/** Who watches, the permission mode and the model, changed live; the failure, said once. */
function SessionBar({ session, foldWhenShort }: { session: SessionInfo; foldWhenShort: boolean }) {
  const { api, noteError } = useLive();
  const running = isTurnRunning(session.state);
  return (
    <div className={`border-b border-border px-3 py-2 text-xs sm:px-4 ${foldWhenShort ? 'vibes-fold-when-short' : ''}`}>
      {/* Each select as wide as its longest option; what does not fit the row goes to the next. */}
      <div className="flex flex-wrap items-center gap-2">
        <SessionControls session={session} />
        {session.is_owner && (
          <span data-testid="owner-badge" className="rounded-full bg-accent px-2 py-0.5 font-semibold text-accent-fg">
            Yours
          </span>
        )}
        {session.subscriber_count > 1 && (
          <span data-testid="viewer-count" className="text-muted">
            {session.subscriber_count} viewers
          </span>
        )}
        {running && (
          <Button onClick={() => void api.interrupt(session.id).catch(noteError)} className="ml-auto">
            Interrupt
          </Button>
        )}
      </div>
    </div>
  );
}
