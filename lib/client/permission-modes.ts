import type { PermissionMode } from '../protocol/index.ts';

/**
 * The protocol's PERMISSION_MODE_LABELS, for the dashboard's first load: lib/protocol/decisions.ts
 * defines them beside zod schemas, and importing them from there would pull zod into the phone's first load.
 */
export const MODE_LABELS = {
  default: 'Ask before edits',
  acceptEdits: 'Accept edits',
  plan: 'Plan mode',
  bypassPermissions: 'Bypass permissions',
} as const satisfies Readonly<Record<PermissionMode, string>>;

export const MODE_HINTS = {
  default: 'Claude asks before each edit and command',
  acceptEdits: 'File edits go through; commands still ask',
  plan: 'Claude plans first and changes nothing',
  bypassPermissions: 'Nothing asks: every command runs',
} as const satisfies Readonly<Record<PermissionMode, string>>;
