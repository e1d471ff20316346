import { createInterface, type Interface } from 'node:readline';
import type { ApiClient } from '../../lib/client/api-client.ts';
import type { EventStream } from '../../lib/client/event-stream.ts';
import type { PendingPermission, ServerEvent, SessionInfo, TranscriptEntry } from '../../lib/protocol/index.ts';
import type { Style } from './style.ts';
import { TranscriptPrinter } from './transcript-printer.ts';

const HISTORY_EVENTS = 200;
const ALLOW = /^(a|allow)$/i;
const DENY = /^(d|deny)$/i;

export interface ConsoleOptions {
  stream: EventStream;
  api: ApiClient;
  /** Events the stream delivered before the console took over (e.g. while the session was being created). */
  earlier: readonly ServerEvent[];
  session: SessionInfo;
  mode: 'claude' | 'attach';
  json: boolean;
  style: Style;
  /** The turn started with the session (`vibes claude PROMPT`). */
  promptSent: boolean;
  /** Prints the end of the transcript first (attach). */
  history: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/** Collects everything a stream delivers until a console takes over. */
export function bufferEvents(stream: EventStream): { events: ServerEvent[]; stop: () => void } {
  const events: ServerEvent[] = [];
  const stop = stream.on((event) => events.push(event));
  return { events, stop };
}

/**
 * The live view of one session in a terminal, for `vibes claude` and `vibes sessions attach`:
 * the transcript as it streams, input lines to the session, `a` / `d` for pending requests,
 * Ctrl-C to interrupt and a second one to leave. Resolves with the exit code.
 */
export function runSessionConsole(options: ConsoleOptions): Promise<number> {
  return new SessionConsole(options).run();
}

class SessionConsole {
  readonly #o: ConsoleOptions;
  readonly #stdin: NodeJS.ReadStream;
  readonly #stdout: NodeJS.WriteStream;
  readonly #stderr: NodeJS.WriteStream;
  readonly #interactive: boolean;
  readonly #printer: TranscriptPrinter;
  readonly #pending = new Map<string, PendingPermission>();
  readonly #cleanups: (() => void)[] = [];
  #session: SessionInfo;
  #rl: Interface | null = null;
  #promptShown = false;
  #lastSeq = 0;
  #ready = false;
  #backlog: ServerEvent[] = [];
  #leaveArmed = false;
  #inputClosed = false;
  #inFlight = 0;
  #awaitingEcho = 0;
  #lastOwnInputSeq = 0;
  #lastTurnSeq = 0;
  #lastTurnOk: boolean | null = null;
  #finish: ((code: number) => void) | null = null;
  #done = false;

