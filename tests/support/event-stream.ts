import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { ServerEvent } from '../../lib/protocol/index.ts';

export interface ReceivedFrame {
  id: string | undefined;
  event: ServerEvent;
}

/**
 * A raw reader of `GET /api/events` for tests: it can send any Last-Event-ID, pause reading
 * to play a stalled client, and wait for frames. Every frame is validated against the protocol.
 */
export class TestEventStream {
  readonly frames: ReceivedFrame[] = [];
  clientId = '';
  lastEventId: string | undefined;
  status = 0;
  #request: ClientRequest | null = null;
  #response: IncomingMessage | null = null;
  #buffer = '';
  #ended = false;
  #waiters = new Set<() => void>();

  static async open(baseUrl: string, options: { clientId?: string; lastEventId?: string; headers?: Record<string, string> } = {}) {
    const stream = new TestEventStream();
    await stream.#connect(baseUrl, options);
    return stream;
  }

  get ended(): boolean {
    return this.#ended;
  }

  events<T extends ServerEvent['type']>(type: T): Extract<ServerEvent, { type: T }>[] {
    return this.frames.flatMap((frame) => (frame.event.type === type ? [frame.event as Extract<ServerEvent, { type: T }>] : []));
  }

  async waitFor<T>(find: (stream: TestEventStream) => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    const found = find(this);
    if (found) return found;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.frames.map((f) => f.event.type).join(', ')}`));
      }, timeoutMs);
      const check = () => {
        const result = find(this);
        if (!result) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(result);
      };
      this.#waiters.add(check);
    });
  }

  waitForEvent<T extends ServerEvent['type']>(
    type: T,
    matches: (event: Extract<ServerEvent, { type: T }>) => boolean = () => true,
    timeoutMs?: number,
  ): Promise<Extract<ServerEvent, { type: T }>> {
    return this.waitFor((stream) => stream.events(type).find(matches), `a ${type} event`, timeoutMs);
  }

  waitForEnd(timeoutMs = 10_000): Promise<true> {
    return this.waitFor((stream) => stream.ended, 'the stream to end', timeoutMs);
  }

  /** Stops reading from the socket, as a client that hangs would. */
  pause(): void {
    this.#response?.pause();
  }

  resume(): void {
    this.#response?.resume();
  }

  close(): void {
    this.#request?.destroy();
    this.#response?.destroy();
  }

  #connect(baseUrl: string, options: { clientId?: string; lastEventId?: string; headers?: Record<string, string> }): Promise<void> {
    const url = new URL('/api/events', baseUrl);
    if (options.clientId) url.searchParams.set('client_id', options.clientId);
    return new Promise((resolve, reject) => {
      const req = request(url, {
        headers: {
          Accept: 'text/event-stream',
          ...(options.lastEventId ? { 'Last-Event-ID': options.lastEventId } : {}),
          ...options.headers,
        },
      });
      this.#request = req;
      req.on('error', (error) => {
        this.#ended = true;
        this.#notify();
        reject(error);
      });
      req.on('response', (res) => {
        this.#response = res;
        this.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => this.#receive(chunk));
        const end = () => {
          this.#ended = true;
          this.#notify();
        };
        res.on('end', end);
        res.on('close', end);
        res.on('error', end);
        if (this.status !== 200) {
          resolve();
          return;
        }
        this.waitForEvent('hello').then((hello) => {
          this.clientId = hello.client_id;
          resolve();
        }, reject);
      });
      req.end();
    });
  }

  #receive(chunk: string): void {
    // Search only the new text (and one char before it), so a frame of megabytes arriving in
    // small chunks is not rescanned from its start each time.
    let searchFrom = Math.max(0, this.#buffer.length - 1);
    this.#buffer += chunk;
    let boundary: number;
    while ((boundary = this.#buffer.indexOf('\n\n', searchFrom)) >= 0) {
      const block = this.#buffer.slice(0, boundary);
      this.#buffer = this.#buffer.slice(boundary + 2);
      searchFrom = 0;
      let id: string | undefined;
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (id !== undefined) this.lastEventId = id;
      if (data === '') continue;
      this.frames.push({ id, event: ServerEvent.parse(JSON.parse(data)) });
    }
    this.#notify();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
