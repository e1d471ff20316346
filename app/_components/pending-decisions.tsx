'use client';

import dynamic from 'next/dynamic';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { Button } from './ui/button.tsx';

// Diffs, Markdown plans and question forms stay out of the phone's first load.
const DecisionCard = dynamic(() => import('./decision-card.tsx'), {
  ssr: false,
  loading: () => (
    <p className="rounded-lg border-2 border-warning bg-warning-soft p-3 text-sm" role="status">
      Loading the request…
    </p>
  ),
});

/**
 * The session's pending requests, each with its controls. A list card answers tool requests in
 * place; a question or a plan needs the room of the session view, so the card only leads there.
 */
export function PendingDecisions({
  session,
  compact = false,
  onOpen,
}: {
  session: SessionInfo;
  compact?: boolean;
  /** Opens the session, where a question or a plan is answered. */
  onOpen?: (id: string) => void;
}) {
  if (session.pending_permissions.length === 0) return null;
  const inPlace = compact ? session.pending_permissions.filter((permission) => permission.kind === 'tool') : session.pending_permissions;
  const elsewhere = compact ? session.pending_permissions.find((permission) => permission.kind !== 'tool') : undefined;
  return (
    <div className="min-w-0 space-y-2" data-testid="pending-decisions">
      {inPlace.map((permission) => (
        <DecisionCard key={permission.request_id} sessionId={session.id} permission={permission} cwd={session.cwd} compact={compact} />
      ))}
      {elsewhere && onOpen && (
        <Button className="w-full border-warning" onClick={() => onOpen(session.id)} data-testid="open-decision">
          {elsewhere.kind === 'plan' ? 'Open to review the plan' : 'Open to answer'}
        </Button>
      )}
    </div>
  );
}
