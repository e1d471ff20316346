// Zod-free, like endpoints.ts: the dashboard filters its live list with the same rule the server applies.
import type { SessionInfo, SessionState } from './session.ts';

/** What the session list and the history are narrowed to (`q`, `project`, `status` of the list's query). */
export interface SessionFilter {
  /** Lower-cased; each must appear in the name, the title or the working directory. */
  words: readonly string[];
  /** With a `/`: the working directory exactly; without: its last folder, in any case. */
  project: string | null;
  status: SessionState | null;
}

/** Words past this many are ignored: a query is a few words, not a paragraph. */
const MAX_WORDS = 8;

/** The filter a list query asks for; null when it asks for none. */
export function sessionFilter(query: {
  q?: string | undefined;
  project?: string | undefined;
  status?: SessionState | undefined;
}): SessionFilter | null {
  const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  const project = query.project?.trim() || null;
  const status = query.status ?? null;
  return words.length === 0 && project === null && status === null ? null : { words, project, status };
}

export function matchesFilter(session: Pick<SessionInfo, 'name' | 'title' | 'cwd' | 'state'>, filter: SessionFilter | null): boolean {
  if (filter === null) return true;
  if (filter.status !== null && session.state !== filter.status) return false;
  if (filter.project !== null && !inProject(session.cwd, filter.project)) return false;
  const text = [session.name ?? '', session.title, session.cwd].map((part) => part.toLowerCase());
  return filter.words.every((word) => text.some((part) => part.includes(word)));
}

function inProject(cwd: string, project: string): boolean {
  if (project.includes('/')) return cwd === project;
  const folder = cwd.toLowerCase();
  const name = project.toLowerCase();
  return folder === name || folder.endsWith(`/${name}`);
}
