export type ClientId = string;

/**
 * Who owns a session and who watches it. The owner is always a subscriber.
 * Subscribers keep the order in which they joined, so the next owner is the longest-standing one.
 */
export class SessionOwnership {
  #ownerId: ClientId;
  #ownedSince: number;
  readonly #subscribers = new Set<ClientId>();

  constructor(ownerId: ClientId, now: number = Date.now()) {
    this.#ownerId = ownerId;
    this.#ownedSince = now;
    this.#subscribers.add(ownerId);
  }

  get ownerId(): ClientId {
    return this.#ownerId;
  }

  /** Milliseconds since the epoch at which the current owner took over. */
  get ownedSince(): number {
    return this.#ownedSince;
  }

  get subscriberIds(): ReadonlySet<ClientId> {
    return this.#subscribers;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  isOwner(clientId: ClientId): boolean {
    return this.#ownerId === clientId;
  }

  isSubscribed(clientId: ClientId): boolean {
    return this.#subscribers.has(clientId);
  }

  addSubscriber(clientId: ClientId): void {
    this.#subscribers.add(clientId);
  }

  /** Returns true when the removed client was the owner. */
  removeSubscriber(clientId: ClientId): boolean {
    this.#subscribers.delete(clientId);
    return this.#ownerId === clientId;
  }

  /** Only a subscriber can become owner. */
  transferTo(clientId: ClientId, now: number = Date.now()): boolean {
    if (!this.#subscribers.has(clientId)) return false;
    this.#ownerId = clientId;
    this.#ownedSince = now;
    return true;
  }

  /** The longest-standing subscriber other than the current owner. */
  pickNextOwner(): ClientId | undefined {
    for (const id of this.#subscribers) {
      if (id !== this.#ownerId) return id;
    }
    return undefined;
  }

  shouldCleanup(): boolean {
    return this.#subscribers.size === 0;
  }
}
