import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Bus, BusEntry, CoreEvent } from '../core/index.ts';
import { ClientId, type ResyncReason, type ServerEvent } from '../protocol/index.ts';
import { deviceIdOfKey } from './auth.ts';
import { sendError } from './http-errors.ts';
import { countDown, type Presence } from './presence.ts';
import type { SessionView } from './cluster/session-view.ts';

export interface SseHubOptions {
  bus: Bus<CoreEvent>;
  /** Whose sessions the clients see: the manager's, or in a cluster every node's. */
  sessions: SessionView;
  presence: Presence;
  maxClients: number;
  /** Streams one device may hold; the token's are bounded by maxClients alone. */
  maxClientsPerDevice: number;
  /** Unsent bytes past which a client is dropped at once. */
  clientBufferBytes: number;
  /** How long a full socket may stay full before its client is dropped. */
  clientStallMs: number;
  pingMs: number;
  /** The server was started with the bypass opt-in; told to every client in `hello`. */
  allowBypass?: boolean;
  /** New sessions are demo sessions unless they ask for Claude; told in `hello`, so the New dialog starts there. */
  demoDefault?: boolean;
}

/**
 * At most one `session_updated` per session per this many ms: the first change after a quiet
 * spell goes out at once, later ones in the window are folded into one frame at its end. Short
 * enough to read as instant on a phone, long enough that a burst of changes costs at most 20 frames a second.
 */
const LIST_UPDATE_WINDOW_MS = 50;
/**
 * Viewer counts and last activity (kept in whole seconds) are not worth a frame to every
 * stream more than once a second: 500 viewers subscribing over a few seconds cost a few frames each.
 */
const AMBIENT_UPDATE_WINDOW_MS = 1000;
const AMBIENT_FIELDS = new Set(['subscriber_count', 'last_activity_at']);

type SessionUpdated = Extract<CoreEvent, { type: 'session_updated' }>;

/** One session's list updates: when the last went out, and the newest one waiting for its window. */
interface ListUpdates {
  sentAt: number;
  sent: SessionUpdated['session'] | null;
  waiting: SessionUpdated | null;
  timer: NodeJS.Timeout | null;
  timerDue: number;
}

interface Connection {
  readonly clientId: string;
  /** Who opened it (see principalKey): revoking that credential closes the stream. */
  readonly principal: string;
  readonly res: ServerResponse;
  closed: boolean;
  /** `res.writableLength` right after our last write: it only shrinks when the client takes bytes. */
  bufferedAfterWrite: number;
  /** Whether the client took anything since the stall watch was last armed. */
  tookSomething: boolean;
  /** Running while the socket is full; fires if the client took nothing in the stall time. */
  stallTimer: NodeJS.Timeout | null;
}

/**
 * The one SSE writer: one entry per open `GET /api/events`, fed from the bus. Each event is
 * serialised once (or once per personalised variant), never once per client.
 */
export class SseHub {
  readonly #options: SseHubOptions;
  readonly #byClient = new Map<string, Set<Connection>>();
  readonly #all = new Set<Connection>();
  /** Open streams per device principal (see principalKey); the token's are not counted. */
  readonly #perDevice = new Map<string, number>();
  readonly #listUpdates = new Map<string, ListUpdates>();
  #unsubscribe: (() => void) | null = null;
  #ping: NodeJS.Timeout | null = null;

  constructor(options: SseHubOptions) {
    this.#options = options;
  }

  start(): void {
    this.#unsubscribe = this.#options.bus.subscribe((entry) => this.#deliver(entry));
    this.#ping = setInterval(() => {
      for (const connection of this.#all) this.#write(connection, ': ping\n\n');
    }, this.#options.pingMs);
    this.#ping.unref();
  }

