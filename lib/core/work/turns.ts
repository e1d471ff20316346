import { isAbsolute, join, relative, sep } from 'node:path';
import type { FileDiff, TranscriptEntry, TranscriptEvent, TurnChangesResponse } from '../../protocol/index.ts';
import { EDIT_TOOLS, editedPath } from '../../protocol/tool-input.ts';
import { VibesError } from '../errors.ts';

/** A path as the wire carries it: relative, '/'-separated, no `.` or `..` segment, no NUL. Else INVALID_PATH. */
export function requireWirePath(path: string): void {
  const segments = path.split('/');
  if (path.includes('\0') || path.startsWith('/') || segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new VibesError(
      'INVALID_PATH',
      `A path is relative to the session's folder, '/'-separated, without '.' or '..': ${JSON.stringify(path)}`,
    );
  }
}

/** `path` (absolute, or relative to `cwd`) relative to `cwd`; null when it is outside. */
export function pathInside(cwd: string, path: string): string | null {
  const rel = relative(cwd, isAbsolute(path) ? path : join(cwd, path));
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/** A file an edit tool of the session wrote, with the diff Claude Code reported for the write. */
export type EditWrite = { path: string; diff: FileDiff | undefined };

/**
 * Pairs edit tool calls with their results: the write a successful result completes, else null.
 * `calls` holds the calls still waiting for their result: the file each one writes, by tool call id.
 */
export function completedWrite(calls: Map<string, string>, event: TranscriptEvent): EditWrite | null {
  if (event.type === 'tool_use') {
    const path = EDIT_TOOLS.has(event.name) ? editedPath(event.input) : '';
    if (path !== '') calls.set(event.tool_use_id, path);
    return null;
  }
  if (event.type !== 'tool_result') return null;
  const path = calls.get(event.tool_use_id);
  calls.delete(event.tool_use_id);
  return path === undefined || event.is_error ? null : { path, diff: event.diff };
}

/** The files this session's edit tools wrote, in order. */
export function toolWrites(entries: Iterable<TranscriptEntry>): EditWrite[] {
  const calls = new Map<string, string>();
  return [...entries].flatMap(({ event }) => completedWrite(calls, event) ?? []);
}

/**
 * What the turn started by the user_input at `seq` changed: its edit tools' writes (with their
 * diffs) and what its turn_complete says git saw change besides. Turns run one after another; a
 * queued message's turn starts when the one before it completes.
 */
export function turnChangesOf(seq: number, entries: Iterable<TranscriptEntry>, cwd: string, inGit: boolean): TurnChangesResponse {
  let current: number | null = null;
  const waiting: number[] = [];
  const turnEntries: TranscriptEntry[] = [];
  let completion: Extract<TranscriptEvent, { type: 'turn_complete' }> | null = null;
  for (const entry of entries) {
    const { event } = entry;
    if (event.type === 'user_input') {
      if (event.queued && current !== null) waiting.push(entry.seq);
      else current = entry.seq;
    } else if (event.type === 'turn_complete') {
      if (current === seq) {
        completion = event;
        break;
      }
      current = waiting.shift() ?? null;
    } else if (current === seq) {
      turnEntries.push(entry);
    }
  }
  const files = new Map<string, { path: string; source: 'tool' | 'other'; diffs: FileDiff[] }>();
  for (const write of toolWrites(turnEntries)) {
    const path = pathInside(cwd, write.path);
    if (path === null) continue;
    const file = files.get(path) ?? { path, source: 'tool' as const, diffs: [] };
    if (write.diff) file.diffs.push({ ...write.diff, file_path: path });
    files.set(path, file);
  }
  for (const changed of completion?.changed_files ?? []) {
    if (!files.has(changed.path)) files.set(changed.path, { path: changed.path, source: changed.source, diffs: [] });
  }
  return {
    seq,
    files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    git: inGit && completion?.changed_files !== undefined,
  };
}
