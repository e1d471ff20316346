import type { SessionManager } from './manager.ts';
import type { ClientId } from './ownership.ts';
import type { Session } from './session.ts';
import type { RemovalReason } from '../protocol/index.ts';

export interface LifecycleResult {
  /** Sessions whose ownership passed on, with the new owner. */
  transfers: { session_id: string; new_owner_id: ClientId }[];
  /** Sessions ended and removed because nobody was left. */
  cleanups: string[];
  /** Sessions left with nobody, in a turn: they end when the turn does, unless someone comes back. */
  deferred: string[];
}

export interface UnsubscribeResult extends LifecycleResult {
  was_owner: boolean;
}

/** Subscriptions and what happens when a client leaves: ownership passes on, empty sessions end. */
export class SessionLifecycle {
  readonly #manager: SessionManager;
  readonly #awaitingTurnEnd = new Set<string>();

  constructor(manager: SessionManager) {
    this.#manager = manager;
  }

  async subscribe(sessionId: string, clientId: ClientId): Promise<void> {
    (await this.#manager.get(sessionId)).addSubscriber(clientId);
  }

  /** The client leaves one session; the same rules apply as when it leaves altogether. */
  async unsubscribe(sessionId: string, clientId: ClientId): Promise<UnsubscribeResult> {
    const session = await this.#manager.get(sessionId);
    const result = emptyResult();
    const wasOwner = session.ownership.isOwner(clientId) && session.ownership.isSubscribed(clientId);
    await Promise.all(this.#leave(session, clientId, result));
    return { was_owner: wasOwner, ...result };
  }

  /** The client is gone for good: apply the rules to every session it subscribed to. */
  async clientGone(clientId: ClientId): Promise<LifecycleResult> {
    const result = emptyResult();
    const removals = this.#manager
      .sessionsSubscribedBy(clientId)
      .flatMap((sessionId) => this.#leave(this.#manager.find(sessionId)!, clientId, result));
    await Promise.all(removals);
    return result;
  }

  #leave(session: Session, clientId: ClientId, result: LifecycleResult): Promise<void>[] {
    if (!session.ownership.isSubscribed(clientId)) return [];
    const wasOwner = session.removeSubscriber(clientId);
    if (wasOwner) {
      const next = session.ownership.pickNextOwner();
      if (next !== undefined && session.transferOwnership(next)) {
        result.transfers.push({ session_id: session.id, new_owner_id: next });
      }
    }
    if (!session.ownership.shouldCleanup()) return [];
    if (session.isTurnActive) {
      result.deferred.push(session.id);
      this.#endAfterTurn(session);
      return [];
    }
    result.cleanups.push(session.id);
    return [this.#manager.remove(session.id, reasonWhenLeft(session))];
  }

  #endAfterTurn(session: Session): void {
    if (this.#awaitingTurnEnd.has(session.id)) return;
    this.#awaitingTurnEnd.add(session.id);
    void session
      .whenTurnEnds()
      .then(async () => {
        this.#awaitingTurnEnd.delete(session.id);
        if (this.#manager.find(session.id) !== session || !session.ownership.shouldCleanup()) return;
        await this.#manager.remove(session.id, reasonWhenLeft(session));
      })
      .catch((error: unknown) => console.error(`ending session ${session.id} after its turn failed:`, error));
  }
}

/**
 * The last viewer left: that ended the session only if Claude was still there. One whose Claude
 * had already ended (failed, or finished) keeps that as its reason, not "everyone had left".
 */
function reasonWhenLeft(session: Session): RemovalReason {
  return session.state === 'failed' || session.state === 'finished' ? 'session_finished' : 'owner_disconnected';
}

function emptyResult(): LifecycleResult {
  return { transfers: [], cleanups: [], deferred: [] };
}
