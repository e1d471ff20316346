import { stateLook, type EndLook } from '../../lib/client/shared/labels.ts';
import { PERMISSION_MODE_LABELS } from '../../lib/protocol/labels.ts';
import type { PermissionMode, SessionInfo } from '../../lib/protocol/index.ts';
import { Badge, type BadgeTone } from './ui/badge.tsx';

const END_ICON: Record<EndLook['tone'], string> = { done: '✓', warning: '■', bad: '✕' };

/** How an ended session ended, in a word and a colour (and an icon, for those who cannot tell the colours apart). */
export function EndBadge({ look }: { look: EndLook }) {
  return (
    <Badge data-testid="end-badge" tone={look.tone}>
      <span aria-hidden="true">{END_ICON[look.tone]}</span>
      {look.label}
    </Badge>
  );
}

/** Colour, icon and word together: the state never depends on colour alone. */
export function StateBadge({ session }: { session: Pick<SessionInfo, 'state' | 'pending_permissions'> }) {
  const state = session.state;
  const look = stateLook(session);
  return (
    <Badge data-testid="session-state" data-state={state} tone={look.tone}>
      <span aria-hidden="true" className={state === 'processing' ? 'vibes-spin inline-block' : 'inline-block'}>
        {look.icon}
      </span>
      {look.label}
    </Badge>
  );
}

const MODE_TONE: Record<PermissionMode, BadgeTone> = {
  default: 'neutral',
  acceptEdits: 'accent-soft',
  plan: 'info',
  bypassPermissions: 'danger',
};

/** The session's permission mode, in words; bypass stands out. */
export function ModeBadge({ mode }: { mode: PermissionMode }) {
  return (
    <Badge data-testid="mode-badge" data-mode={mode} tone={MODE_TONE[mode]}>
      {mode === 'bypassPermissions' && <span aria-hidden="true">⚠ </span>}
      {PERMISSION_MODE_LABELS[mode]}
    </Badge>
  );
}
