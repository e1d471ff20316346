'use client';

import dynamic from 'next/dynamic';
import type { SessionInfo } from '../../lib/protocol/index.ts';

// Diffs, Markdown plans and question forms stay out of the phone's first load.
const DecisionCard = dynamic(() => import('./decision-card.tsx'), {
  ssr: false,
  loading: () => (
    <p className="rounded-lg border-2 border-amber-500 bg-amber-50 p-3 text-sm dark:bg-amber-950/40" role="status">
      Loading the request…
    </p>
  ),
});

/** The session's pending requests, each with its controls; the list card and the session view both show them. */
export function PendingDecisions({ session, compact = false }: { session: SessionInfo; compact?: boolean }) {
  if (session.pending_permissions.length === 0) return null;
  return (
    <div className="min-w-0 space-y-2" data-testid="pending-decisions">
      {session.pending_permissions.map((permission) => (
        <DecisionCard key={permission.request_id} sessionId={session.id} permission={permission} cwd={session.cwd} compact={compact} />
      ))}
    </div>
  );
}
