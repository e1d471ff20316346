import { EventSource, type FetchLike } from 'eventsource';
import { EVENT_STREAM_PATH } from '../../protocol/endpoints.ts';
import type { RouteQuery } from '../../protocol/routes.ts';
import { withQuery } from '../../protocol/route-path.ts';
import { SERVER_EVENT_TYPES, ServerEvent, type SessionInfo } from '../../protocol/index.ts';
import { apiErrorOf } from '../shared/api-calls.ts';

export interface EventStreamOptions {
  baseUrl: string;
  token?: string;
  /** An id to ask for; without one the server picks. Either way it is kept across reconnects. */
  clientId?: string;
}

export type EventStreamStatus = 'open' | 'reconnecting' | 'closed';

type Listener = (event: ServerEvent) => void;
type StatusListener = (status: EventStreamStatus, error?: Error) => void;

/**
 * `GET /api/events` for Node clients: every frame checked against the protocol, the client id
 * from `hello` kept across reconnects (eventsource replays with Last-Event-ID on its own).
 */
export class EventStream {
  readonly baseUrl: string;
  #clientId: string | undefined;
  readonly #token: string | undefined;
  readonly #listeners = new Set<Listener>();
  readonly #statusListeners = new Set<StatusListener>();
  #source: EventSource | null = null;
  #lastFailure: Error | null = null;
  /** Connects in a row that failed: each reconnect waits longer (see backoff). */
  #failedConnects = 0;
  #sessionList: SessionInfo[] | null = null;
  #closed = false;

  private constructor(options: EventStreamOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.#clientId = options.clientId;
    this.#token = options.token;
  }

  /** Connects and resolves once `hello` has arrived; rejects with an ApiError when the server refuses. */
  static open(options: EventStreamOptions): Promise<EventStream> {
    const stream = new EventStream(options);
    return stream.#start().then(() => stream);
  }

  get clientId(): string {
    if (!this.#clientId) throw new Error('the event stream has not said hello yet');
    return this.#clientId;
  }

  /** The session list the server sent with the latest hello (it follows hello at once). */
  async sessionList(timeoutMs = 10_000): Promise<SessionInfo[]> {
    if (this.#sessionList) return this.#sessionList;
    const event = await this.waitFor((candidate) => candidate.type === 'session_list', timeoutMs, 'the session list');
    return event.type === 'session_list' ? event.sessions : [];
  }

  /** Every event from now on; returns the function that stops listening. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onStatus(listener: StatusListener): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** The next event that matches, or a rejection after `timeoutMs`. */
  waitFor(match: (event: ServerEvent) => boolean, timeoutMs: number, what: string): Promise<ServerEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const stopEvents = this.on((event) => {
        if (!match(event)) return;
        stop();
        resolve(event);
      });
      const stopStatus = this.onStatus((status, error) => {
        if (status !== 'closed') return;
        stop();
        reject(error ?? new Error(`The event stream closed while waiting for ${what}`));
      });
      const stop = () => {
        clearTimeout(timer);
        stopEvents();
        stopStatus();
      };
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#source?.close();
    this.#source = null;
    this.#emitStatus('closed');
  }

  #start(): Promise<void> {
    return new Promise((resolve, reject) => {
      let greeted = false;
      const timer = setTimeout(() => {
        this.close();
        reject(new Error(`No hello from ${this.baseUrl}${EVENT_STREAM_PATH} within ${HELLO_TIMEOUT_MS} ms`));
      }, HELLO_TIMEOUT_MS);

      const source = new EventSource(`${this.baseUrl}${EVENT_STREAM_PATH}`, { fetch: this.#fetchWithAuth });
      this.#source = source;
      const receive = (message: MessageEvent) => {
        const event = parseFrame(message.data);
        if (!event) return;
        if (event.type === 'session_list') this.#sessionList = event.sessions;
        if (event.type === 'hello') {
          this.#clientId = event.client_id;
          if (!greeted) {
            greeted = true;
            clearTimeout(timer);
            resolve();
          } else {
            this.#emitStatus('open');
          }
        }
        for (const listener of [...this.#listeners]) listener(event);
      };
      for (const type of SERVER_EVENT_TYPES) source.addEventListener(type, receive);
      source.addEventListener('message', receive);
      source.addEventListener('error', (event) => {
        if (this.#closed) return;
        if (source.readyState === EventSource.CONNECTING) {
          this.#emitStatus('reconnecting');
          return;
        }
        const error = this.#lastFailure ?? new Error(event.message ?? `The event stream from ${this.baseUrl} failed`);
        this.#closed = true;
        source.close();
        clearTimeout(timer);
        this.#emitStatus('closed', error);
        if (!greeted) reject(error);
      });
    });
  }

  /** Adds the token, and the known client id so a reconnect keeps it; remembers why a connect was refused. */
  readonly #fetchWithAuth: FetchLike = async (input, init) => {
    // EventSource retries every second; while the server stays away, wait longer each time.
    // The package types the signal `any` for polyfills; in Node it is its own AbortController's.
    if (this.#failedConnects > 0) await backoff(this.#failedConnects, init.signal as AbortSignal | undefined);
    const query: RouteQuery<'events'> = { client_id: this.#clientId };
    const url = withQuery(String(input), query);
    const headers: Record<string, string> = { ...init.headers };
    if (this.#token) headers.Authorization = `Bearer ${this.#token}`;
    try {
      const response = await fetch(url, { ...init, headers } as RequestInit);
      if (!response.ok) {
        const body: unknown = await response
          .clone()
          .json()
          .catch(() => null);
        this.#lastFailure = apiErrorOf(response.status, body, `GET ${EVENT_STREAM_PATH}`);
      }
      this.#failedConnects = response.ok ? 0 : this.#failedConnects + 1;
      return response as Awaited<ReturnType<FetchLike>>;
    } catch (error) {
      this.#failedConnects++;
      this.#lastFailure = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  };

  #emitStatus(status: EventStreamStatus, error?: Error): void {
    for (const listener of [...this.#statusListeners]) listener(status, error);
  }
}

/** The longest wait between two reconnects while the server does not answer. */
export const RECONNECT_MAX_DELAY_MS = 15_000;
/** EventSource's own wait before each reconnect (the server's `retry:`). */
const RETRY_MS = 1_000;
/** How long `open` waits for the first `hello` before giving up. */
const HELLO_TIMEOUT_MS = 10_000;

/** 0, 1, 3, 7, 14 s on top of EventSource's second: 1, 2, 4, 8, 15 s between attempts. */
function backoff(failures: number, signal: AbortSignal | null | undefined): Promise<void> {
  const delay = Math.min(RETRY_MS * 2 ** (failures - 1), RECONNECT_MAX_DELAY_MS) - RETRY_MS;
  if (delay <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, delay);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function parseFrame(data: unknown): ServerEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed = ServerEvent.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
