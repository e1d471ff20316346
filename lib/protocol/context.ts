// Kept apart from the zod schemas so the dashboard can import it without pulling zod in.
import type { ContextUsage } from './session.ts';

/** How close to Claude's compaction point (in percentage points) the figure turns to a warning. */
export const CONTEXT_WARNING_MARGIN = 10;
/** Where the warning starts when auto-compaction is off: Claude stops when the window is full. */
const CONTEXT_WARNING_WITHOUT_COMPACTION = 85;

/** Tokens the way people read them: 950, 2.2k, 31k, 1M. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${trimmed(count / 1000)}k`;
  return `${trimmed(count / 1_000_000)}M`;
}

function trimmed(value: number): string {
  return value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}

/** Near the point where Claude compacts the conversation (or, without compaction, near full). */
export function contextNearLimit(context: ContextUsage): boolean {
  const limit =
    context.compact_at_percentage === undefined
      ? CONTEXT_WARNING_WITHOUT_COMPACTION
      : context.compact_at_percentage - CONTEXT_WARNING_MARGIN;
  return context.percentage >= limit;
}

/** The figure in words, for a tooltip or a screen reader. */
export function describeContext(context: ContextUsage): string {
  const figure = `Context ${context.percentage}% full: ${formatTokens(context.used_tokens)} of ${formatTokens(context.max_tokens)} tokens`;
  if (context.compact_at_percentage === undefined) return figure;
  const warning = contextNearLimit(context) ? ' soon' : '';
  return `${figure}. Claude compacts the conversation${warning} at ${context.compact_at_percentage}%`;
}
