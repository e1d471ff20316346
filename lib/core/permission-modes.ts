import { PermissionMode } from '../protocol/index.ts';
import { VibesError } from './errors.ts';

/** A mode Claude names that a session here may switch to: one vibes offers, bypass only with the opt-in. */
export function isModeAllowed(mode: string, allowBypass: boolean): mode is PermissionMode {
  return PermissionMode.safeParse(mode).success && (mode !== 'bypassPermissions' || allowBypass);
}

/** `bypassPermissions` only on a server started with the opt-in, however the mode is asked for. */
export function requireModeAllowed(mode: PermissionMode, allowBypass: boolean): void {
  if (mode === 'bypassPermissions' && !allowBypass) {
    throw new VibesError(
      'BYPASS_NOT_ALLOWED',
      'This server does not allow bypassing permissions; start it with --allow-bypass (or VIBES_ALLOW_BYPASS=1) to allow it',
    );
  }
}
