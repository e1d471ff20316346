import type { PendingPermission, SessionInfo, TranscriptEntry } from '../../lib/protocol/index.ts';

/**
 * What a terminal view knows about its session, from the events it has seen: the latest info,
 * the decisions waiting, how far the transcript has been read, and whether the turns this
 * process asked for are over. No terminal in here: the console does the reading and writing.
 */
export class SessionTracker {
  readonly #ownClientId: string;
  readonly #pending = new Map<string, PendingPermission>();
  #session: SessionInfo;
  #lastSeq = 0;
  /** Own inputs sent whose `user_input` has not come back yet. */
  #awaitingEcho = 0;
  #lastOwnInputSeq = 0;
  #lastTurnSeq = 0;
  #lastInputSeq = 0;
  /**
   * Turns run one at a time, in the order of their inputs: the inputs seen live whose turn has not
   * completed, and how many turns must complete before this process's last input has had its own.
   * A queued input's echo comes before the turn under way ends, so its seq alone cannot say that.
   */
  #turnsOpen = 0;
  #ownTurnsOwed = 0;
  #lastTurnOk: boolean | null = null;
  #inFlight = 0;

  constructor(session: SessionInfo, ownClientId: string, promptSent: boolean) {
    this.#session = session;
    this.#ownClientId = ownClientId;
    if (promptSent) this.#awaitingEcho = 1;
    for (const permission of session.pending_permissions) this.#pending.set(permission.request_id, permission);
  }

  get session(): SessionInfo {
    return this.#session;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get lastTurnOk(): boolean | null {
    return this.#lastTurnOk;
  }

  /** The decision to answer next: the oldest; the rest wait their turn. */
  oldestPending(): PendingPermission | undefined {
    return [...this.#pending.values()].sort((a, b) => a.requested_at - b.requested_at)[0];
  }

  pending(): PendingPermission[] {
    return [...this.#pending.values()];
  }

  isPending(requestId: string): boolean {
    return this.#pending.has(requestId);
  }

  /** False for an entry already applied (a replay after reconnecting). */
  isNew(entry: { seq: number }): boolean {
    return entry.seq > this.#lastSeq;
  }

  apply(entry: TranscriptEntry, fromHistory: boolean): void {
    this.#lastSeq = Math.max(this.#lastSeq, entry.seq);
    const { event } = entry;
    switch (event.type) {
      case 'user_input':
        this.#lastInputSeq = entry.seq;
        if (fromHistory) return;
        this.#turnsOpen += 1;
        if (event.client_id === this.#ownClientId) {
          this.#awaitingEcho = Math.max(0, this.#awaitingEcho - 1);
          this.#lastOwnInputSeq = entry.seq;
          this.#ownTurnsOwed = this.#turnsOpen;
        }
        return;
      case 'permission_request': {
        const { type: _type, ...decision } = event;
        this.#pending.set(event.request_id, { ...decision, requested_at: entry.at });
        return;
      }
      case 'permission_resolved':
        this.#pending.delete(event.request_id);
        return;
      case 'turn_complete':
        this.#lastTurnSeq = entry.seq;
        this.#lastTurnOk = !event.is_error;
        if (fromHistory) return;
        this.#turnsOpen = Math.max(0, this.#turnsOpen - 1);
        this.#ownTurnsOwed = Math.max(0, this.#ownTurnsOwed - 1);
        return;
      default:
        return;
    }
  }

  /** Returns true when the session just failed. */
  updated(session: SessionInfo): boolean {
    const wasFailed = this.#session.state === 'failed';
    this.#session = session;
    this.#pending.clear();
    for (const permission of session.pending_permissions) this.#pending.set(permission.request_id, permission);
    return session.state === 'failed' && !wasFailed;
  }

  /** Marks an answer as taken here, before the server confirms it. */
  answered(requestId: string): void {
    this.#pending.delete(requestId);
  }

  inputSent(): void {
    this.#awaitingEcho += 1;
  }

  inputFailed(): void {
    this.#awaitingEcho = Math.max(0, this.#awaitingEcho - 1);
  }

  requestStarted(): void {
    this.#inFlight += 1;
  }

  requestEnded(): void {
    this.#inFlight -= 1;
  }

  get busy(): boolean {
    return this.#session.state === 'processing' || this.#session.state === 'waiting_permission';
  }

  /**
   * For Ctrl-C: the transcript runs ahead of the list update (coalesced), so an input after the
   * last turn's end already means a turn to interrupt.
   */
  get turnUnderWay(): boolean {
    return this.busy || (this.#session.state === 'idle' && this.#lastInputSeq > this.#lastTurnSeq);
  }

  /** Everything this process asked for is done: no request out, its inputs echoed, their turns over. */
  get settled(): boolean {
    if (this.#inFlight > 0 || this.#awaitingEcho > 0 || this.#ownTurnsOwed > 0) return false;
    if (this.#lastOwnInputSeq > 0 && this.#lastTurnSeq < this.#lastOwnInputSeq) return false;
    return !this.busy && this.#session.queued_inputs === 0;
  }
}
