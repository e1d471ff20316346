'use client';

import { endLook, formatAge, projectLabel } from '../../lib/client/shared/labels.ts';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { useNow } from '../_hooks/use-now.ts';
import { openOnPlainClick, Organise } from './session-card.tsx';
import { EndBadge } from './state-badge.tsx';
import { Card } from './ui/card.tsx';

/** Ended sessions under the live ones: each says how it ended, and opens read-only with a Resume button. */
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
      <h2 id="history-heading" className="px-1 pb-2 pt-1 text-sm font-semibold text-muted">
        History
      </h2>
      <ul className="space-y-2" aria-label="Ended sessions">
        {history.map((session) => {
          const selected = session.id === selectedId;
          const look = endLook(session);
          const detail = look.detail ?? session.preview;
          return (
            <Card
              as="li"
              key={session.id}
              tone={selected ? 'selected' : 'default'}
              data-testid="history-card"

              data-session-id={session.id}
            >
              <div className="flex items-start">
                <a
                  href={`/?session=${encodeURIComponent(session.id)}`}
                  onClick={openOnPlainClick(onOpen, session.id)}
                  aria-current={selected ? 'page' : undefined}
                  className="block min-h-11 min-w-0 flex-1 rounded-xl p-3 pr-1 hover:bg-surface-hover focus-visible:outline-2 focus-visible:outline-accent"
                >
                  <div className="flex items-center justify-between gap-2">
                    <span className="truncate font-semibold" data-testid="session-name">
                      {session.title}
                    </span>
                    <EndBadge look={look} />
                  </div>
                  {detail && (
                    <p
                      className={`mt-1 truncate text-sm ${look.tone === 'bad' ? 'text-danger-text' : 'text-muted'}`}
                      data-testid="session-preview"
                    >
                      {detail}
                    </p>
                  )}
                  <p
                    className="mt-1.5 flex gap-3 text-xs text-muted"
                    data-testid="end-reason"
                    data-reason={session.end_reason ?? undefined}
                  >
                    <span>
                      {look.label.toLowerCase()} {formatAge(now - (session.ended_at ?? now))} ago
                    </span>
                    <span className="min-w-0 truncate font-mono" title={session.cwd}>
                      {projectLabel(session)}
                    </span>
                    {session.node !== null && <span data-testid="history-machine">on {session.node}</span>}
                  </p>
                </a>
                <Organise session={session} watching={selected} />
              </div>
            </Card>
          );
        })}
      </ul>
    </section>
  );
}
