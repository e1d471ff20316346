import type { Socket } from 'node:net';

interface Anonymous {
  readonly socket: Socket;
  readonly address: string;
  /** Requests of this socket being answered now: a socket answering one is not idle. */
  inFlight: number;
}

/**
 * Which sockets the server keeps. Until a socket makes a signed-in request it is anonymous, and
 * anonymous sockets are a bounded pool; a newcomer is never refused because of them. When the
 * pool is full, an idle one (nothing asked yet, or nothing being answered) makes room: the oldest
 * of the address that holds the most. So sockets held open and renewed by a stranger replace
 * each other and cannot lock out the token holder or a signed-in browser. A socket that made a
 * signed-in request leaves the pool for good.
 */
export class Admission {
  readonly #max: number;
  /** Oldest first (a Map keeps insertion order), all of them and per remote address. Keyed by the TCP socket, also under TLS. */
  readonly #anonymous = new Map<Socket, Anonymous>();
  readonly #byAddress = new Map<string, Map<Socket, Anonymous>>();

  constructor(maxAnonymous: number) {
    this.#max = maxAnonymous;
  }

  /** A new TCP connection (before any TLS handshake): admitted always, at the cost of an older stranger. */
  connected(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    if (this.#anonymous.size >= this.#max) this.#makeRoom();
    const entry: Anonymous = { socket, address, inFlight: 0 };
    this.#anonymous.set(socket, entry);
    let sameAddress = this.#byAddress.get(address);
    if (!sameAddress) this.#byAddress.set(address, (sameAddress = new Map()));
    sameAddress.set(socket, entry);
    socket.once('close', () => this.#forget(entry));
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

  #makeRoom(): void {
    // The address holding the most pays: a stranger renewing sockets as fast as it can only ever
    // replaces its own, never those of another address (a CLI, a phone).
    const hog = this.#largestAddress();
    // When every one is being answered (slow bodies, say), the oldest goes, never the newcomer.
    const victim = oldestIdle(hog) ?? oldestIdle(this.#anonymous) ?? first(hog) ?? first(this.#anonymous);
    if (!victim) return;
    this.#forget(victim);
    victim.socket.destroy();
  }

  /** A scan of the addresses in the pool: at most its size, and one or a few when one stranger fills it. */
  #largestAddress(): Map<Socket, Anonymous> | undefined {
    let largest: Map<Socket, Anonymous> | undefined;
    for (const pool of this.#byAddress.values()) if (!largest || pool.size > largest.size) largest = pool;
    return largest;
  }

  #forget(entry: Anonymous): void {
    if (!this.#anonymous.delete(entry.socket)) return;
    const sameAddress = this.#byAddress.get(entry.address);
    sameAddress?.delete(entry.socket);
    if (sameAddress?.size === 0) this.#byAddress.delete(entry.address);
  }
}

function oldestIdle(pool: Map<Socket, Anonymous> | undefined): Anonymous | undefined {
  for (const entry of pool?.values() ?? []) if (entry.inFlight === 0) return entry;
  return undefined;
}

function first(pool: Map<Socket, Anonymous> | undefined): Anonymous | undefined {
  return pool?.values().next().value;
}

/** Under HTTPS, requests come on the TLS socket that wraps the TCP socket the pool counts. */
function tcpSocketOf(socket: Socket): Socket {
  return (socket as Socket & { _parent?: Socket })._parent ?? socket;
}
