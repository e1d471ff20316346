import type { ApiClient } from '../../lib/client/node/api-client.ts';
import type { EventStream } from '../../lib/client/node/event-stream.ts';
import type { SessionInfo } from '../../lib/protocol/index.ts';
import { LIMITS } from '../../lib/protocol/rules.ts';
import { END_SHORT } from '../../lib/client/shared/labels.ts';
import { resolveSessionId, shortId } from './ids.ts';
import { UserError } from './user-error.ts';

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

/**
 * A session for `attach` (live) or `resume` (ended). One found on the other side is pointed to the
 * command that fits it, which is what the user wants then.
 */
export async function findToDrive(api: ApiClient, stream: EventStream, prefix: string, wanted: 'live' | 'ended'): Promise<SessionInfo> {
  const live = () => stream.sessionList();
  const ended = () => api.history({ limit: LIMITS.historyPageMax });
  try {
    return resolveSessionId(prefix, await (wanted === 'live' ? live() : ended()));
  } catch (error) {
    if (!(error instanceof UserError) || error.code !== 'NOT_FOUND') throw error;
    let other: SessionInfo;
    try {
      other = resolveSessionId(prefix, await (wanted === 'live' ? ended() : live()));
    } catch (otherError) {
      // Several on the other side: which ones says more than "none here".
      if (otherError instanceof UserError && otherError.code === 'AMBIGUOUS') {
        throw new UserError(
          `No ${wanted === 'live' ? 'running' : 'ended'} session matches "${prefix}"; ${otherError.message}`,
          'AMBIGUOUS',
        );
      }
      throw error;
    }
    const id = shortId(other.id);
    throw new UserError(
      wanted === 'ended'
        ? `Session ${other.id} is running: attach to it with \`vibes sessions attach ${id}\`.`
        : `Session ${id} has ended${other.end_reason ? ` (${END_SHORT[other.end_reason]})` : ''}. Continue it with \`vibes sessions resume ${id}\`.`,
      'INVALID_STATE',
    );
  }
}
