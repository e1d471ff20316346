import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { structuredPatch } from 'diff';
import type { DiffHunk, DiffLine, FileDiff } from '../../../protocol/index.ts';
import { isObject, type Json } from '../json.ts';

const CONTEXT_LINES = 3;
/** Files above this are not read for context: the diff falls back to the fragment. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Lines kept in one diff; a phone cannot show more usefully, and events stay small. */
const MAX_DIFF_LINES = 2000;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** jsdiff's and Claude Code's hunk shape (`structuredPatch`): lines prefixed with ' ', '-', '+' or '\'. */
export interface PatchHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/**
 * The change an edit tool asks to make, against the file as it is now: context and line numbers
 * when the file can be read and the edit applies to it, else the old text against the new.
 * Null when the input is not an edit this knows.
 */
export async function diffForEdit(toolName: string, input: Json, cwd: string): Promise<FileDiff | null> {
  const rawPath = text(input.file_path) ?? text(input.notebook_path);
  if (rawPath === null) return null;
  const path = isAbsolute(rawPath) ? rawPath : resolve(cwd, rawPath);
  const file = await readSmallFile(path);
  const current = file.state === 'read' ? file.text : undefined;
  switch (toolName) {
    case 'Write': {
      const content = text(input.content);
      if (content === null) return null;
      if (file.state === 'missing') return wholeFile(rawPath, content);
      return current === undefined ? fragment(rawPath, '', content) : fileDiff(rawPath, 'modified', current, content);
    }
    case 'Edit':
      return editDiff(rawPath, file, [input]);
    case 'MultiEdit':
      return Array.isArray(input.edits) ? editDiff(rawPath, file, input.edits.filter(isObject)) : null;
    case 'NotebookEdit':
      return notebookDiff(rawPath, current, input);
    default:
      return null;
  }
}

/** Claude Code's own patch of an edit it made (its `structuredPatch`), in the protocol's shape. */
export function diffFromPatch(filePath: string, hunks: readonly PatchHunk[], created: boolean): FileDiff {
  return fromHunks(filePath, created ? 'created' : 'modified', hunks);
}

export function isPatchHunks(value: unknown): value is PatchHunk[] {
  return (
    Array.isArray(value) &&
    value.every(
      (hunk) =>
        isObject(hunk) &&
        typeof hunk.oldStart === 'number' &&
        typeof hunk.newStart === 'number' &&
        Array.isArray(hunk.lines) &&
        hunk.lines.every((line) => typeof line === 'string'),
    )
  );
}

function editDiff(path: string, file: CurrentFile, edits: Json[]): FileDiff | null {
  const current = file.state === 'read' ? file.text : undefined;
  const pairs = edits.map((edit) => ({ from: text(edit.old_string), to: text(edit.new_string), all: edit.replace_all === true }));
  if (pairs.length === 0 || pairs.some((pair) => pair.from === null || pair.to === null)) return null;
  if (current !== undefined) {
    let next = current;
    let applies = true;
    for (const { from, to, all } of pairs) {
      // An empty old_string creates the file; against an existing one it cannot apply.
      if (!from || !next.includes(from!)) {
        applies = false;
        break;
      }
      next = all ? next.split(from).join(to!) : next.replace(from, () => to!);
    }
    if (applies) return fileDiff(path, 'modified', current, next);
  } else if (file.state === 'missing' && pairs.length === 1 && pairs[0]!.from === '') {
    return wholeFile(path, pairs[0]!.to!);
  }
  return fragment(path, pairs.map((pair) => pair.from!).join('\n'), pairs.map((pair) => pair.to!).join('\n'));
}

function notebookDiff(path: string, current: string | undefined, input: Json): FileDiff | null {
  const source = text(input.new_source);
  if (source === null) return null;
  const mode = text(input.edit_mode) ?? 'replace';
  const cellId = text(input.cell_id);
  const before = mode !== 'insert' && current !== undefined && cellId !== null ? (cellSource(current, cellId) ?? '') : '';
  return fragment(path, before, mode === 'delete' ? '' : source);
}

function cellSource(notebook: string, cellId: string): string | null {
  try {
    const parsed = JSON.parse(notebook) as { cells?: { id?: string; source?: string | string[] }[] };
    const cells = parsed.cells ?? [];
    // Claude names cells by id, or by `cell-N` when the notebook has no ids.
    const byIndex = /^cell-(\d+)$/.exec(cellId);
    const cell = cells.find((candidate) => candidate.id === cellId) ?? (byIndex ? cells[Number(byIndex[1])] : undefined);
    if (!cell) return null;
    return Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '');
  } catch {
    return null;
  }
}

/** A new file: every line added. */
export function wholeFile(path: string, content: string): FileDiff {
  return fileDiff(path, 'created', '', content);
}

function fileDiff(path: string, status: 'modified' | 'created', before: string, after: string): FileDiff {
  const patch = structuredPatch(path, path, before, after, undefined, undefined, { context: CONTEXT_LINES });
  return fromHunks(path, status, patch.hunks);
}

/** Old text against new without the file around it: no line numbers, since they would be wrong. */
function fragment(path: string, before: string, after: string): FileDiff {
  const patch = structuredPatch(path, path, before, after, undefined, undefined, { context: Number.MAX_SAFE_INTEGER });
  const diff = fromHunks(path, 'fragment', patch.hunks);
  return {
    ...diff,
    hunks: diff.hunks.map((hunk) => ({ ...hunk, lines: hunk.lines.map((line) => ({ ...line, old_line: null, new_line: null })) })),
  };
}

function fromHunks(path: string, status: FileDiff['status'], hunks: readonly PatchHunk[]): FileDiff {
  const result: DiffHunk[] = [];
  let kept = 0;
  let truncated = false;
  let added = 0;
  let removed = 0;
  for (const hunk of hunks) {
    const lines: DiffLine[] = [];
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    for (const raw of hunk.lines) {
      const marker = raw[0];
      const body = raw.slice(1);
      if (marker === '\\') continue; // "\ No newline at end of file"
      if (marker === '+') added++;
      if (marker === '-') removed++;
      if (kept >= MAX_DIFF_LINES) {
        truncated = true;
        continue;
      }
      kept++;
      if (marker === '+') lines.push({ kind: 'added', old_line: null, new_line: newLine++, text: body });
      else if (marker === '-') lines.push({ kind: 'removed', old_line: oldLine++, new_line: null, text: body });
      else lines.push({ kind: 'context', old_line: oldLine++, new_line: newLine++, text: body });
    }
    if (lines.length > 0) {
      result.push({ old_start: hunk.oldStart, old_lines: hunk.oldLines, new_start: hunk.newStart, new_lines: hunk.newLines, lines });
    }
  }
  return { file_path: path, status, hunks: result, added, removed, truncated };
}

type CurrentFile = { state: 'read'; text: string } | { state: 'missing' } | { state: 'unreadable' };

async function readSmallFile(path: string): Promise<CurrentFile> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > MAX_FILE_BYTES) return { state: 'unreadable' };
    return { state: 'read', text: await readFile(path, 'utf8') };
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { state: 'missing' } : { state: 'unreadable' };
  }
}
