import { Redis } from 'ioredis';
import type { Bus, BusEntry, BusListener } from '../bus.ts';
import { ReplayRing, type SupersedeKey } from '../replay-ring.ts';

/** What a stream entry carries beside the event: the node that published it, and its annotation. */
export interface StreamEntry<T> extends BusEntry<T> {
  readonly node: string;
  readonly note: unknown;
}

export interface StreamBusOptions<T> {
  url: string;
  /** This node's name, written on every entry it publishes. */
  node: string;
  /** How many of the newest entries each node keeps for replay (and reads back at start). */
  ringSize: number;
  /** What makes an older entry worth nothing to a replay (see ReplayRing). */
  supersedeKey?: SupersedeKey<T>;
  /** Entries the stream keeps in Redis (approximately); a reader further behind resyncs. */
  streamLength?: number;
  /** Prefix of the Redis keys; one cluster per prefix. */
  prefix?: string;
  /** Extra data carried with an event (the session's subscribers, for the other nodes' hubs). */
  annotate?: (event: T) => unknown;
  /** The sequence restarted (Redis lost its data) or has a gap: every cursor is void, clients must resync. */
  onReset?: (reason: 'epoch_changed' | 'replay_window_exceeded') => void;
  onError?: (error: unknown) => void;
}

// One atomic step: the next number in the epoch, and the entry under the id `0-<number>`, so a
// stream id is an SSE cursor and the order is the same on every node. A Redis that lost its
// data starts a new epoch.
const APPEND = `
local epoch = redis.call('GET', KEYS[3])
if not epoch then
  redis.call('SET', KEYS[3], ARGV[3])
  redis.call('DEL', KEYS[1], KEYS[2])
  epoch = ARGV[3]
end
local seq = redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '0-' .. seq, 'd', ARGV[1], 'ep', epoch)
return seq`;

const READ_BLOCK_MS = 1000;
const READ_COUNT = 1000;
const RETRY_MS = 250;

/**
 * The cluster's event bus on a Redis Stream: a node commits to the store, then appends here;
 * every node (the publisher too) reads the stream and hands each entry to its own listeners,
 * so all nodes see the same events in the same order under the same ids.
 */
export class StreamBus<T> implements Bus<T> {
  readonly #options: StreamBusOptions<T>;
  readonly #keys: { stream: string; counter: string; epoch: string };
  readonly #writer: Redis;
  readonly #reader: Redis;
  readonly #listeners = new Set<BusListener<T>>();
  readonly #ring: ReplayRing<StreamEntry<T>>;
  #epoch = '';
  #lastSeq = 0;
  #running = false;
  #reading: Promise<void> | null = null;
  /** Appends sent and not yet answered, and the highest sequence Redis gave one of ours. */
  #pending = 0;
  #publishedSeq = 0;
  readonly #catchUp = new Set<() => void>();

  constructor(options: StreamBusOptions<T>) {
    this.#options = options;
    const prefix = options.prefix ?? 'vibes:';
    this.#keys = { stream: `${prefix}events`, counter: `${prefix}events:seq`, epoch: `${prefix}events:epoch` };
    const connection = { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => RETRY_MS } as const;
    this.#writer = new Redis(options.url, connection);
    this.#reader = new Redis(options.url, connection);
    // ioredis reports connection errors as events; the read loop and the publisher retry on their own.
    this.#writer.on('error', () => undefined);
    this.#reader.on('error', () => undefined);
    this.#ring = new ReplayRing(options.ringSize, options.supersedeKey);
  }

