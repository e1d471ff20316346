'use client';

import type { SessionInfo } from '../../lib/protocol/index.ts';
import dynamic from 'next/dynamic';
import { NewSessionButton } from './dialog-buttons.tsx';
import { SessionCard } from './session-card.tsx';

// Seen before the first session only: it comes a moment after the page rather than with every load.
const EmptyState = dynamic(() => import('./empty-state.tsx'), { ssr: false });

export function SessionList({
  sessions,
  selectedId,
  onOpen,
  hasHistory,
  filtered = false,
}: {
  sessions: readonly SessionInfo[] | undefined;
  selectedId: string | null;
  onOpen: (id: string) => void;
  /** Ended sessions are listed below. */
  hasHistory: boolean;
  /** A search or filter narrows the list: an empty one means nothing matched. */
  filtered?: boolean;
}) {
  if (!sessions) {
    return (
      <p className="p-4 text-sm text-muted" role="status">
        Loading sessions…
      </p>
    );
  }
  // The search above says what it found.
  if (sessions.length === 0 && filtered) return null;
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
    return <EmptyState onOpen={onOpen} />;
  }
  return (
    <ul className="space-y-2 p-3" aria-label="Sessions" data-testid="session-list">
      {sessions.map((session) => (
        <SessionCard key={session.id} session={session} selected={session.id === selectedId} onOpen={onOpen} />
      ))}
    </ul>
  );
}
