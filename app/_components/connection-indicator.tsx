'use client';

import type { ConnectionStatus } from '../../lib/client/web/browser-stream.ts';
import { useLive } from './live-provider.tsx';

const LOOK: Record<ConnectionStatus, { label: string; dot: string }> = {
  connecting: { label: 'Connecting', dot: 'bg-neutral-400 vibes-pulse' },
  live: { label: 'Live', dot: 'bg-emerald-500' },
  reconnecting: { label: 'Reconnecting', dot: 'bg-amber-500 vibes-pulse' },
  offline: { label: 'Offline', dot: 'bg-red-500' },
  unauthorized: { label: 'Signed out', dot: 'bg-red-500' },
};

/** Driven by the event stream itself: "live" means events are arriving, not that the device has a network. */
export function ConnectionIndicator({ className = '' }: { className?: string }) {
  const { status } = useLive();
  const look = LOOK[status];
  return (
    <span
      role="status"
      data-testid="connection"
      data-status={status}
      className={`inline-flex items-center gap-1.5 rounded-full border border-neutral-300 px-2 py-0.5 text-xs text-neutral-700 dark:border-neutral-700 dark:text-neutral-300 ${className}`}
    >
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}
