'use client';

import dynamic from 'next/dynamic';
import { memo, type MouseEvent } from 'react';
import { formatAge, projectLabel } from '../../lib/client/shared/labels.ts';
import { changesSummary } from '../../lib/client/shared/changes-summary.ts';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { decisionSummary } from '../../lib/protocol/decision-summary.ts';
import { useNow } from '../_hooks/use-now.ts';
import { ContextGauge } from './context-gauge.tsx';
import { PendingDecisions } from './pending-decisions.tsx';
import { ModeBadge, StateBadge } from './state-badge.tsx';
import { Card } from './ui/card.tsx';

/** One line under the title: what the session waits for, why it failed, or the latest reply. */
export function previewOf(session: SessionInfo): { text: string; tone: 'attention' | 'bad' | 'plain' } | null {
  const waiting = session.pending_permissions[0];
  if (waiting) {
    const more = session.pending_permissions.length > 1 ? ` (+${session.pending_permissions.length - 1} more)` : '';
    return { text: `Waits for you: ${decisionSummary(waiting)}${more}`, tone: 'attention' };
  }
  if (session.state === 'failed' && session.failure) return { text: session.failure, tone: 'bad' };
  return session.preview ? { text: session.preview, tone: 'plain' } : null;
}

/** Rename and pin, on live and ended cards alike: the button comes with the first idle moment. */
export const Organise = dynamic(() => import('./organise-button.tsx'), { ssr: false });

const PREVIEW_TONE = { attention: 'text-warning-text font-medium', bad: 'text-danger-text', plain: 'text-muted' } as const;

/** Opens a session in the same tab on a plain click; a modified click keeps the browser's meaning. */
export function openOnPlainClick(onOpen: (id: string) => void, id: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(id);
  };
}

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
  const preview = previewOf(session);
  return (
    <Card
      as="li"
      tone={session.state === 'waiting_permission' ? 'attention' : selected ? 'selected' : 'default'}
      data-testid="session-card"
      data-pinned={session.pinned || undefined}
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
            <StateBadge session={session} />
          </div>
          {preview && (
            <p className={`mt-1 truncate text-sm ${PREVIEW_TONE[preview.tone]}`} data-testid="session-preview">
              {preview.text}
            </p>
          )}
          <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted">
            {session.pinned && (
              <span className="font-semibold text-accent-text" data-testid="pin-mark">
                Pinned
              </span>
            )}
            <span className="max-w-48 truncate font-mono" data-testid="session-project" title={session.cwd}>
              {projectLabel(session)}
            </span>
            {session.node !== null && (
              <span className="max-w-32 truncate" data-testid="session-machine" title={`Runs on the machine ${session.node}`}>
                on {session.node}
              </span>
            )}
            <ModeBadge mode={session.permission_mode} />
            {session.model && (
              <span className="max-w-40 truncate" data-testid="card-model">
                {session.model}
              </span>
            )}
            {session.is_owner && (
              <span data-testid="owner-badge" className="rounded-full bg-accent px-2 py-0.5 font-semibold text-accent-fg">
                Yours
              </span>
            )}
            {session.subscriber_count > 1 && <span data-testid="viewer-count">{session.subscriber_count} viewers</span>}
            {session.queued_inputs > 0 && <span>{session.queued_inputs} queued</span>}
            {session.changes && session.changes.files > 0 && (
              <span data-testid="card-changes" title="Changed since the session started">
                {changesSummary(session.changes)}
              </span>
            )}
            <ContextGauge context={session.context} />
            <span data-testid="last-activity" title={`started ${formatAge(now - session.created_at)} ago`}>
              active {formatAge(now - session.last_activity_at)} ago
            </span>
          </div>
        </a>
        <Organise session={session} watching={selected} />
      </div>
      {session.pending_permissions.length > 0 && (
        <div className="px-3 pb-3">
          <PendingDecisions session={session} compact onOpen={selected ? undefined : onOpen} />
        </div>
      )}
    </Card>
  );
});
