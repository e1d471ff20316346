'use client';

import type { ConnectionStatus } from '../../lib/client/web/browser-stream.ts';
import { useLive } from './live-provider.tsx';

const LOOK: Record<ConnectionStatus, { label: string; dot: string }> = {
  connecting: { label: 'Connecting', dot: 'bg-muted vibes-pulse' },
  live: { label: 'Live', dot: 'bg-success' },
  reconnecting: { label: 'Reconnecting', dot: 'bg-warning vibes-pulse' },
  offline: { label: 'Offline', dot: 'bg-danger' },
  unauthorized: { label: 'Signed out', dot: 'bg-danger' },
};

/** Driven by the event stream itself: "live" means events are arriving, not that the device has a network. */
/** `compact`: only the dot while live (the word is still read out); any trouble shows in words. */
export function ConnectionIndicator({ className = '', compact = false }: { className?: string; compact?: boolean }) {
  const { status } = useLive();
  const look = LOOK[status];
  const quiet = compact && status === 'live';
  return (
    <span
      role="status"
      data-testid="connection"
      data-status={status}
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full text-xs text-muted ${quiet ? 'p-1' : 'border border-border-strong px-2 py-0.5'} ${className}`}
    >
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${look.dot}`} />
      <span className={quiet ? 'sr-only' : undefined}>{look.label}</span>
    </span>
  );
}
