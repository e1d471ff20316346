'use client';

import type { MouseEvent } from 'react';
import { END_SHORT, formatAge, sessionTitle } from '../../lib/client/shared/labels.ts';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { useNow } from '../_hooks/use-now.ts';
import { StateBadge } from './state-badge.tsx';

/** Ended sessions under the live ones: each opens read-only, with a Resume button. */
export function HistoryList({
  history,
  selectedId,
  onOpen,
}: {
  history: readonly SessionInfo[] | undefined;
  selectedId: string | null;
  onOpen: (id: string) => void;
}) {
  const now = useNow();
  if (!history || history.length === 0) return null;
  return (
    <section className="px-3 pb-3" aria-labelledby="history-heading" data-testid="history">
      <h2 id="history-heading" className="px-1 pb-2 pt-1 text-sm font-semibold text-neutral-600 dark:text-neutral-400">
        History
      </h2>
      <ul className="space-y-2" aria-label="Ended sessions">
        {history.map((session) => {
          const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            onOpen(session.id);
          };
          const selected = session.id === selectedId;
          return (
            <li
              key={session.id}
              data-testid="history-card"
              data-session-id={session.id}
              className={`rounded-xl border ${selected ? 'border-2 border-violet-600' : 'border-neutral-200 dark:border-neutral-800'}`}
            >
              <a
                href={`/?session=${encodeURIComponent(session.id)}`}
                onClick={onClick}
                aria-current={selected ? 'page' : undefined}
                className="block min-h-11 rounded-xl p-3 hover:bg-neutral-50 focus-visible:outline-2 focus-visible:outline-violet-600 dark:hover:bg-neutral-800/60"
              >
                <div className="flex items-center justify-between gap-2">
                  <span className="truncate font-semibold text-neutral-700 dark:text-neutral-300" data-testid="session-name">
                    {sessionTitle(session)}
                  </span>
                  <StateBadge state={session.state} />
                </div>
                <p className="mt-1.5 text-xs text-neutral-600 dark:text-neutral-400" data-testid="end-reason">
                  ended {formatAge(now - (session.ended_at ?? now))} ago
                  {session.end_reason ? ` · ${END_SHORT[session.end_reason]}` : ''}
                </p>
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
