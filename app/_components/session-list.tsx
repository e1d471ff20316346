'use client';

import type { SessionInfo } from '../../lib/protocol/index.ts';
import { NewSessionButton } from './dialog-buttons.tsx';
import { SessionCard } from './session-card.tsx';

export function SessionList({
  sessions,
  selectedId,
  onOpen,
}: {
  sessions: readonly SessionInfo[] | undefined;
  selectedId: string | null;
  onOpen: (id: string) => void;
}) {
  if (!sessions) {
    return (
      <p className="p-4 text-sm text-neutral-600 dark:text-neutral-400" role="status">
        Loading sessions…
      </p>
    );
  }
  if (sessions.length === 0) {
    return (
      <div className="p-6 text-center" data-testid="empty-state">
        <p className="font-semibold">No sessions yet</p>
        <p className="mt-2 text-sm text-neutral-600 dark:text-neutral-400">Start one from a terminal:</p>
        <pre className="mt-2 overflow-x-auto rounded-lg bg-neutral-100 p-3 text-left text-sm dark:bg-neutral-900">
          <code>vibes claude &quot;your prompt&quot;</code>
        </pre>
        <p className="mt-3 text-sm text-neutral-600 dark:text-neutral-400">or right here:</p>
        <div className="mt-2 flex justify-center">
          <NewSessionButton onCreated={onOpen} />
        </div>
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
