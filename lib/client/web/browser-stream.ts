import { ENDPOINTS, EVENT_STREAM_PATH } from '../../protocol/endpoints.ts';
import type { RouteQuery } from '../../protocol/routes.ts';
import { withQuery } from '../../protocol/route-path.ts';
import type { ServerEvent, ServerEventType } from '../../protocol/index.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'unauthorized';

/** The parts of the DOM EventSource this uses; a test passes a fake. */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
  onerror: ((event: Event) => void) | null;
}

export interface BrowserStreamOptions {
  createEventSource?: (url: string) => EventSourceLike;
  /** Answers whether the server still accepts us; false means signed out (401). */
  probeAuth?: () => Promise<boolean>;
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

// Listed by hand so the browser bundle need not carry the zod schemas just for the names.
const EVENT_TYPES = [
  'hello',
  'session_list',
  'session_updated',
  'session_removed',
  'ownership_transferred',
  'session_event',
  'resync',
] as const satisfies readonly ServerEventType[];

const CLIENT_ID_KEY = 'vibes.client_id';
/** Failures in a row after which the indicator says offline rather than reconnecting. */
const OFFLINE_AFTER = 3;

/**
 * The one event-stream connection of a browser tab. Reconnects by itself with the last event
 * id and the same client id (kept per tab in sessionStorage, so a reload keeps ownership).
 */
export class BrowserStream {
  status: ConnectionStatus = 'connecting';
  clientId: string | null;
  lastEventId: string | null = null;
  readonly #options: Required<Omit<BrowserStreamOptions, 'storage'>> & { storage: BrowserStreamOptions['storage'] };
  readonly #events = new Set<(event: ServerEvent) => void>();
  readonly #statuses = new Set<(status: ConnectionStatus) => void>();
  #source: EventSourceLike | null = null;
  #failures = 0;
  #timer: unknown = null;
  #stopped = true;

  constructor(options: BrowserStreamOptions = {}) {
    this.#options = {
      createEventSource: options.createEventSource ?? ((url) => new EventSource(url) as unknown as EventSourceLike),
      probeAuth: options.probeAuth ?? defaultProbe,
      storage: options.storage,
      setTimer: options.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
      clearTimer: options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)),
    };
    this.clientId = safeGet(this.#options.storage, CLIENT_ID_KEY);
  }

  onEvent(listener: (event: ServerEvent) => void): () => void {
    this.#events.add(listener);
    return () => this.#events.delete(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.#statuses.add(listener);
    return () => this.#statuses.delete(listener);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
    this.#source?.close();
    this.#source = null;
  }

  /** Skips the back-off wait, e.g. when the page becomes visible again. */
  retryNow(): void {
    if (this.#stopped || this.status === 'live' || this.status === 'unauthorized') return;
    this.#clearTimer();
    this.#connect();
  }

  #connect(): void {
    this.#source?.close();
    const query: RouteQuery<'events'> = { client_id: this.clientId ?? undefined, last_event_id: this.lastEventId ?? undefined };
    const source = this.#options.createEventSource(withQuery(EVENT_STREAM_PATH, query));
    this.#source = source;
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (message) => {
        if (this.#source !== source) return;
        this.#receive(message);
      });
    }
    source.onerror = () => {
      if (this.#source === source) this.#failed();
    };
  }

  #receive(message: MessageEvent<string>): void {
    let event: ServerEvent;
    try {
      event = JSON.parse(message.data) as ServerEvent;
    } catch {
      return;
    }
    if (message.lastEventId) this.lastEventId = message.lastEventId;
    if (event.type === 'hello') {
      this.clientId = event.client_id;
      safeSet(this.#options.storage, CLIENT_ID_KEY, event.client_id);
      this.#failures = 0;
      this.#setStatus('live');
    }
    for (const listener of this.#events) listener(event);
  }

  #failed(): void {
    // The browser would retry on its own, but without our client id when the first URL had
    // none; reconnecting by hand keeps both ids and lets the indicator tell the truth.
    this.#source?.close();
    this.#source = null;
    this.#failures++;
    this.#setStatus(this.#failures >= OFFLINE_AFTER ? 'offline' : 'reconnecting');
    const delay = Math.min(500 * 2 ** (this.#failures - 1), 8000);
    void this.#options.probeAuth().then((signedIn) => {
      if (this.#stopped) return;
      if (!signedIn) {
        this.#setStatus('unauthorized');
        return;
      }
      this.#clearTimer();
      this.#timer = this.#options.setTimer(() => {
        this.#timer = null;
        if (!this.#stopped) this.#connect();
      }, delay);
    });
  }

  #setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.#statuses) listener(status);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#options.clearTimer(this.#timer);
    this.#timer = null;
  }
}

async function defaultProbe(): Promise<boolean> {
  try {
    const response = await fetch(ENDPOINTS.listSessions.path);
    return response.status !== 401;
  } catch {
    return true;
  }
}

function safeGet(storage: BrowserStreamOptions['storage'], key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function safeSet(storage: BrowserStreamOptions['storage'], key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Private mode or storage full: the tab just gets a new id after a reload.
  }
}
