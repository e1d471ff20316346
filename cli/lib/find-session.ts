import type { ApiClient } from '../../lib/client/node/api-client.ts';
import type { EventStream } from '../../lib/client/node/event-stream.ts';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { LIMITS } from '../../lib/protocol/rules.ts';
import { resolveSessionId } from './ids.ts';

/**
 * A live session by id prefix, subscribed to (acting on it needs that, as for kill), or else an
 * ended one from the recent history, which anyone may change.
 */
export async function findSession(api: ApiClient, stream: EventStream, prefix: string): Promise<SessionInfo> {
  const live = await stream.sessionList();
  const wanted = prefix.trim().toLowerCase();
  if (wanted !== '' && live.some((session) => session.id.startsWith(wanted))) {
    const session = resolveSessionId(prefix, live);
    await api.subscribe(session.id);
    return session;
  }
  return resolveSessionId(prefix, await api.history({ limit: LIMITS.historyPageMax }));
}
