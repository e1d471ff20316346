import { ReplayRing, type SupersedeKey } from './replay-ring.ts';

export interface BusEntry<T> {
  /** Global, strictly increasing from 1 within one epoch. */
  readonly seq: number;
  readonly event: T;
}

export type BusListener<T> = (entry: BusEntry<T>) => void;

export interface EventBusOptions<T> {
  /** How many of the newest entries are kept for replay. */
  ringSize: number;
  /** What makes an older entry worth nothing to a replay (see ReplayRing). */
  supersedeKey?: SupersedeKey<T>;
  /** Identifies this run of the server; defaults to a fresh random id. */
  epoch?: string;
  /** Where a throwing listener's error goes; the other listeners still get the entry. */
  onListenerError?: (error: unknown) => void;
}

/**
 * What the manager publishes to and the SSE hub reads from: this process's `EventBus`, or in a
 * cluster the shared stream (lib/core/cluster/stream-bus.ts).
 */
export interface Bus<T> {
  /** Identifies the sequence: an event id is `epoch:seq`; a new epoch means every cursor is void. */
  readonly epoch: string;
  readonly lastSeq: number;
  publish(event: T): void;
  subscribe(listener: BusListener<T>): () => void;
  /**
   * Every entry after `seq`, oldest first, less those a newer one superseded; undefined when that
   * can no longer be answered exactly (the entries fell out of the ring, or `seq` is from the future).
   */
  since(seq: number): BusEntry<T>[] | undefined;
}

/** In-process publish/subscribe with a global sequence number and a bounded replay ring. */
export class EventBus<T> implements Bus<T> {
  readonly epoch: string;
  readonly #ring: ReplayRing<BusEntry<T>>;
  readonly #listeners = new Set<BusListener<T>>();
  readonly #onListenerError: (error: unknown) => void;
  #lastSeq = 0;

  constructor(options: EventBusOptions<T>) {
    this.#ring = new ReplayRing(options.ringSize, options.supersedeKey);
    this.epoch = options.epoch ?? crypto.randomUUID();
    this.#onListenerError = options.onListenerError ?? ((error) => console.error('event bus listener failed:', error));
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  publish(event: T): BusEntry<T> {
    const entry: BusEntry<T> = { seq: ++this.#lastSeq, event };
    this.#ring.keep(entry);
    for (const listener of [...this.#listeners]) {
      try {
        listener(entry);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
    return entry;
  }

  subscribe(listener: BusListener<T>): () => void {
    const own = (entry: BusEntry<T>) => listener(entry);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }

  since(seq: number): BusEntry<T>[] | undefined {
    return this.#ring.since(seq, this.#lastSeq);
  }
}
