import type { Socket } from 'node:net';

interface Anonymous {
  readonly socket: Socket;
  readonly address: string;
  /** Requests of this socket being answered now: a socket answering one is not idle. */
  inFlight: number;
  /** The trim round it came in: it may go only in a later one, once the server has had a turn to read it. */
  readonly round: number;
}

/**
 * Which sockets the server keeps. Until a socket makes a signed-in request it is anonymous, and
 * anonymous sockets are a bounded pool; a newcomer is never refused because of them. When the
 * pool is over its size, idle ones (nothing asked yet, or nothing being answered) make room: the
 * oldest of the address that holds the most, and never one the server has not yet had a turn of
 * its event loop to read, so that a burst of accepts cannot close a newcomer whose request is
 * already there. So sockets held open and renewed by a stranger replace each other and cannot
 * lock out the token holder or a signed-in browser. A socket that made a signed-in request
 * leaves the pool for good.
 */
export class Admission {
  readonly #max: number;
  /** Oldest first (a Map keeps insertion order), all of them and per remote address. Keyed by the TCP socket, also under TLS. */
  readonly #anonymous = new Map<Socket, Anonymous>();
  readonly #byAddress = new Map<string, Map<Socket, Anonymous>>();
  #round = 0;
  #trimScheduled = false;

  constructor(maxAnonymous: number) {
    this.#max = maxAnonymous;
  }

  /** A new TCP connection (before any TLS handshake): admitted always, at the cost of older strangers. */
  connected(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    const entry: Anonymous = { socket, address, inFlight: 0, round: this.#round };
    this.#anonymous.set(socket, entry);
    let sameAddress = this.#byAddress.get(address);
    if (!sameAddress) this.#byAddress.set(address, (sameAddress = new Map()));
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
    if (this.#trimScheduled || this.#anonymous.size <= this.#max) return;
    this.#trimScheduled = true;
    setImmediate(() => {
      this.#trimScheduled = false;
      this.#trim();
      this.#round++;
      // What came in this round goes, if it must, in the next one.
      this.#scheduleTrim();
    });
  }

  #trim(): void {
    while (this.#anonymous.size > this.#max) {
      // The address holding the most pays: a stranger renewing sockets as fast as it can only
      // ever replaces its own, never those of another address (a CLI, a phone).
      const hog = this.#largestAddress();
      // When every one is being answered (slow bodies, say), the oldest goes. When all of them
      // came in this round, the pool stays over its size by that much until the next one.
      const victim = this.#oldest(hog, true) ?? this.#oldest(hog, false);
      if (!victim) return;
      this.#forget(victim);
      victim.socket.destroy();
    }
  }

  /** The oldest socket of `pool` from an earlier round (idle only, if asked). */
  #oldest(pool: Map<Socket, Anonymous>, idle: boolean): Anonymous | undefined {
    for (const entry of pool.values()) {
      if (entry.round === this.#round) return undefined;
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
