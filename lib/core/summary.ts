import { basename } from 'node:path';
import { clip, firstLine } from '../protocol/text.ts';

// What a session card shows at a glance, derived from what the session already knows.

const TITLE_MAX = 80;
const PREVIEW_MAX = 140;
const TAIL_CHARS = 8000;

/** The first non-empty line of a prompt, whitespace collapsed; null when there is none. */
export function titleFromPrompt(prompt: string): string | null {
  return clip(firstLine(prompt).replace(/\s+/g, ' '), TITLE_MAX) || null;
}

/** The last line of prose in a reply, Markdown marks removed: usually its conclusion or its question. */
export function previewFromReply(reply: string): string | null {
  let fence: string | null = null;
  let last: string | null = null;
  // The last line is near the end: a long reply (megabytes, at times) is read from its tail only.
  const tail = reply.length > TAIL_CHARS ? reply.slice(reply.indexOf('\n', reply.length - TAIL_CHARS) + 1) : reply;
  for (const raw of tail.split('\n')) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(raw)?.[1];
    if (marker && (fence === null || raw.trim().startsWith(fence))) {
      fence = fence === null ? marker : null;
      continue;
    }
    if (fence !== null) continue;
    const line = raw
      .replace(/^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)/, '')
      .replace(/\*\*|__|`/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    // A table's separator row says nothing.
    if (line !== '' && !/^\|?[\s:|-]+\|?$/.test(line)) last = line;
  }
  return last === null ? null : clip(last, PREVIEW_MAX);
}

/** The working directory's last folder ("/" for the root). */
export function projectOf(cwd: string): string {
  return basename(cwd) || cwd;
}

/** Name, else prompt title, else the id's start: what a list or a header calls the session. */
export function sessionTitle(name: string | null, promptTitle: string | null, id: string): string {
  return name ?? promptTitle ?? untitled(id);
}

/** The title of a session with neither a name nor a prompt yet. */
export function untitled(id: string): string {
  return `Session ${id.slice(0, 8)}`;
}

/** Sums of dollar figures, without binary fractions' dust (0.1 + 0.2). */
export function roundUsd(usd: number): number {
  const nanos = Math.round(usd * 1e9);
  return Number.isFinite(nanos) ? nanos / 1e9 : usd;
}
