import { stateLook, type EndLook } from '../../lib/client/shared/labels.ts';
import { MODE_LABELS } from '../../lib/client/shared/permission-modes.ts';
import type { PermissionMode, SessionInfo } from '../../lib/protocol/index.ts';

const TONE: Record<string, string> = {
  idle: 'bg-info-soft text-info-text',
  busy: 'bg-success-soft text-success-text',
  attention: 'bg-warning-soft text-warning-text ring-2 ring-warning',
  bad: 'bg-danger-soft text-danger-text',
  warning: 'bg-warning-soft text-warning-text',
  done: 'bg-done-soft text-fg',
};

const BADGE = 'inline-flex shrink-0 items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold';

const END_ICON: Record<EndLook['tone'], string> = { done: '✓', warning: '■', bad: '✕' };

/** How an ended session ended, in a word and a colour (and an icon, for those who cannot tell the colours apart). */
export function EndBadge({ look }: { look: EndLook }) {
  return (
    <span data-testid="end-badge" data-tone={look.tone} className={`${BADGE} ${TONE[look.tone]}`}>
      <span aria-hidden="true">{END_ICON[look.tone]}</span>
      {look.label}
    </span>
  );
}

/** Colour, icon and word together: the state never depends on colour alone. */
export function StateBadge({ session }: { session: Pick<SessionInfo, 'state' | 'pending_permissions'> }) {
  const state = session.state;
  const look = stateLook(session);
  return (
    <span data-testid="session-state" data-state={state} className={`${BADGE} ${TONE[look.tone]}`}>
      <span aria-hidden="true" className={state === 'processing' ? 'vibes-spin inline-block' : 'inline-block'}>
        {look.icon}
      </span>
      {look.label}
    </span>
  );
}

const MODE_TONE: Record<PermissionMode, string> = {
  default: 'bg-surface-sunken text-fg',
  acceptEdits: 'bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-100',
  plan: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-100',
  bypassPermissions: 'bg-red-700 text-white',
};

/** The session's permission mode, in words; bypass stands out. */
export function ModeBadge({ mode }: { mode: PermissionMode }) {
  return (
    <span data-testid="mode-badge" data-mode={mode} className={`rounded-full px-2 py-0.5 font-semibold ${MODE_TONE[mode]}`}>
      {mode === 'bypassPermissions' && <span aria-hidden="true">⚠ </span>}
      {MODE_LABELS[mode]}
    </span>
  );
}