  /** Ends every stream; clients reconnect to whatever runs next and resync. */
  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#ping) clearInterval(this.#ping);
    // A list update still in its window goes out before the streams end: at a shutdown it is the sessions' last state.
    for (const updates of this.#listUpdates.values()) {
      if (updates.timer) clearTimeout(updates.timer);
      this.#sendListUpdate(updates);
    }
    this.#listUpdates.clear();
    for (const connection of [...this.#all]) connection.res.end();
  }

  /** The credentials (principal keys) that have an event stream open now. */
  openPrincipals(): Set<string> {
    return new Set([...this.#all].map((connection) => connection.principal));
  }

  /** Ends at once every stream whose credential the predicate names; they get nothing more. */
  closeStreams(matches: (principal: string) => boolean): void {
    for (const connection of [...this.#all]) {
      if (!matches(connection.principal)) continue;
      this.#close(connection);
      connection.res.end();
    }
  }

  open(req: IncomingMessage, res: ServerResponse, url: URL, principal: string): void {
    if (this.#all.size >= this.#options.maxClients) {
      return sendError(res, 'TOO_MANY_CLIENTS', `At most ${this.#options.maxClients} event streams can be open at once`);
    }
    const isDevice = deviceIdOfKey(principal) !== null;
    const deviceStreams = isDevice ? (this.#perDevice.get(principal) ?? 0) : 0;
    if (deviceStreams >= this.#options.maxClientsPerDevice) {
      sendError(res, 'TOO_MANY_STREAMS', `At most ${this.#options.maxClientsPerDevice} event streams per signed-in browser: close a tab`);
      return;
    }
    const requestedId = url.searchParams.get('client_id');
    if (requestedId !== null && !ClientId.safeParse(requestedId).success) {
      return sendError(res, 'VALIDATION_FAILED', 'client_id must be 1 to 100 letters, digits, _ or -');
    }
    const clientId = requestedId ?? crypto.randomUUID();
    const connection: Connection = {
      clientId,
      principal,
      res,
      closed: false,
      bufferedAfterWrite: 0,
      tookSomething: false,
      stallTimer: null,
    };

    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    req.on('close', () => this.#close(connection));
    res.on('error', () => this.#close(connection));

    this.#all.add(connection);
    if (isDevice) this.#perDevice.set(principal, deviceStreams + 1);
    let peers = this.#byClient.get(clientId);
    if (!peers) this.#byClient.set(clientId, (peers = new Set()));
    peers.add(connection);
    this.#options.presence.streamOpened(clientId);

    this.#greet(connection, req.headers['last-event-id'] ?? url.searchParams.get('last_event_id'));
  }

  /** Sends hello, then either exactly what the client missed or a fresh session list. */
  #greet(connection: Connection, lastEventId: string | string[] | null | undefined): void {
    const { bus } = this.#options;
    const resumeFrom = typeof lastEventId === 'string' ? parseEventId(lastEventId) : null;
    const hello: ServerEvent = {
      type: 'hello',
      client_id: connection.clientId,
      epoch: bus.epoch,
      allow_bypass: this.#options.allowBypass ?? false,
      demo_default: this.#options.demoDefault ?? false,
    };
    let write = 'retry: 1000\n\n';
    if (resumeFrom && resumeFrom.epoch === bus.epoch) {
      const missed = bus.since(resumeFrom.seq);
      if (missed) {
        write += frame(this.#eventId(resumeFrom.seq), hello);
        this.#write(connection, write);
        for (const entry of missed) this.#deliverTo(connection, entry);
        return;
      }
    }
    const position = this.#eventId(bus.lastSeq);
    write += frame(position, hello);
    if (resumeFrom) {
      const reason: ResyncReason = resumeFrom.epoch === bus.epoch ? 'replay_window_exceeded' : 'epoch_changed';
      write += frame(position, { type: 'resync', reason });
    }
    const sessions = this.#options.sessions.list(connection.clientId);
    write += frame(position, { type: 'session_list', sessions });
    this.#write(connection, write);
  }

  #deliver(entry: BusEntry<CoreEvent>): void {
    const { event } = entry;
    const id = this.#eventId(entry.seq);
    switch (event.type) {
      case 'session_event': {
        const subscribers = this.#options.sessions.subscribersOf(event.session_id);
        if (!subscribers) return;
        const text = frame(id, sessionEventOf(event));
        for (const clientId of subscribers) {
          const peers = this.#byClient.get(clientId);
          if (peers) for (const connection of peers) this.#write(connection, text);
        }
        return;
      }
      case 'session_removed': {
        // A list update still waiting goes first: after the removal it would bring the session back.
        const updates = this.#listUpdates.get(event.session_id);
        if (updates) {
          if (updates.timer) clearTimeout(updates.timer);
          this.#sendListUpdate(updates);
          this.#listUpdates.delete(event.session_id);
        }
        const text = frame(id, event);
        for (const connection of this.#all) this.#write(connection, text);
        return;
      }
      case 'session_updated':
        this.#coalesce(event);
        return;
      case 'ownership_transferred':
        this.#sendToAll(id, event, event.new_owner_id);
        return;
    }
  }

  /**
   * List updates go to every open stream, so a burst of them (500 viewers subscribing, each
   * changing the subscriber count) would cost streams x changes: they are sent at most once per
   * window per session, carrying the newest state.
   */
  #coalesce(event: SessionUpdated): void {
    const sessionId = event.session.id;
    let updates = this.#listUpdates.get(sessionId);
    if (!updates) {
      updates = { sentAt: Number.NEGATIVE_INFINITY, sent: null, waiting: null, timer: null, timerDue: 0 };
      this.#listUpdates.set(sessionId, updates);
    }
    updates.waiting = event;
    const window = onlyAmbientChanged(updates.sent, event.session) ? AMBIENT_UPDATE_WINDOW_MS : LIST_UPDATE_WINDOW_MS;
    const now = Date.now();
    const due = updates.sentAt + window;
    if (updates.timer && updates.timerDue <= due) return;
    if (updates.timer) clearTimeout(updates.timer);
    updates.timer = null;
    if (due <= now) return this.#sendListUpdate(updates);
    const timed = updates;
    timed.timerDue = due;
    timed.timer = setTimeout(() => this.#sendListUpdate(timed), due - now);
  }

  /**
   * Sent without an id: it may carry a state newer than events the client has not had yet, and a
   * client resuming from its last id is replayed the updates from the ring anyway.
   */
  #sendListUpdate(updates: ListUpdates): void {
    const event = updates.waiting;
    updates.timer = null;
    updates.waiting = null;
    if (!event) return;
    updates.sentAt = Date.now();
    updates.sent = event.session;
    this.#sendToAll(null, event, event.session.owner_id);
  }

  /** To every stream: one frame for the owner's, one for all the others. */
  #sendToAll(id: string | null, event: Personalised, ownerId: string): void {
    const forOthers = frame(id, personalise(event, false));
    let forOwner: string | undefined;
    for (const connection of this.#all) {
      if (connection.clientId === ownerId) this.#write(connection, (forOwner ??= frame(id, personalise(event, true))));
      else this.#write(connection, forOthers);
    }
  }

  /** The slow path for replay: one entry to one connection, with the same filtering. */
  #deliverTo(connection: Connection, entry: BusEntry<CoreEvent>): void {
    const { event } = entry;
    const id = this.#eventId(entry.seq);
    if (event.type === 'session_event') {
      if (this.#options.sessions.isSubscribed(event.session_id, connection.clientId))
        this.#write(connection, frame(id, sessionEventOf(event)));
      return;
    }
    if (event.type === 'session_removed') {
      this.#write(connection, frame(id, event));
      return;
    }
    const ownerId = event.type === 'session_updated' ? event.session.owner_id : event.new_owner_id;
    this.#write(connection, frame(id, personalise(event, connection.clientId === ownerId)));
  }

  #write(connection: Connection, text: string): void {
    if (connection.closed) return;
    // A client that has not taken what it was sent is dropped: at once past the byte bound, or
    // when it took nothing for the stall time. It resumes from its Last-Event-ID when it
    // returns, or resyncs if that fell out of the ring. Nobody else waits for it.
    if (connection.res.writableLength > this.#options.clientBufferBytes) {
      this.#drop(connection);
      return;
    }
    this.#noteTaken(connection);
    const accepted = connection.res.write(text);
    connection.bufferedAfterWrite = connection.res.writableLength;
    if (!accepted) this.#watchForStall(connection);
  }

  /**
   * Stalled means no progress, not a full buffer: a phone reading a burst more slowly than it
   * arrives keeps the buffer full for longer than the stall time while still taking bytes.
   */
  #watchForStall(connection: Connection): void {
    if (connection.stallTimer !== null) return;
    connection.tookSomething = false;
    connection.stallTimer = setTimeout(() => {
      connection.stallTimer = null;
      if (connection.closed || connection.res.writableLength === 0) return;
      this.#noteTaken(connection);
      if (connection.tookSomething) this.#watchForStall(connection);
      else this.#drop(connection);
    }, this.#options.clientStallMs);
  }

  // Compared with itself, not with a count of what we wrote: the buffer also holds chunked-encoding framing.
  #noteTaken(connection: Connection): void {
    if (connection.res.writableLength < connection.bufferedAfterWrite) connection.tookSomething = true;
    connection.bufferedAfterWrite = connection.res.writableLength;
  }

  #drop(connection: Connection): void {
    connection.res.destroy();
    this.#close(connection);
  }

  #close(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    if (connection.stallTimer) clearTimeout(connection.stallTimer);
    this.#all.delete(connection);
    countDown(this.#perDevice, connection.principal);
    const peers = this.#byClient.get(connection.clientId);
    peers?.delete(connection);
    if (peers?.size === 0) this.#byClient.delete(connection.clientId);
    this.#options.presence.streamClosed(connection.clientId);
  }

  #eventId(seq: number): string {
    return `${this.#options.bus.epoch}:${seq}`;
  }
}

function frame(id: string | null, event: ServerEvent): string {
  return `${id === null ? '' : `id: ${id}\n`}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function sessionEventOf(event: Extract<CoreEvent, { type: 'session_event' }>): ServerEvent {
  return { type: 'session_event', session_id: event.session_id, seq: event.entry.seq, at: event.entry.at, event: event.entry.event };
}

type Personalised = Extract<CoreEvent, { type: 'session_updated' | 'ownership_transferred' }>;

function personalise(event: Personalised, isOwner: boolean): ServerEvent {
  if (event.type === 'session_updated') return { type: 'session_updated', session: { ...event.session, is_owner: isOwner } };
  return { type: 'ownership_transferred', session_id: event.session_id, new_owner_id: event.new_owner_id, you_are_owner: isOwner };
}

function onlyAmbientChanged(before: SessionUpdated['session'] | null, after: SessionUpdated['session']): boolean {
  if (before === null) return false;
  for (const key of Object.keys(after) as (keyof typeof after)[]) {
    if (AMBIENT_FIELDS.has(key)) continue;
    const [a, b] = [before[key], after[key]];
    if (a !== b && (typeof a !== 'object' || JSON.stringify(a) !== JSON.stringify(b))) return false;
  }
  return true;
}

export function parseEventId(value: string): { epoch: string; seq: number } | null {
  const separator = value.lastIndexOf(':');
  if (separator <= 0) return null;
  const seq = Number(value.slice(separator + 1));
  if (!Number.isSafeInteger(seq) || seq < 0) return null;
  return { epoch: value.slice(0, separator), seq };
}
