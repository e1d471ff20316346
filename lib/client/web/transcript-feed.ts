import type { WebApi } from './web-api.ts';
import { applyEntries, hasHole, prependEntries, transcriptFromEntries, type TranscriptState } from '../shared/transcript.ts';
import type { TranscriptEntry } from '../../protocol/index.ts';

/** Events per snapshot page: enough to fill a screen several times, small enough for a bad connection. */
export const PAGE_SIZE = 300;
const MAX_PAGE = 1000;
/** Live entries kept for a session whose snapshot is not loaded; the snapshot covers older ones. */
const BUFFER_CAP = 5000;

interface LoadedTranscript {
  data: TranscriptState | null;
  loading: Promise<void> | null;
  /** Identifies the newest load, so an older one that finishes late is ignored. */
  token: object | null;
  filling: boolean;
  loadingOlder: boolean;
  /** Live entries that arrived while the snapshot loaded. */
  buffer: TranscriptEntry[];
  error: unknown;
}

export const transcriptKey = (sessionId: string) => `transcript:${sessionId}`;

/**
 * Owns every loaded transcript of the tab. The snapshot comes from the paged REST endpoint, live
 * entries from the shared event stream; the merge drops seqs already applied and fetches any
 * hole, so a replay or a race between the two never doubles or loses an event. Each new state is
 * published into the SWR cache, where the views read it.
 */
export class TranscriptFeed {
  readonly #records = new Map<string, LoadedTranscript>();
  readonly #api: Pick<WebApi, 'events'>;
  readonly #publish: (sessionId: string, state: TranscriptState) => void;
  readonly #onError: (sessionId: string, error: unknown) => void;

  constructor(
    api: Pick<WebApi, 'events'>,
    publish: (sessionId: string, state: TranscriptState) => void,
    onError: (sessionId: string, error: unknown) => void,
  ) {
    this.#api = api;
    this.#publish = publish;
    this.#onError = onError;
  }

  get(sessionId: string): TranscriptState | null {
    return this.#records.get(sessionId)?.data ?? null;
  }

  /** Loads the latest page once; later calls are free. */
  ensure(sessionId: string): void {
    const record = this.#record(sessionId);
    if (!record.data && !record.loading) void this.#load(sessionId);
  }

  /** Throws away what is loaded and takes a fresh snapshot (after a resync). */
  reloadAll(): void {
    for (const [sessionId, record] of this.#records) if (record.data || record.loading) void this.#load(sessionId);
  }

  forget(sessionId: string): void {
    this.#records.delete(sessionId);
  }

  push(sessionId: string, entry: TranscriptEntry): void {
    const record = this.#records.get(sessionId);
    if (!record) return;
    if (record.loading || !record.data) {
      record.buffer.push(entry);
      if (record.buffer.length > BUFFER_CAP) record.buffer.splice(0, record.buffer.length - BUFFER_CAP);
      return;
    }
    this.#set(sessionId, record, applyEntries(record.data, [entry]));
  }

  async loadOlder(sessionId: string): Promise<void> {
    const record = this.#records.get(sessionId);
    const data = record?.data;
    if (!record || !data || record.loadingOlder || data.firstSeq <= 1) return;
    record.loadingOlder = true;
    try {
      const after = Math.max(0, data.firstSeq - 1 - PAGE_SIZE);
      const page = await this.#api.events(sessionId, { after, limit: data.firstSeq - 1 - after });
      const current = record.data;
      if (current) this.#set(sessionId, record, prependEntries(current, page.events));
    } catch (error) {
      this.#onError(sessionId, error);
    } finally {
      record.loadingOlder = false;
    }
  }

  #record(sessionId: string): LoadedTranscript {
    let record = this.#records.get(sessionId);
    if (!record) {
      record = { data: null, loading: null, token: null, filling: false, loadingOlder: false, buffer: [], error: null };
      this.#records.set(sessionId, record);
    }
    return record;
  }

  #load(sessionId: string): Promise<void> {
    const record = this.#record(sessionId);
    const token = {};
    const load = async () => {
      try {
        // One request when the transcript is short; a second for the tail when it is long.
        let page = await this.#api.events(sessionId, { after: 0, limit: PAGE_SIZE });
        let after = 0;
        if (page.last_seq > PAGE_SIZE) {
          after = page.last_seq - PAGE_SIZE;
          page = await this.#api.events(sessionId, { after, limit: PAGE_SIZE });
        }
        if (record.token !== token) return;
        const state = applyEntries(transcriptFromEntries(page.events, after), record.buffer);
        record.buffer = [];
        record.loading = null;
        record.error = null;
        this.#set(sessionId, record, state);
      } catch (error) {
        if (record.token !== token) return;
        record.loading = null;
        record.error = error;
        this.#onError(sessionId, error);
      }
    };
    record.token = token;
    record.loading = load();
    return record.loading;
  }

  #set(sessionId: string, record: LoadedTranscript, state: TranscriptState): void {
    if (state === record.data) return;
    record.data = state;
    this.#publish(sessionId, state);
    if (hasHole(state)) void this.#fill(sessionId, record);
  }

  async #fill(sessionId: string, record: LoadedTranscript): Promise<void> {
    if (record.filling) return;
    record.filling = true;
    try {
      for (let round = 0; round < 20; round++) {
        const data = record.data;
        if (!data || !hasHole(data)) return;
        const page = await this.#api.events(sessionId, { after: data.lastSeq, limit: MAX_PAGE });
        const current = record.data;
        if (!current) return;
        const next = applyEntries(current, page.events);
        if (next !== current) {
          record.data = next;
          this.#publish(sessionId, next);
        }
        if (page.events.length === 0) return;
      }
    } catch (error) {
      this.#onError(sessionId, error);
    } finally {
      record.filling = false;
    }
  }
}
