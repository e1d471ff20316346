export interface PresenceOptions {
  graceMs: number;
  /** Called once when a client has been away for the whole grace period. */
  onGone: (clientId: string) => void;
  /** This process's streams changed (a cluster tells the other nodes at once). */
  onStreamsChanged?: () => void;
}

/**
 * Which clients are still around. A client is present while it holds an event stream, and for
 * the grace period after its last stream closed or its last request, so a phone that sleeps or
 * a script that polls keeps its sessions.
 */
export class Presence {
  readonly #options: PresenceOptions;
  readonly #streams = new Map<string, number>();
  /** Requests being answered, per client: nobody is gone while we are still serving them. */
  readonly #inFlight = new Map<string, number>();
  readonly #goneTimers = new Map<string, NodeJS.Timeout>();
  /** In a cluster: the clients streaming from each other node. */
  readonly #remote = new Map<string, ReadonlySet<string>>();

  constructor(options: PresenceOptions) {
    this.#options = options;
  }

  /** Streaming here, or (in a cluster) from any other node. */
  isStreaming(clientId: string): boolean {
    if ((this.#streams.get(clientId) ?? 0) > 0) return true;
    for (const clients of this.#remote.values()) if (clients.has(clientId)) return true;
    return false;
  }

  localStreams(): string[] {
    return [...this.#streams.keys()];
  }

  /**
   * What another node says it streams to now (an empty set when the node is lost): a client
   * that stopped streaming everywhere starts its grace period here too.
   */
  setRemoteStreams(node: string, clients: ReadonlySet<string>): void {
    const before = this.#remote.get(node) ?? new Set<string>();
    if (clients.size === 0) this.#remote.delete(node);
    else this.#remote.set(node, clients);
    for (const clientId of clients) if (!before.has(clientId)) this.#cancelGone(clientId);
    for (const clientId of before) if (!clients.has(clientId) && !this.isStreaming(clientId)) this.#scheduleGone(clientId);
  }

  streamOpened(clientId: string): void {
    const opened = !this.#streams.has(clientId);
    this.#streams.set(clientId, (this.#streams.get(clientId) ?? 0) + 1);
    this.#cancelGone(clientId);
    if (opened) this.#options.onStreamsChanged?.();
  }

  streamClosed(clientId: string): void {
    if (countDown(this.#streams, clientId) > 0) return;
    this.#options.onStreamsChanged?.();
    if (!this.isStreaming(clientId)) this.#scheduleGone(clientId);
  }

  /** A request from a client without an open stream restarts its grace period. */
  touched(clientId: string): void {
    if (!this.isStreaming(clientId)) this.#scheduleGone(clientId);
  }

  /**
   * Brackets a request: its grace period runs from when the answer is ready, not from when the
   * request came in (starting a Claude process can take longer than a short grace).
   */
  requestStarted(clientId: string): void {
    this.#inFlight.set(clientId, (this.#inFlight.get(clientId) ?? 0) + 1);
    this.#cancelGone(clientId);
  }

  requestEnded(clientId: string): void {
    if (countDown(this.#inFlight, clientId) === 0) this.touched(clientId);
  }

  dispose(): void {
    for (const timer of this.#goneTimers.values()) clearTimeout(timer);
    this.#goneTimers.clear();
  }

  #scheduleGone(clientId: string): void {
    this.#cancelGone(clientId);
    if (this.#inFlight.has(clientId)) return;
    const timer = setTimeout(() => {
      this.#goneTimers.delete(clientId);
      this.#options.onGone(clientId);
    }, this.#options.graceMs);
    timer.unref();
    this.#goneTimers.set(clientId, timer);
  }

  #cancelGone(clientId: string): void {
    const timer = this.#goneTimers.get(clientId);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#goneTimers.delete(clientId);
  }
}

/** Takes one from the key's count, which goes from the map at zero; what is left. */
export function countDown(counts: Map<string, number>, key: string): number {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
  return left;
}

/**
 * Which session each page shows, and whether that page is visible (it says so on every change,
 * `POST /api/notifications/watch`). A session shown on a visible page needs no notification;
 * a page counts only while its event stream is open.
 */
export class Watching {
  readonly #isStreaming: (clientId: string) => boolean;
  readonly #shown = new Map<string, string>();

  constructor(isStreaming: (clientId: string) => boolean) {
    this.#isStreaming = isStreaming;
  }

  set(clientId: string, sessionId: string | null, visible: boolean): void {
    if (sessionId !== null && visible) this.#shown.set(clientId, sessionId);
    else this.#shown.delete(clientId);
  }

  isWatched(sessionId: string): boolean {
    let watched = false;
    for (const [clientId, shown] of this.#shown) {
      if (!this.#isStreaming(clientId)) this.#shown.delete(clientId);
      else if (shown === sessionId) watched = true;
    }
    return watched;
  }
}
