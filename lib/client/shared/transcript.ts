import type {
  Attachment,
  DecisionKind,
  FileDiff,
  InputSource,
  PermissionBehavior,
  PlanApprovalMode,
  TranscriptEntry,
  TranscriptEvent,
  TurnChangedFile,
  Usage,
} from '../../protocol/index.ts';

/** How a permission request was settled: by whom, from where, and what was chosen. */
export interface PermissionOutcome {
  behavior: PermissionBehavior;
  /** `claude` when Claude withdrew the request itself. */
  clientId: string;
  source: InputSource | null;
  device: string | null;
  message: string | null;
  answers: Readonly<Record<string, string>> | null;
  appliedSuggestions: readonly string[];
  mode: PlanApprovalMode | null;
}

/** A permission request shown on the tool call it is about, so the transcript names each request once. */
export interface ToolApproval {
  requestId: string;
  /** What the request asks of the user: an approval, an answer, a plan review. */
  waitingFor: DecisionKind;
  resolved: PermissionOutcome | null;
}

/** One row of a rendered transcript. Rows are immutable: a change makes a new object, so a view can memoise by identity. */
export type TranscriptItem =
  | {
      kind: 'user';
      key: string;
      seq: number;
      at: number;
      content: string;
      source: InputSource;
      clientId: string;
      queued: boolean;
      /** What rewind takes; null on transcripts from before it was recorded. */
      messageId: string | null;
      attachments: readonly Attachment[];
    }
  | { kind: 'text'; key: string; seq: number; at: number; messageId: string; text: string; streaming: boolean }
  | { kind: 'thinking'; key: string; seq: number; at: number; text: string }
  | {
      kind: 'tool';
      key: string;
      seq: number;
      at: number;
      toolUseId: string;
      name: string;
      input: unknown;
      result: { content: unknown; isError: boolean; diff: FileDiff | null } | null;
      nested: boolean;
      approval: ToolApproval | null;
    }
  | {
      kind: 'permission';
      key: string;
      seq: number;
      at: number;
      requestId: string;
      toolName: string;
      input: Record<string, unknown>;
      title: string | null;
      waitingFor: DecisionKind;
      resolved: PermissionOutcome | null;
    }
  | {
      kind: 'turn';
      key: string;
      seq: number;
      at: number;
      isError: boolean;
      durationMs: number;
      costUsd: number;
      usage: Usage;
      result: string | null;
      /** The seq of the user_input that started the turn (what turnChanges takes); null when not loaded. */
      startSeq: number | null;
      /** What the turn changed; null when the server did not say. */
      changedFiles: readonly TurnChangedFile[] | null;
    }
  | { kind: 'error'; key: string; seq: number; at: number; message: string }
  | { kind: 'system'; key: string; seq: number; at: number; subtype: string; text: string };

export interface TranscriptState {
  /** Lowest seq loaded; older pages exist while it is above 1. */
  readonly firstSeq: number;
  /** Highest seq applied; everything from firstSeq to here is loaded, without holes. */
  readonly lastSeq: number;
  readonly items: readonly TranscriptItem[];
  /** Entries that arrived ahead of a hole; applied as soon as the hole is filled. */
  readonly ahead: readonly TranscriptEntry[];
  /** Internal bookkeeping, shared between successive states (only the newest state is ever used). */
  readonly book: Book;
}

interface Book {
  entries: TranscriptEntry[];
  /** Where a message, tool call or permission request lives in `items`. */
  where: Map<string, number>;
  /** Indexes of queued inputs not yet taken up by a turn. */
  queued: number[];
  /** The seq of the user_input whose turn runs (or ran last), for the turn_complete that ends it. */
  turnStart: number | null;
}

/** A transcript with nothing loaded, positioned after `after` (0: the very start). */
export function emptyTranscript(after = 0): TranscriptState {
  return {
    firstSeq: after + 1,
    lastSeq: after,
    items: [],
    ahead: [],
    book: { entries: [], where: new Map(), queued: [], turnStart: null },
  };
}

