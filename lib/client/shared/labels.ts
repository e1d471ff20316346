import type { Attachment, EndReason, RemovalReason, SessionInfo, SessionState } from '../../protocol/index.ts';
import { DECISION_WAIT } from '../../protocol/labels.ts';

// The words both the dashboard and the CLI use for the same things, written once.

export interface StateLook {
  /** The word shown; state is never carried by colour alone. */
  label: string;
  icon: string;
  tone: 'idle' | 'busy' | 'attention' | 'bad' | 'done';
}

export const STATE_LOOK: Record<SessionState, StateLook> = {
  idle: { label: 'Idle', icon: '●', tone: 'idle' },
  processing: { label: 'Working', icon: '◐', tone: 'busy' },
  waiting_permission: { label: 'Needs approval', icon: '!', tone: 'attention' },
  failed: { label: 'Failed', icon: '✕', tone: 'bad' },
  finished: { label: 'Finished', icon: '✓', tone: 'done' },
};

/**
 * The state's look, worded by what the session waits for: an approval, an answer to a question,
 * or a plan to review (the oldest waiting decision says which).
 */
export function stateLook(session: Pick<SessionInfo, 'state' | 'pending_permissions'>): StateLook {
  const look = STATE_LOOK[session.state];
  const waiting = session.state === 'waiting_permission' ? session.pending_permissions[0] : undefined;
  return waiting ? { ...look, label: DECISION_WAIT[waiting.kind ?? 'tool'].badge } : look;
}

export const REMOVAL_TEXT: Record<RemovalReason, string> = {
  killed: 'This session was killed.',
  owner_disconnected: 'This session ended: everyone watching it had left.',
  session_finished: 'This session finished: Claude ended it.',
  node_lost: 'This session ended: the machine running it stopped answering.',
  server_stopped: 'This session ended when the server was stopped.',
};

/** Why an ended session ended, as its history entry says it. */
export const END_TEXT: Record<EndReason, string> = {
  ...REMOVAL_TEXT,
  server_restarted: 'This session was cut off: the server stopped unexpectedly (a crash or a kill) and was started again.',
};

/**
 * Why a session is over, in a sentence: that Claude failed (its failure is shown beside it, so
 * not repeated here; the end reason then only says how it was cleaned up), else what ended it.
 */
export function endText(session: Pick<SessionInfo, 'state'>, reason: EndReason | null): string {
  if (session.state === 'failed') return 'This session ended when Claude failed.';
  return reason ? END_TEXT[reason] : 'This session has ended.';
}

/** A few words for a history card. */
export const END_SHORT: Record<EndReason, string> = {
  killed: 'killed',
  owner_disconnected: 'everyone left',
  session_finished: 'Claude ended it',
  node_lost: 'machine lost',
  server_stopped: 'server stopped',
  server_restarted: 'server crashed',
};

export interface EndLook {
  /** How it ended, in a word or two: the history says this instead of the state. */
  label: string;
  tone: 'done' | 'bad' | 'warning';
  /** More words, when the short label leaves out something worth knowing. */
  detail: string | null;
}

/** How an ended session ended: killed, failed, finished, server stopped or crashed. */
export function endLook(session: Pick<SessionInfo, 'state' | 'end_reason' | 'failure'>): EndLook {
  if (session.state === 'failed') return { label: 'Failed', tone: 'bad', detail: session.failure };
  switch (session.end_reason) {
    case 'killed':
      return { label: 'Killed', tone: 'warning', detail: null };
    case 'server_stopped':
      return { label: 'Server stopped', tone: 'warning', detail: null };
    case 'server_restarted':
      return { label: 'Crashed', tone: 'bad', detail: 'the server stopped unexpectedly' };
    case 'owner_disconnected':
      return { label: 'Finished', tone: 'done', detail: 'everyone watching it had left' };
    default:
      return { label: 'Finished', tone: 'done', detail: null };
  }
}

/** Where a session works: the folder, and the git branch when it is a repository. */
export function projectLabel(session: Pick<SessionInfo, 'project' | 'git_branch'>): string {
  return session.git_branch ? `${session.project} · ${session.git_branch}` : session.project;
}

/** "12s", "5m", "3h", "2d": short enough for a phone card. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** An attachment in a line: `photo.jpg (image, 1568×1176, 412 KB)`. */
export function attachmentLabel(attachment: Pick<Attachment, 'name' | 'kind' | 'size' | 'width' | 'height'>): string {
  const size = attachment.width && attachment.height ? `${attachment.width}×${attachment.height}, ` : '';
  return `${attachment.name} (${attachment.kind === 'pdf' ? 'PDF' : attachment.kind}, ${size}${formatBytes(attachment.size)})`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