  constructor(options: ConsoleOptions) {
    this.#o = options;
    this.#stdin = options.stdin ?? process.stdin;
    this.#stdout = options.stdout ?? process.stdout;
    this.#stderr = options.stderr ?? process.stderr;
    this.#interactive = Boolean(this.#stdin.isTTY && this.#stdout.isTTY) && !options.json;
    this.#session = options.session;
    this.#printer = new TranscriptPrinter({
      style: options.style,
      write: (text) => this.#write(text),
      ownClientId: options.stream.clientId,
      echoOwnInput: !this.#interactive,
    });
    if (options.promptSent) this.#awaitingEcho = 1;
    for (const permission of options.session.pending_permissions) this.#pending.set(permission.request_id, permission);
  }

  run(): Promise<number> {
    return new Promise<number>((resolve) => {
      this.#finish = resolve;
      this.#cleanups.push(this.#o.stream.on((event) => this.#receive(event)));
      this.#cleanups.push(this.#o.stream.onStatus((status, error) => this.#connection(status, error)));
      for (const event of this.#o.earlier) this.#receive(event);
      this.#listenForInput();
      this.#start().catch((error: unknown) => {
        this.#note(this.#o.style.red(`vibes: ${(error as Error).message}`));
        this.#leave(1);
      });
    });
  }

  async #start(): Promise<void> {
    if (!this.#o.json) this.#printer.header(this.#session);
    if (this.#o.history) await this.#printHistory();
    this.#ready = true;
    const backlog = this.#backlog;
    this.#backlog = [];
    for (const event of backlog) this.#receive(event);
    if (this.#pending.size > 0 && this.#o.history) {
      for (const request of this.#pending.values()) if (!this.#o.json) this.#printer.permission(request);
    }
    this.#showPrompt();
    this.#checkDone();
  }

  /** The end of the transcript, so an attach starts with context; later live events are de-duplicated by seq. */
  async #printHistory(): Promise<void> {
    const { last_seq: lastSeq } = await this.#o.api.events(this.#session.id, { limit: 1 });
    if (lastSeq === 0) return;
    const { events } = await this.#o.api.events(this.#session.id, { after: Math.max(0, lastSeq - HISTORY_EVENTS), limit: HISTORY_EVENTS });
    const complete = events.flatMap((entry) => (entry.event.type === 'text' ? [entry.event.message_id] : []));
    if (!this.#o.json) {
      this.#printer.skipDeltasOf(complete);
      if (events[0] && events[0].seq > 1) this.#printer.line(this.#o.style.dim(`… ${events[0].seq - 1} earlier events`));
    }
    for (const entry of events) this.#transcript(entry, true);
  }

  #receive(event: ServerEvent): void {
    if (this.#done) return;
    if (!this.#ready && event.type === 'session_event') {
      this.#backlog.push(event);
      return;
    }
    switch (event.type) {
      case 'session_event':
        if (event.session_id !== this.#session.id || event.seq <= this.#lastSeq) return;
        this.#transcript({ seq: event.seq, at: event.at, event: event.event }, false);
        this.#showPrompt();
        this.#checkDone();
        return;
      case 'session_updated':
        if (event.session.id !== this.#session.id) return;
        this.#json(event);
        this.#updated(event.session);
        return;
      case 'session_removed':
        if (event.session_id !== this.#session.id) return;
        this.#json(event);
        if (!this.#o.json) this.#printer.removed(event.reason);
        this.#leave(this.#o.mode === 'attach' ? 0 : event.reason === 'session_finished' && this.#lastTurnOk !== false ? 0 : 1);
        return;
      case 'ownership_transferred':
        if (event.session_id !== this.#session.id) return;
        this.#json(event);
        if (!this.#o.json) {
          this.#printer.line(this.#o.style.bold(event.you_are_owner ? 'You now own this session.' : 'Another client now owns this session.'));
        }
        return;
      case 'resync':
        void this.#catchUp();
        return;
      default:
        return;
    }
  }

  #transcript(entry: TranscriptEntry, fromHistory: boolean): void {
    this.#lastSeq = Math.max(this.#lastSeq, entry.seq);
    const { event } = entry;
    if (this.#o.json) this.#json({ type: 'session_event', session_id: this.#session.id, seq: entry.seq, at: entry.at, event });
    else this.#printer.event(event);
    switch (event.type) {
      case 'user_input':
        if (event.client_id === this.#o.stream.clientId && !fromHistory) {
          this.#awaitingEcho = Math.max(0, this.#awaitingEcho - 1);
          this.#lastOwnInputSeq = entry.seq;
        }
        return;
      case 'permission_request':
        {
          const { type: _type, ...decision } = event;
          this.#pending.set(event.request_id, { ...decision, requested_at: entry.at });
        }
        return;
      case 'permission_resolved':
        this.#pending.delete(event.request_id);
        return;
      case 'turn_complete':
        this.#lastTurnSeq = entry.seq;
        this.#lastTurnOk = !event.is_error;
        return;
      default:
        return;
    }
  }

  #updated(session: SessionInfo): void {
    const wasFailed = this.#session.state === 'failed';
    this.#session = session;
    this.#pending.clear();
    for (const permission of session.pending_permissions) this.#pending.set(permission.request_id, permission);
    if (session.state === 'failed' && !wasFailed) {
      if (!this.#o.json) this.#printer.state(session);
      this.#leave(1);
      return;
    }
    this.#showPrompt();
    this.#checkDone();
  }

  /** After a resync the stream may have skipped events: read them from the transcript instead. */
  async #catchUp(): Promise<void> {
    try {
      this.#updated(await this.#o.api.getSession(this.#session.id));
      for (;;) {
        const page = await this.#o.api.events(this.#session.id, { after: this.#lastSeq, limit: 1000 });
        for (const entry of page.events) this.#transcript(entry, false);
        if (page.events.length === 0 || this.#lastSeq >= page.last_seq) break;
      }
    } catch (error) {
      this.#note(this.#o.style.red(`vibes: lost the session: ${(error as Error).message}`));
      this.#leave(1);
    }
  }

  #connection(status: 'open' | 'reconnecting' | 'closed', error?: Error): void {
    if (this.#done) return;
    if (status === 'reconnecting') this.#note(this.#o.style.dim('vibes: connection to the server lost, reconnecting…'));
    else if (status === 'open') this.#note(this.#o.style.dim('vibes: reconnected'));
    else {
      this.#note(this.#o.style.red(`vibes: the event stream closed${error ? `: ${error.message}` : ''}`));
      this.#leave(1);
    }
  }

  #listenForInput(): void {
    const rl = createInterface({ input: this.#stdin, ...(this.#interactive ? { output: this.#stdout, terminal: true } : { terminal: false }) });
    this.#rl = rl;
    rl.on('line', (line) => this.#line(line));
    rl.on('close', () => this.#endOfInput());
    const onInterrupt = () => this.#interrupt();
    rl.on('SIGINT', onInterrupt);
    process.on('SIGINT', onInterrupt);
    this.#cleanups.push(() => process.off('SIGINT', onInterrupt));
  }

  #line(raw: string): void {
    this.#promptShown = false;
    const line = raw.trim();
    if (line === '' || this.#done) {
      this.#showPrompt();
      return;
    }
    if (ALLOW.test(line) || DENY.test(line)) {
      this.#answer(ALLOW.test(line) ? 'allow' : 'deny');
      return;
    }
    this.#leaveArmed = false;
    this.#inFlight += 1;
    this.#awaitingEcho += 1;
    // The answer's session snapshot may be older than what the stream already said: only the stream sets state.
    this.#o.api.sendInput(this.#session.id, line, 'cli').then(
      () => {
        this.#inFlight -= 1;
        this.#checkDone();
      },
      (error: unknown) => {
        this.#inFlight -= 1;
        this.#awaitingEcho = Math.max(0, this.#awaitingEcho - 1);
        this.#note(this.#o.style.red(`vibes: input not sent: ${(error as Error).message}`));
        this.#checkDone();
      },
    );
  }

  /** `a` / `d` answer the oldest pending request; the rest wait their turn. */
  #answer(behavior: 'allow' | 'deny'): void {
    const request = [...this.#pending.values()].sort((a, b) => a.requested_at - b.requested_at)[0];
    if (!request) {
      this.#note(this.#o.style.dim('vibes: no permission request is waiting'));
      this.#showPrompt();
      return;
    }
    this.#pending.delete(request.request_id);
    this.#inFlight += 1;
    this.#o.api.answerPermission(this.#session.id, request.request_id, { behavior }).then(
      () => {
        this.#inFlight -= 1;
        this.#checkDone();
      },
      (error: unknown) => {
        this.#inFlight -= 1;
        this.#note(this.#o.style.red(`vibes: answer not taken: ${(error as Error).message}`));
        this.#checkDone();
      },
    );
  }

  #interrupt(): void {
    if (this.#done) return;
    if (this.#leaveArmed) {
      this.#note(this.#o.style.dim('vibes: leaving the session'));
      this.#leave(this.#lastTurnOk === false || this.#busy() ? 1 : 0);
      return;
    }
    this.#leaveArmed = true;
    if (this.#busy()) {
      this.#note(this.#o.style.yellow('Interrupting… (Ctrl-C again to leave)'));
      this.#o.api.interrupt(this.#session.id).catch((error: unknown) => {
        this.#note(this.#o.style.red(`vibes: interrupt failed: ${(error as Error).message}`));
      });
    } else {
      this.#note(this.#o.style.dim('(Ctrl-C again to leave)'));
    }
  }

  #endOfInput(): void {
    if (this.#done) return;
    if (this.#o.mode === 'attach') {
      // A pipe that ends means nothing more to type; keep watching. A terminal's Ctrl-D means leave.
      if (this.#interactive) this.#leave(0);
      return;
    }
    this.#inputClosed = true;
    this.#checkDone();
  }

  /** `vibes claude` with its input at an end leaves once every turn it asked for is over. */
  #checkDone(): void {
    if (this.#done || !this.#ready || !this.#inputClosed) return;
    if (this.#inFlight > 0 || this.#awaitingEcho > 0) return;
    if (this.#lastOwnInputSeq > 0 && this.#lastTurnSeq < this.#lastOwnInputSeq) return;
    if (this.#busy() || this.#session.queued_inputs > 0) return;
    this.#leave(this.#lastTurnOk === false ? 1 : 0);
  }

  #busy(): boolean {
    return this.#session.state === 'processing' || this.#session.state === 'waiting_permission';
  }

  #leave(code: number): void {
    if (this.#done) return;
    this.#done = true;
    this.#printer.endLine();
    for (const cleanup of this.#cleanups) cleanup();
    this.#rl?.close();
    this.#stdin.destroy();
    this.#o.stream.close();
    this.#finish?.(code);
  }

  #showPrompt(): void {
    if (!this.#interactive || this.#done || !this.#ready || this.#inputClosed) return;
    const label = this.#pending.size > 0 ? `${this.#o.style.yellow('[a]llow / [d]eny')} › ` : this.#busy() ? null : '› ';
    if (label === null) return;
    this.#printer.endLine();
    this.#rl?.setPrompt(label);
    this.#rl?.prompt(true);
    this.#promptShown = true;
  }

  #write(text: string): void {
    if (this.#promptShown) {
      this.#stdout.write('\r\u001b[2K');
      this.#promptShown = false;
    }
    this.#stdout.write(text);
  }

  /** Status lines: on stderr with --json so stdout stays one JSON document per line. */
  #note(text: string): void {
    if (this.#o.json) {
      this.#stderr.write(`${text}\n`);
      return;
    }
    this.#printer.line(text);
  }

  #json(event: ServerEvent): void {
    if (this.#o.json) this.#stdout.write(`${JSON.stringify(event)}\n`);
  }
}
