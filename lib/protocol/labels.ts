// Kept apart from the zod schemas so the dashboard can import it without pulling zod in.
import type { DecisionKind } from './decisions.ts';

/** Words for each permission mode, for cards, headers and the CLI. */
export const PERMISSION_MODE_LABELS = {
  default: 'Ask before edits',
  acceptEdits: 'Accept edits',
  plan: 'Plan mode',
  bypassPermissions: 'Bypass permissions',
} as const satisfies Record<'default' | 'acceptEdits' | 'plan' | 'bypassPermissions', string>;

/** What a waiting decision asks of the user: the state badge while it waits, and its tool row. */
export const DECISION_WAIT: Record<DecisionKind, { badge: string; row: string }> = {
  tool: { badge: 'Needs approval', row: 'waiting for approval' },
  question: { badge: 'Question for you', row: 'waiting for your answer' },
  plan: { badge: 'Plan to review', row: 'waiting for your review' },
};
