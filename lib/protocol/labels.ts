// Kept apart from the zod schemas so the dashboard can import it without pulling zod in.

/** Words for each permission mode, for cards, headers and the CLI. */
export const PERMISSION_MODE_LABELS = {
  default: 'Ask before edits',
  acceptEdits: 'Accept edits',
  plan: 'Plan mode',
  bypassPermissions: 'Bypass permissions',
} as const satisfies Record<'default' | 'acceptEdits' | 'plan' | 'bypassPermissions', string>;
