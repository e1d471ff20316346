import type { ServerEvent, SessionInfo } from '../../protocol/index.ts';
import { compareListed } from '../../protocol/rules.ts';

/** Pinned first, then newest first: the session you just started is the one you want to see. */
export function sortSessions(sessions: readonly SessionInfo[]): SessionInfo[] {
  return [...sessions].sort(compareListed);
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
      // A pin moves the session.
      return sortSessions(next);
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

/** The history without the sessions that are live again, keeping the same array when nothing changes. */
export function withoutLive(history: readonly SessionInfo[] | undefined, liveId: string): readonly SessionInfo[] | undefined {
  return history?.some((session) => session.id === liveId) ? history.filter((session) => session.id !== liveId) : history;
}
