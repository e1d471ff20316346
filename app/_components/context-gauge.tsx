'use client';

import type { ContextUsage } from '../../lib/protocol/index.ts';
import { contextNearLimit, describeContext } from '../../lib/protocol/context.ts';

/**
 * How full Claude's context window is: a small bar and the percentage, amber near the point
 * where Claude compacts the conversation; the words are in the tooltip and for screen readers.
 */
export function ContextGauge({ context, className = '' }: { context: ContextUsage | null; className?: string }) {
  if (!context) return null;
  const near = contextNearLimit(context);
  const words = describeContext(context);
  const filled = Math.min(100, Math.max(0, context.percentage));
  return (
    <span
      role="meter"
      aria-label="Context window"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={filled}
      aria-valuetext={words}
      title={words}
      data-testid="context-gauge"
      data-near-limit={near ? 'true' : undefined}
      className={`inline-flex shrink-0 items-center gap-1 text-xs tabular-nums ${near ? 'font-semibold text-warning-text' : 'text-muted'} ${className}`}
    >
      <span className="relative h-1.5 w-10 overflow-hidden rounded-full bg-surface-sunken ring-1 ring-border" aria-hidden="true">
        <span className={`absolute inset-y-0 left-0 ${near ? 'bg-warning' : 'bg-accent'}`} style={{ width: `${filled}%` }} />
      </span>
      <span aria-hidden="true">{context.percentage}%</span>
    </span>
  );
}
