'use client';

import { memo, type MouseEvent } from 'react';
import { formatAge, sessionTitle } from '../../lib/client/shared/labels.ts';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { useNow } from '../_hooks/use-now.ts';
import { PendingDecisions } from './pending-decisions.tsx';
import { ModeBadge, StateBadge } from './state-badge.tsx';

export const SessionCard = memo(function SessionCard({
  session,
  selected,
  onOpen,
}: {
  session: SessionInfo;
  selected: boolean;
  onOpen: (id: string) => void;
}) {
  const now = useNow();
  const title = sessionTitle(session);
  const attention = session.state === 'waiting_permission';
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(session.id);
  };
  return (
    <li
      data-testid="session-card"
      data-session-id={session.id}
      className={`rounded-xl border bg-white dark:bg-neutral-900 ${
        attention ? 'border-amber-500 border-2' : selected ? 'border-violet-600 border-2' : 'border-neutral-200 dark:border-neutral-800'
      }`}
    >
      <a
        href={`/?session=${encodeURIComponent(session.id)}`}
        onClick={onClick}
        aria-current={selected ? 'page' : undefined}
        className="block min-h-11 rounded-xl p-3 hover:bg-neutral-50 focus-visible:outline-2 focus-visible:outline-violet-600 dark:hover:bg-neutral-800/60"
      >
        <div className="flex items-center justify-between gap-2">
          <span className="truncate font-semibold" data-testid="session-name">
            {title}
          </span>
          <StateBadge state={session.state} />
        </div>
        <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-neutral-600 dark:text-neutral-400">
          {session.is_owner && (
            <span data-testid="owner-badge" className="rounded-full bg-violet-600 px-2 py-0.5 font-semibold text-white">
              Yours
            </span>
          )}
          {session.subscriber_count > 1 && <span data-testid="viewer-count">{session.subscriber_count} viewers</span>}
          <ModeBadge mode={session.permission_mode} />
          {session.model && (
            <span className="max-w-40 truncate" data-testid="card-model">
              {session.model}
            </span>
          )}
          <span>started {formatAge(now - session.created_at)} ago</span>
          <span data-testid="last-activity">active {formatAge(now - session.last_activity_at)} ago</span>
          {session.queued_inputs > 0 && <span>{session.queued_inputs} queued</span>}
        </div>
        {session.state === 'failed' && session.failure && (
          <p className="mt-1 line-clamp-2 text-xs text-red-700 dark:text-red-300">{session.failure}</p>
        )}
      </a>
      {session.pending_permissions.length > 0 && (
        <div className="px-3 pb-3">
          <PendingDecisions session={session} compact />
        </div>
      )}
    </li>
  );
});
