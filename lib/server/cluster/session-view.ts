import type { Bus, SessionManager } from '../../core/index.ts';
import type { StreamEntry } from '../../core/cluster/stream-bus.ts';
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

/**
 * The entries this node published, for what must happen once in the cluster (notifications):
 * every node reads every entry, but only the node running a session acts on its events.
 */
export function ownEntries<T>(bus: Bus<T>, node: string): Bus<T> {
  return {
    get epoch() {
      return bus.epoch;
    },
    get lastSeq() {
      return bus.lastSeq;
    },
    publish: (event) => bus.publish(event),
    since: (seq) => bus.since(seq)?.filter((entry) => (entry as StreamEntry<T>).node === node),
    subscribe: (listener) =>
      bus.subscribe((entry) => {
        if ((entry as StreamEntry<T>).node === node) listener(entry);
      }),
  };
}
