import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { ServerEvent } from '../../lib/protocol/index.ts';
import { EVENT_WAIT_MS } from './waits.ts';

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
  #pending: string[] = [];
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

  async waitFor<T>(find: (stream: TestEventStream) => T | undefined | false, what: string, timeoutMs = EVENT_WAIT_MS): Promise<T> {
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

  waitForEnd(timeoutMs = EVENT_WAIT_MS): Promise<true> {
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
    // The text since the last frame is kept as a list of chunks, joined once its frame is whole:
    // appending to one string and searching it flattens it at every chunk, which made a frame of
    // megabytes cost its size times its number of chunks, and a reader that slow falls behind
    // the server's buffer bound.
    let rest = chunk;
    for (;;) {
      const last = this.#pending.at(-1);
      if (last?.endsWith('\n') && rest.startsWith('\n')) {
        this.#pending[this.#pending.length - 1] = last.slice(0, -1);
        rest = rest.slice(1);
      } else {
        const boundary = rest.indexOf('\n\n');
        if (boundary < 0) break;
        this.#pending.push(rest.slice(0, boundary));
        rest = rest.slice(boundary + 2);
      }
      this.#frame(this.#pending.join(''));
      this.#pending = [];
    }
    if (rest !== '') this.#pending.push(rest);
    this.#notify();
  }

  #frame(block: string): void {
    let id: string | undefined;
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (id !== undefined) this.lastEventId = id;
    if (data === '') return;
    this.frames.push({ id, event: ServerEvent.parse(JSON.parse(data)) });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}
