import type { PermissionMode } from '../../protocol/index.ts';

export const MODE_HINTS = {
  default: 'Claude asks before each edit and command',
  acceptEdits: 'File edits go through; commands still ask',
  plan: 'Claude plans first and changes nothing',
  bypassPermissions: 'Nothing asks: every command runs',
} as const satisfies Readonly<Record<PermissionMode, string>>;
