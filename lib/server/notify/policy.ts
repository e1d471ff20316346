import type { CoreEvent, SessionSnapshot } from '../../core/index.ts';
import type { PermissionRequestEvent, SessionState } from '../../protocol/index.ts';
import type { z } from 'zod';

export type PermissionRequest = z.infer<typeof PermissionRequestEvent>;

/** The session a notice is about; `title` is null until a snapshot of it has been seen. */
export type NoticeSession = { id: string; title: string | null };

/** Something the user should hear of now, before it is put in words. */
export type ShowNotice =
  | { type: 'show'; kind: 'permission'; session: NoticeSession; request: PermissionRequest }
  | { type: 'show'; kind: 'turn_finished'; session: NoticeSession; reply: string; durationMs: number }
  | { type: 'show'; kind: 'failed'; session: NoticeSession; failure: string | null };

/** A request was answered (or withdrawn): what shows it should go. */
export type WithdrawNotice = { type: 'withdraw'; sessionId: string; requestId: string };

export type Notice = ShowNotice | WithdrawNotice;

export interface NotificationPolicyOptions {
  /** "Turn finished" only for turns at least this long. */
  turnThresholdMs: number;
  /** True while some open page shows this session and is visible: it needs no notification. */
  isWatched: (sessionId: string) => boolean;
}

/**
 * When to notify: a decision Claude waits for, a long turn that ended, a session that failed
 * while live; never for a session some visible page shows. It reads the bus and says what is
 * news; the wording and the delivery are not its business.
 */
export class NotificationPolicy {
  readonly #options: NotificationPolicyOptions;
  readonly #states = new Map<string, SessionState>();
  readonly #titles = new Map<string, string>();
  /** The last reply text of the running turn, per session: what "finished" tells. */
  readonly #lastText = new Map<string, string>();

  constructor(options: NotificationPolicyOptions) {
    this.#options = options;
  }

  decide(event: CoreEvent): Notice | null {
    const notice = this.#read(event);
    if (notice?.type === 'show' && this.#options.isWatched(notice.session.id)) return null;
    return notice;
  }

  #read(event: CoreEvent): Notice | null {
    if (event.type === 'session_updated') return this.#onSession(event.session);
    if (event.type === 'session_removed') return this.#forget(event.session_id);
    if (event.type !== 'session_event') return null;
    const sessionId = event.session_id;
    const transcript = event.entry.event;
    if (transcript.type === 'permission_request')
      return { type: 'show', kind: 'permission', session: this.#session(sessionId), request: transcript };
    if (transcript.type === 'permission_resolved') return { type: 'withdraw', sessionId, requestId: transcript.request_id };
    if (transcript.type === 'text' && !transcript.parent_tool_use_id) this.#lastText.set(sessionId, transcript.text);
    if (transcript.type !== 'turn_complete') return null;
    const reply = this.#lastText.get(sessionId) ?? transcript.result ?? '';
    this.#lastText.delete(sessionId);
    if (transcript.is_error || transcript.duration_ms < this.#options.turnThresholdMs) return null;
    return { type: 'show', kind: 'turn_finished', session: this.#session(sessionId), reply, durationMs: transcript.duration_ms };
  }

  #onSession(session: SessionSnapshot): Notice | null {
    this.#titles.set(session.id, session.title);
    const before = this.#states.get(session.id);
    this.#states.set(session.id, session.state);
    // Ended sessions come back as failed from the history; only a live failure is news.
    const failedNow = session.state === 'failed' && before !== undefined && before !== 'failed' && session.ended_at === null;
    return failedNow ? { type: 'show', kind: 'failed', session: this.#session(session.id), failure: session.failure } : null;
  }

  #session(id: string): NoticeSession {
    return { id, title: this.#titles.get(id) ?? null };
  }

  #forget(sessionId: string): null {
    this.#states.delete(sessionId);
    this.#titles.delete(sessionId);
    this.#lastText.delete(sessionId);
    return null;
  }
}