/** Builds the state from a contiguous run of entries, as one page (or several joined pages) of the snapshot gives them. */
export function transcriptFromEntries(entries: readonly TranscriptEntry[], after = 0): TranscriptState {
  const sorted = dedupeSorted(entries);
  const first = sorted[0];
  if (!first) return emptyTranscript(after);
  const book: Book = { entries: [], where: new Map(), queued: [], turnStart: null };
  const items: TranscriptItem[] = [];
  let lastSeq = first.seq - 1;
  for (const entry of sorted) {
    if (entry.seq !== lastSeq + 1) break;
    applyInPlace(items, book, entry);
    lastSeq = entry.seq;
  }
  return { firstSeq: first.seq, lastSeq, items, ahead: [], book };
}

/**
 * Applies entries that arrived live (or a page that continues the transcript). Already-applied
 * seqs are ignored, so replays and overlapping pages never double anything; entries beyond a
 * hole wait in `ahead` until the hole is filled.
 */
export function applyEntries(state: TranscriptState, incoming: readonly TranscriptEntry[]): TranscriptState {
  const fresh = incoming.filter((entry) => entry.seq > state.lastSeq);
  if (fresh.length === 0) return state;
  const pending = dedupeSorted([...state.ahead, ...fresh]);
  const items = state.items.slice();
  let lastSeq = state.lastSeq;
  let consumed = 0;
  for (const entry of pending) {
    if (entry.seq <= lastSeq) {
      consumed++;
      continue;
    }
    if (entry.seq !== lastSeq + 1) break;
    applyInPlace(items, state.book, entry);
    lastSeq = entry.seq;
    consumed++;
  }
  if (lastSeq === state.lastSeq) return { ...state, ahead: pending };
  return { ...state, lastSeq, items, ahead: pending.slice(consumed) };
}

/** Adds an older page in front. Rebuilds the rows, since a streamed message may straddle the page boundary. */
export function prependEntries(state: TranscriptState, older: readonly TranscriptEntry[]): TranscriptState {
  const before = older.filter((entry) => entry.seq < state.firstSeq);
  if (before.length === 0) return state;
  const rebuilt = transcriptFromEntries([...before, ...state.book.entries]);
  if (rebuilt.lastSeq !== state.lastSeq) return state;
  return state.ahead.length > 0 ? { ...rebuilt, ahead: state.ahead } : rebuilt;
}

/** True when live entries wait behind a hole: the caller should fetch from lastSeq. */
export function hasHole(state: TranscriptState): boolean {
  return state.ahead.length > 0;
}

