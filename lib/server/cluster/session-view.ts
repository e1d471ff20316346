import type { SessionManager } from '../../core/index.ts';
import type { SessionInfo } from '../../protocol/index.ts';

/**
 * The live sessions as the SSE hub and the session list see them: this process's manager on one
 * machine; in a cluster, every node's sessions (see cluster/directory.ts).
 */
export interface SessionView {
  subscribersOf(sessionId: string): Iterable<string> | undefined;
  isSubscribed(sessionId: string, clientId: string): boolean;
  /** Oldest first, as `clientId` sees them. */
  list(clientId: string | null): SessionInfo[];
}

export function managerView(manager: SessionManager): SessionView {
  return {
    subscribersOf: (sessionId) => manager.find(sessionId)?.ownership.subscriberIds,
    isSubscribed: (sessionId, clientId) => manager.find(sessionId)?.ownership.isSubscribed(clientId) ?? false,
    list: (clientId) => manager.list().map((session) => session.infoFor(clientId)),
  };
}
