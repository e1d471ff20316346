import { Redis } from 'ioredis';

/**
 * The node's Redis publish/subscribe connections, shared by membership (heartbeats) and
 * credential sync: one connection publishes, one listens. Both reconnect on their own.
 */
export class RedisChannels {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #handlers = new Map<string, (message: string) => void>();

  constructor(url: string, prefix = 'vibes:') {
    this.#prefix = prefix;
    const connection = { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => 250 } as const;
    this.#publisher = new Redis(url, connection);
    this.#subscriber = new Redis(url, connection);
    this.#publisher.on('error', () => undefined);
    this.#subscriber.on('error', () => undefined);
    this.#subscriber.on('message', (channel: string, message: string) => this.#handlers.get(channel)?.(message));
  }

  /** Before `connect`: what arrives on the channel `name` goes to `handler`. */
  listen(name: string, handler: (message: string) => void): void {
    this.#handlers.set(this.#prefix + name, handler);
  }

  /** The listening connection is (again) up, or went down. */
  onListening(up: () => void, down: () => void): void {
    this.#subscriber.on('ready', up);
    this.#subscriber.on('close', down);
  }

  async connect(): Promise<void> {
    await Promise.all([this.#publisher.connect(), this.#subscriber.connect()]);
    await this.#subscriber.subscribe(...this.#handlers.keys());
  }

  /** Said once, if Redis is there to hear it: a lost message is made up for by the next heartbeat. */
  async publish(name: string, message: string): Promise<void> {
    await this.#publisher.publish(this.#prefix + name, message).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#subscriber.disconnect();
    await this.#publisher.quit().catch(() => this.#publisher.disconnect());
  }
}