  get epoch(): string {
    return this.#epoch;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Connects, adopts the stream's epoch, reads back the newest entries, and starts reading. */
  async start(): Promise<void> {
    await Promise.all([this.#writer.connect(), this.#reader.connect()]);
    await this.#adoptEpoch();
    const newest = await this.#reader.xrevrange(this.#keys.stream, '+', '-', 'COUNT', this.#options.ringSize);
    for (const [id, fields] of newest.reverse()) {
      const entry = this.#parse(id, fields);
      if (entry) this.#keep(entry);
    }
    this.#running = true;
    this.#reading = this.#readLoop();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#reader.disconnect();
    await this.#reading?.catch(() => undefined);
    await this.#writer.quit().catch(() => this.#writer.disconnect());
  }

  publish(event: T): void {
    const data = JSON.stringify({ e: event, n: this.#options.node, a: this.#options.annotate?.(event) ?? null });
    this.#pending++;
    this.#writer
      .eval(
        APPEND,
        3,
        this.#keys.stream,
        this.#keys.counter,
        this.#keys.epoch,
        data,
        String(this.#options.streamLength ?? 10_000),
        crypto.randomUUID(),
      )
      .then((seq) => (this.#publishedSeq = Math.max(this.#publishedSeq, Number(seq))))
      .catch((error: unknown) => this.#options.onError?.(error))
      .finally(() => {
        this.#pending--;
        this.#wakeCatchUp();
      });
  }

  /**
   * Resolves once every event published so far is in the stream and this node has read it back
   * (so its own listeners have had it), or after `timeoutMs`, whichever comes first.
   */
  settled(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.#pending > 0 || this.#lastSeq < this.#publishedSeq) return;
        done();
      };
      const done = () => {
        clearTimeout(timer);
        this.#catchUp.delete(check);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#catchUp.add(check);
      check();
    });
  }

  #wakeCatchUp(): void {
    for (const check of [...this.#catchUp]) check();
  }

  subscribe(listener: BusListener<T>): () => void {
    const own: BusListener<T> = (entry) => listener(entry);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }

  since(seq: number): BusEntry<T>[] | undefined {
    return this.#ring.since(seq, this.#lastSeq);
  }

  async #adoptEpoch(): Promise<boolean> {
    await this.#reader.set(this.#keys.epoch, crypto.randomUUID(), 'NX');
    const epoch = (await this.#reader.get(this.#keys.epoch)) ?? '';
    if (epoch === this.#epoch) return false;
    const first = this.#epoch === '';
    this.#epoch = epoch;
    this.#lastSeq = 0;
    this.#ring.clear();
    if (!first) this.#options.onReset?.('epoch_changed');
    return true;
  }

  async #readLoop(): Promise<void> {
    while (this.#running) {
      try {
        const reply = (await this.#reader.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          this.#keys.stream,
          `0-${this.#lastSeq}`,
        )) as [string, [string, string[]][]][] | null;
        for (const [, entries] of reply ?? []) for (const [id, fields] of entries) this.#receive(id, fields);
        // Nothing new for a while: make sure Redis did not restart under us with a new stream.
        if (!reply) await this.#adoptEpoch();
      } catch (error) {
        if (!this.#running) return;
        this.#options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        await this.#adoptEpoch().catch(() => undefined);
      }
    }
  }

  #receive(id: string, fields: string[]): void {
    const entry = this.#parse(id, fields);
    if (!entry) return;
    if (entry.epochOf !== this.#epoch) {
      // Redis restarted and another node started the new epoch before we noticed.
      this.#epoch = entry.epochOf;
      this.#ring.clear();
      this.#lastSeq = entry.seq - 1;
      this.#options.onReset?.('epoch_changed');
    } else if (entry.seq !== this.#lastSeq + 1) {
      // Trimmed away before we read it: the entries in between are gone for us.
      this.#ring.clear();
      this.#options.onReset?.('replay_window_exceeded');
    }
    this.#keep(entry);
    for (const listener of [...this.#listeners]) {
      try {
        listener(entry);
      } catch (error) {
        this.#options.onError?.(error);
      }
    }
    this.#wakeCatchUp();
  }

  #keep(entry: StreamEntry<T>): void {
    this.#ring.keep(entry);
    this.#lastSeq = entry.seq;
  }

  #parse(id: string, fields: string[]): (StreamEntry<T> & { epochOf: string }) | undefined {
    const seq = Number(id.slice(id.indexOf('-') + 1));
    const values = new Map<string, string>();
    for (let index = 0; index + 1 < fields.length; index += 2) values.set(fields[index]!, fields[index + 1]!);
    const data = values.get('d');
    if (!Number.isSafeInteger(seq) || data === undefined) return undefined;
    const parsed = JSON.parse(data) as { e: T; n: string; a: unknown };
    return { seq, event: parsed.e, node: parsed.n, note: parsed.a, epochOf: values.get('ep') ?? this.#epoch };
  }
}