function dedupeSorted(entries: readonly TranscriptEntry[]): TranscriptEntry[] {
  const bySeq = new Map<number, TranscriptEntry>();
  for (const entry of entries) bySeq.set(entry.seq, entry);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function applyInPlace(items: TranscriptItem[], book: Book, entry: TranscriptEntry): void {
  book.entries.push(entry);
  const { seq, at } = entry;
  const event: TranscriptEvent = entry.event;
  const replace = (index: number, item: TranscriptItem) => {
    items[index] = item;
  };
  const add = (item: TranscriptItem, whereKey?: string) => {
    if (whereKey) book.where.set(whereKey, items.length);
    items.push(item);
  };
  const find = (whereKey: string) => {
    const index = book.where.get(whereKey);
    return index === undefined ? undefined : { index, item: items[index]! };
  };
  switch (event.type) {
    case 'user_input': {
      const queued = event.queued === true;
      if (queued) book.queued.push(items.length);
      else book.turnStart = seq;
      add({
        kind: 'user',
        key: `u${seq}`,
        seq,
        at,
        content: event.content,
        source: event.source,
        clientId: event.client_id,
        queued,
        messageId: event.message_id ?? null,
        attachments: event.attachments ?? [],
      });
      return;
    }
    case 'text_delta':
    case 'text': {
      const whereKey = `m:${event.message_id}`;
      const found = find(whereKey);
      if (found?.item.kind === 'text' && found.item.streaming) {
        const text = event.type === 'text' ? event.text : found.item.text + event.text;
        replace(found.index, { ...found.item, text, streaming: event.type === 'text_delta' });
        return;
      }
      add(
        { kind: 'text', key: `t${seq}`, seq, at, messageId: event.message_id, text: event.text, streaming: event.type === 'text_delta' },
        whereKey,
      );
      return;
    }
    case 'thinking':
      add({ kind: 'thinking', key: `k${seq}`, seq, at, text: event.text });
      return;
    case 'tool_use':
    case 'tool_result': {
      const result = event.type === 'tool_result' ? { content: event.content, isError: event.is_error, diff: event.diff ?? null } : null;
      const found = result ? find(`tool:${event.tool_use_id}`) : undefined;
      if (result && found?.item.kind === 'tool') {
        replace(found.index, { ...found.item, result });
        return;
      }
      add(
        {
          kind: 'tool',
          key: `x${seq}`,
          seq,
          at,
          toolUseId: event.tool_use_id,
          name: event.type === 'tool_use' ? event.name : 'tool',
          input: event.type === 'tool_use' ? event.input : undefined,
          result,
          nested: Boolean(event.parent_tool_use_id),
          approval: null,
        },
        event.type === 'tool_use' ? `tool:${event.tool_use_id}` : undefined,
      );
      return;
    }
    case 'permission_request': {
      const tool = event.tool_use_id === undefined ? undefined : find(`tool:${event.tool_use_id}`);
      if (tool?.item.kind === 'tool') {
        replace(tool.index, { ...tool.item, approval: { requestId: event.request_id, waitingFor: event.kind ?? 'tool', resolved: null } });
        book.where.set(`perm:${event.request_id}`, tool.index);
        return;
      }
      add(
        {
          kind: 'permission',
          key: `p${seq}`,
          seq,
          at,
          requestId: event.request_id,
          toolName: event.tool_name,
          input: event.input,
          title: event.title ?? null,
          waitingFor: event.kind ?? 'tool',
          resolved: null,
        },
        `perm:${event.request_id}`,
      );
      return;
    }
    case 'permission_resolved': {
      const found = find(`perm:${event.request_id}`);
      const resolved: PermissionOutcome = {
        behavior: event.behavior,
        clientId: event.client_id,
        source: event.source ?? null,
        device: event.device ?? null,
        message: event.message ?? null,
        answers: event.answers ?? null,
        appliedSuggestions: event.applied_suggestions ?? [],
        mode: event.mode ?? null,
      };
      if (found?.item.kind === 'permission') replace(found.index, { ...found.item, resolved });
      if (found?.item.kind === 'tool' && found.item.approval)
        replace(found.index, { ...found.item, approval: { ...found.item.approval, resolved } });
      return;
    }
    case 'turn_complete': {
      const startSeq = book.turnStart;
      // Inputs queued during the turn are taken up by the next one, which the first of them starts.
      const nextStart = items[book.queued[0] ?? -1];
      book.turnStart = nextStart?.kind === 'user' ? nextStart.seq : null;
      for (const queuedIndex of book.queued) {
        const queuedItem = items[queuedIndex];
        if (queuedItem?.kind === 'user') replace(queuedIndex, { ...queuedItem, queued: false });
      }
      book.queued = [];
      add({
        kind: 'turn',
        key: `c${seq}`,
        seq,
        at,
        isError: event.is_error,
        durationMs: event.duration_ms,
        costUsd: event.cost_usd,
        usage: event.usage,
        result: event.result ?? null,
        startSeq,
        changedFiles: event.changed_files ?? null,
      });
      return;
    }
    case 'error':
      add({ kind: 'error', key: `e${seq}`, seq, at, message: event.message });
      return;
    case 'system':
      add({ kind: 'system', key: `s${seq}`, seq, at, subtype: event.subtype, text: event.text ?? event.subtype.replace(/[_-]+/g, ' ') });
      return;
  }
}

/**
 * Rows that would say the same thing twice: Claude's own "Not logged in" reply and the failed
 * turn's result both repeat the failure that follows them. The failure is shown once, with its
 * explanation; the start-up note (model, folder, ids) is for debugging, and the header says the rest.
 */
export function repeatedRows(items: readonly TranscriptItem[]): { hidden: ReadonlySet<string>; quietTurns: ReadonlySet<string> } {
  const hidden = new Set<string>();
  const quietTurns = new Set<string>();
  items.forEach((item, index) => {
    if (item.kind === 'system' && item.subtype === 'init') hidden.add(item.key);
    if (item.kind !== 'error') return;
    for (const before of items.slice(Math.max(0, index - 4), index)) {
      if (before.kind === 'text' && !before.streaming && before.text.trim() && item.message.includes(before.text.trim()))
        hidden.add(before.key);
      if (before.kind === 'turn' && before.isError && before.result && item.message.includes(before.result.trim()))
        quietTurns.add(before.key);
    }
  });
  return { hidden, quietTurns };
}
