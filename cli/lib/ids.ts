import type { SessionInfo } from '../../lib/protocol/index.ts';
import { UserError } from './user-error.ts';

export const SHORT_ID_LENGTH = 8;

export const shortId = (id: string) => id.slice(0, SHORT_ID_LENGTH);

/** A full id or any unique prefix of one. */
export function resolveSessionId(prefix: string, sessions: readonly SessionInfo[]): SessionInfo {
  const wanted = prefix.trim().toLowerCase();
  const exact = sessions.find((session) => session.id.toLowerCase() === wanted);
  if (exact) return exact;
  const matches = wanted === '' ? [] : sessions.filter((session) => session.id.toLowerCase().startsWith(wanted));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) {
    throw new UserError(`No session matches "${prefix}". Run \`vibes sessions list\` to see the active sessions.`, 'NOT_FOUND');
  }
  const listed = matches.map((session) => `  ${session.id}${session.name ? `  ${session.name}` : ''}`).join('\n');
  throw new UserError(`"${prefix}" is ambiguous: it matches ${matches.length} sessions. Give more of the id:\n${listed}`, 'AMBIGUOUS');
}
