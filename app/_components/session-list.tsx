'use client';

import type { SessionInfo } from '../../lib/protocol/index.ts';
import { NewSessionButton, TryDemoButton } from './dialog-buttons.tsx';
import { SessionCard } from './session-card.tsx';

export function SessionList({
  sessions,
  selectedId,
  onOpen,
  hasHistory,
}: {
  sessions: readonly SessionInfo[] | undefined;
  selectedId: string | null;
  onOpen: (id: string) => void;
  /** Ended sessions are listed below. */
  hasHistory: boolean;
}) {
  if (!sessions) {
    return (
      <p className="p-4 text-sm text-muted" role="status">
        Loading sessions…
      </p>
    );
  }
  if (sessions.length === 0) {
    // With a history below, "no sessions yet" would be wrong: say only that none is running.
    if (hasHistory) {
      return (
        <div className="flex items-center justify-between gap-2 p-3 pb-1 text-sm text-muted" data-testid="no-live-sessions">
          <span>No session is running.</span>
          <NewSessionButton onCreated={onOpen} />
        </div>
      );
    }
    return (
      <div className="p-6 text-center" data-testid="empty-state">
        <p className="font-semibold">No sessions yet</p>
        <p className="mt-2 text-sm text-muted">Start one from a terminal:</p>
        <pre className="mt-2 overflow-x-auto rounded-lg bg-surface-sunken p-3 text-left text-sm">
          <code>vibes claude &quot;your prompt&quot;</code>
        </pre>
        <p className="mt-3 text-sm text-muted">or right here:</p>
        <div className="mt-2 flex flex-wrap justify-center gap-2">
          <NewSessionButton onCreated={onOpen} />
          <TryDemoButton onCreated={onOpen} />
        </div>
        <p className="mt-2 text-xs text-muted">The demo’s Claude is a stand-in: no account needed, nothing runs on this machine.</p>
      </div>
    );
  }
  return (
    <ul className="space-y-2 p-3" aria-label="Sessions" data-testid="session-list">
      {sessions.map((session) => (
        <SessionCard key={session.id} session={session} selected={session.id === selectedId} onOpen={onOpen} />
      ))}
    </ul>
  );
}
