import type { Socket } from 'node:net';

interface Anonymous {
  readonly socket: Socket;
  readonly address: string;
  /** Requests of this socket being answered now: a socket answering one is not idle. */
  inFlight: number;
  /** The trim round it came in: it may go only in a later one, once the server has had a turn to read it. */
  readonly round: number;
  /** When it came in (ms): within the grace it may go only if the pool is past its overflow too. */
  readonly since: number;
}

export interface AdmissionOptions {
  /** Anonymous sockets kept; past it, older idle ones make room. */
  max: number;
  /** How long a newcomer has to send its request before it may be closed to make room. */
  graceMs: number;
  /** How far past `max` young sockets may take the pool before their grace gives way. */
  overflow: number;
  /** Sockets of any kind: past it a newcomer is closed at once (only signed-in clients can fill it). */
  ceiling: number;
  now?: () => number;
}

/**
 * Which sockets the server keeps. Until a socket makes a signed-in request it is anonymous, and
 * anonymous sockets are a bounded pool; a newcomer is never refused because of them. When the
 * pool is over its size, idle ones (nothing asked yet, or nothing being answered) make room: the
 * oldest of the address that holds the most, and never one the server has not yet had a turn of
 * its event loop to read, nor one younger than the grace unless the pool is past its overflow
 * too. So sockets held open and renewed by a stranger replace each other and cannot lock out the
 * token holder or a signed-in browser. A socket that made a signed-in request leaves the pool
 * for good.
 */
export class Admission {
  readonly #options: AdmissionOptions;
  readonly #now: () => number;
  /** Oldest first (a Map keeps insertion order), all of them and per remote address. Keyed by the TCP socket, also under TLS. */
  readonly #anonymous = new Map<Socket, Anonymous>();
  readonly #byAddress = new Map<string, Map<Socket, Anonymous>>();
  /** Every open socket, signed in or not. */
  #open = 0;
  #round = 0;
  #trimScheduled = false;
  #retrim: NodeJS.Timeout | null = null;

  constructor(options: AdmissionOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
  }

  /** A new TCP connection (before any TLS handshake): admitted below the ceiling, at the cost of older strangers. */
  connected(socket: Socket): void {
    if (this.#open >= this.#options.ceiling) {
      socket.destroy();
      return;
    }
    this.#open++;
    socket.once('close', () => this.#open--);
    const address = socket.remoteAddress ?? '';
    const entry: Anonymous = { socket, address, inFlight: 0, round: this.#round, since: this.#now() };
    this.#anonymous.set(socket, entry);
    let sameAddress = this.#byAddress.get(address);
    if (!sameAddress) this.#byAddress.set(address, (sameAddress = new Map<Socket, Anonymous>()));
    sameAddress.set(socket, entry);
    socket.once('close', () => this.#forget(entry));
    this.#scheduleTrim();
  }

  /** A request arrived on `socket` (the TLS socket under HTTPS): it is busy until answered. */
  requestStarted(socket: Socket, answer: { once(event: 'close', listener: () => void): unknown }): void {
    const entry = this.#anonymous.get(tcpSocketOf(socket));
    if (!entry) return;
    entry.inFlight++;
    answer.once('close', () => entry.inFlight--);
  }

  signedIn(socket: Socket): void {
    const entry = this.#anonymous.get(tcpSocketOf(socket));
    if (entry) this.#forget(entry);
  }

  /** After this turn's reads (setImmediate runs after the poll phase), never in the middle of a burst of accepts. */
  #scheduleTrim(): void {
    if (this.#trimScheduled || this.#anonymous.size <= this.#options.max) return;
    this.#trimScheduled = true;
    setImmediate(() => {
      this.#trimScheduled = false;
      this.#trim();
      this.#round++;
      this.#trimLater();
    });
  }

  /** Still over its size: look again once the oldest of the largest address may go (its round, or its grace, over). */
  #trimLater(): void {
    if (this.#anonymous.size <= this.#options.max || this.#retrim) return;
    const oldest: Anonymous | undefined = this.#largestAddress().values().next().value;
    const pastOverflow = this.#anonymous.size > this.#options.max + this.#options.overflow;
    const wait = oldest && !pastOverflow ? oldest.since + this.#options.graceMs - this.#now() : 0;
    if (wait <= 0) return this.#scheduleTrim();
    this.#retrim = setTimeout(() => {
      this.#retrim = null;
      this.#scheduleTrim();
    }, wait).unref();
  }

  #trim(): void {
    const { max, overflow, graceMs } = this.#options;
    while (this.#anonymous.size > max) {
      // The address holding the most pays: a stranger renewing sockets as fast as it can only
      // ever replaces its own, never those of another address (a CLI, a phone).
      const hog = this.#largestAddress();
      const bornBefore = this.#anonymous.size > max + overflow ? Infinity : this.#now() - graceMs;
      // When every one is being answered (slow bodies, say), the oldest goes.
      const victim = this.#oldest(hog, bornBefore, true) ?? this.#oldest(hog, bornBefore, false);
      if (!victim) return;
      this.#forget(victim);
      victim.socket.destroy();
    }
  }

  /** The oldest socket of `pool` from an earlier round that came in by `bornBefore` (idle only, if asked). */
  #oldest(pool: Map<Socket, Anonymous>, bornBefore: number, idle: boolean): Anonymous | undefined {
    for (const entry of pool.values()) {
      if (entry.round === this.#round || entry.since > bornBefore) return undefined;
      if (!idle || entry.inFlight === 0) return entry;
    }
    return undefined;
  }

  /** A scan of the addresses in the pool: at most its size, and one or a few when one stranger fills it. */
  #largestAddress(): Map<Socket, Anonymous> {
    let largest = new Map<Socket, Anonymous>();
    for (const pool of this.#byAddress.values()) if (pool.size > largest.size) largest = pool;
    return largest;
  }

  #forget(entry: Anonymous): void {
    if (!this.#anonymous.delete(entry.socket)) return;
    const sameAddress = this.#byAddress.get(entry.address);
    sameAddress?.delete(entry.socket);
    if (sameAddress?.size === 0) this.#byAddress.delete(entry.address);
  }
}

/** Under HTTPS, requests come on the TLS socket that wraps the TCP socket the pool counts. */
function tcpSocketOf(socket: Socket): Socket {
  return (socket as Socket & { _parent?: Socket })._parent ?? socket;
}
