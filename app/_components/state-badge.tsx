import { STATE_LOOK } from '../../lib/client/shared/labels.ts';
import { MODE_LABELS } from '../../lib/client/shared/permission-modes.ts';
import type { PermissionMode, SessionState } from '../../lib/protocol/index.ts';

const TONE: Record<string, string> = {
  idle: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  busy: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  attention: 'bg-amber-200 text-amber-950 ring-2 ring-amber-500 dark:bg-amber-900 dark:text-amber-50',
  bad: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
  done: 'bg-neutral-200 text-neutral-800 dark:bg-neutral-800 dark:text-neutral-200',
};

/** Colour, icon and word together: the state never depends on colour alone. */
export function StateBadge({ state }: { state: SessionState }) {
  const look = STATE_LOOK[state];
  return (
    <span
      data-testid="session-state"
      data-state={state}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ${TONE[look.tone]}`}
    >
      <span aria-hidden="true" className={state === 'processing' ? 'vibes-spin inline-block' : 'inline-block'}>
        {look.icon}
      </span>
      {look.label}
    </span>
  );
}

const MODE_TONE: Record<PermissionMode, string> = {
  default: 'bg-neutral-100 text-neutral-800 dark:bg-neutral-800 dark:text-neutral-200',
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
