import type { PermissionMode } from '../protocol/index.ts';
import { VibesError } from './errors.ts';

/** `bypassPermissions` only on a server started with the opt-in, however the mode is asked for. */
export function requireModeAllowed(mode: PermissionMode, allowBypass: boolean): void {
  if (mode === 'bypassPermissions' && !allowBypass) {
    throw new VibesError(
      'BYPASS_NOT_ALLOWED',
      'This server does not allow bypassing permissions; start it with --allow-bypass (or VIBES_ALLOW_BYPASS=1) to allow it',
    );
  }
}
