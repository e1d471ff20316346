import type { RemovalReason, SessionInfo, TranscriptEntry } from '../protocol/index.ts';

/** A session as everyone sees it; `is_owner` is added per client on the way out. */
export type SessionSnapshot = Omit<SessionInfo, 'is_owner'>;

/** What the core publishes on the bus. The server personalises and filters it per client. */
export type CoreEvent =
  | { type: 'session_updated'; session: SessionSnapshot }
  | { type: 'session_removed'; session_id: string; reason: RemovalReason }
  | { type: 'ownership_transferred'; session_id: string; new_owner_id: string; previous_owner_id: string }
  | { type: 'session_event'; session_id: string; entry: TranscriptEntry };

/** A `session_updated` carries the session's whole state: the newest one for a session is all a replay needs. */
export function sessionStateKey(event: CoreEvent): string | undefined {
  return event.type === 'session_updated' ? event.session.id : undefined;
}

export function sessionInfoFor(snapshot: SessionSnapshot, clientId: string | null): SessionInfo {
  return { ...snapshot, is_owner: snapshot.owner_id === clientId };
}
