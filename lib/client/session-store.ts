import type { EndReason, RemovalReason, ServerEvent, SessionInfo, SessionState } from '../protocol/index.ts';

/** Newest first: the session you just started is the one you want to see. */
export function sortSessions(sessions: readonly SessionInfo[]): SessionInfo[] {
  return [...sessions].sort((a, b) => b.created_at - a.created_at || a.id.localeCompare(b.id));
}

/** Applies one event of the stream to the session list; returns the same array when nothing changed. */
export function applyToSessionList(sessions: readonly SessionInfo[] | undefined, event: ServerEvent): readonly SessionInfo[] | undefined {
  switch (event.type) {
    case 'session_list':
      return sortSessions(event.sessions);
    case 'session_updated': {
      if (!sessions) return sessions;
      const index = sessions.findIndex((session) => session.id === event.session.id);
      if (index === -1) return sortSessions([...sessions, event.session]);
      const next = sessions.slice();
      next[index] = event.session;
      return next;
    }
    case 'session_removed':
      return sessions?.some((session) => session.id === event.session_id)
        ? sessions.filter((session) => session.id !== event.session_id)
        : sessions;
    case 'ownership_transferred':
      return sessions?.map((session) =>
        session.id === event.session_id ? { ...session, owner_id: event.new_owner_id, is_owner: event.you_are_owner } : session,
      );
    default:
      return sessions;
  }
}

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

export const REMOVAL_TEXT: Record<RemovalReason, string> = {
  killed: 'This session was killed.',
  owner_disconnected: 'This session ended: everyone watching it had left.',
  session_finished: 'This session finished: Claude ended it.',
};

/** Why an ended session ended, as its history entry says it. */
export const END_TEXT: Record<EndReason, string> = {
  ...REMOVAL_TEXT,
  server_stopped: 'This session ended when the server was stopped.',
  server_restarted: 'This session was cut off: the server stopped unexpectedly (a crash or a kill) and was started again.',
};

/** A few words for a history card. */
export const END_SHORT: Record<EndReason, string> = {
  killed: 'killed',
  owner_disconnected: 'everyone left',
  session_finished: 'Claude ended it',
  server_stopped: 'server stopped',
  server_restarted: 'server crashed',
};

/** The history without the sessions that are live again, keeping the same array when nothing changes. */
export function withoutLive(history: readonly SessionInfo[] | undefined, liveId: string): readonly SessionInfo[] | undefined {
  return history?.some((session) => session.id === liveId) ? history.filter((session) => session.id !== liveId) : history;
}

export function sessionTitle(session: Pick<SessionInfo, 'id' | 'name'>): string {
  return session.name ?? session.id.slice(0, 8);
}

/** "12s", "5m", "3h", "2d": short enough for a phone card. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
