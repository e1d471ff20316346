import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { ApiClient } from '../../lib/client/node/api-client.ts';
import type { EventStream } from '../../lib/client/node/event-stream.ts';
import { RECONNECT_MAX_DELAY_MS } from '../../lib/client/node/event-stream.ts';
import { attachmentLabel, endText } from '../../lib/client/shared/labels.ts';
import {
  contextNearLimit,
  describeContext,
  type Attachment,
  type PermissionAnswerBody,
  type ServerEvent,
  type SessionInfo,
  type TranscriptEntry,
} from '../../lib/protocol/index.ts';
import { uploadFiles } from './attachments.ts';
import { CommandCompleter } from './command-completer.ts';
import { DecisionInput } from './decision-input.ts';
import { shortId } from './ids.ts';
import { promptFor, questionLines } from './decision-view.ts';
import { SessionTracker } from './session-tracker.ts';
import type { Style } from './style.ts';
import { terminalText } from './terminal-text.ts';
import { TranscriptPrinter } from './transcript-printer.ts';
import { errorMessage } from '../../lib/protocol/text.ts';

const HISTORY_EVENTS = 200;
/** `:attach PATH`, `:attach`, `:detach`: the console's own line commands. */
const ATTACH_COMMAND = /^:(attach|detach)(?:\s+(.*))?$/;
/** How long leaving may wait for the server to take this terminal off the session. */
const RELEASE_TIMEOUT_MS = 2_000;
/** Failed reconnects after which an outage is reported a second (and last) time. */
const OUTAGE_REPORT_AFTER = 5;

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
  /** Uploaded already (`vibes claude --image` without a prompt): they go with the first line typed. */
  attachments?: Attachment[];
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
 * the transcript as it streams, input lines to the session, the waiting decision answered by
 * letter or number (see DecisionInput), Ctrl-C to interrupt and a second one to leave.
 * The terminal side lives here; what the events mean for the session is SessionTracker's.
 * Resolves with the exit code.
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
  readonly #tracker: SessionTracker;
  readonly #cleanups: (() => void)[] = [];
  #rl: Interface | null = null;
  /** starting: the history is being printed, live events wait in the backlog; then live; draining: the input
   * ended (`vibes claude`), so it leaves once its turns are over; left. */
  #phase: { name: 'starting'; backlog: ServerEvent[] } | { name: 'live' | 'draining' | 'left' } = { name: 'starting', backlog: [] };
  /** The prompt is on the last line, to be erased before anything else is printed. */
  #promptShown = false;
  /** Ctrl-C was pressed and no line sent since: the next one leaves. */
  #leaveArmed = false;
  /** The decision being answered, with what was typed for it so far. */
  #answering: DecisionInput | null = null;
  /** The question decision whose first question is on screen. */
  #askedFor: string | null = null;
  #finish: ((code: number) => void) | null = null;
  /** Failed reconnects in the current outage; null while connected. */
  #outageAttempts: number | null = null;
  /** Decisions already announced on stderr, when nobody can answer at a terminal prompt. */
  readonly #announced = new Set<string>();
  /** Files and images that go with the next line sent (`:attach PATH`). */
  #attachments: Attachment[] = [];

  constructor(options: ConsoleOptions) {
    this.#o = options;
    this.#attachments = [...(options.attachments ?? [])];
    this.#stdin = options.stdin ?? process.stdin;
    this.#stdout = options.stdout ?? process.stdout;
    this.#stderr = options.stderr ?? process.stderr;
    this.#interactive = Boolean(this.#stdin.isTTY && this.#stdout.isTTY) && !options.json;
    this.#tracker = new SessionTracker(options.session, options.stream.clientId, options.promptSent);
    this.#printer = new TranscriptPrinter({
      style: options.style,
      write: (text) => this.#write(text),
      ownClientId: options.stream.clientId,
      echoOwnInput: !this.#interactive,
      // Piped, the text stays the Markdown Claude wrote, for whatever reads it.
      ...(this.#stdout.isTTY ? { markdownWidth: () => this.#stdout.columns || Number(process.env.COLUMNS) || 80 } : {}),
    });
  }

  get #session(): SessionInfo {
    return this.#tracker.session;
  }

  run(): Promise<number> {
    return new Promise<number>((resolve) => {
      this.#finish = resolve;
      this.#cleanups.push(this.#o.stream.on((event) => this.#receive(event)));
      this.#cleanups.push(this.#o.stream.onStatus((status, error) => this.#connection(status, error)));
      for (const event of this.#o.earlier) this.#receive(event);
      this.#listenForInput();
      this.#start().catch((error: unknown) => {
        this.#note(this.#o.style.red(`vibes: ${errorMessage(error)}`));
        this.#leave(1);
      });
    });
  }

  async #start(): Promise<void> {
    if (!this.#o.json) this.#printer.header(this.#session);
    if (this.#o.history) await this.#printHistory();
    // Left meanwhile (the session was removed while the history loaded): nothing more to show.
    if (this.#phase.name !== 'starting') return;
    const { backlog } = this.#phase;
    this.#phase = { name: 'live' };
    for (const event of backlog) this.#receive(event);
    if (this.#o.history && !this.#o.json) for (const request of this.#tracker.pending()) this.#printer.permission(request);
    this.#announcePending();
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
    if (this.#phase.name === 'left') return;
    if (this.#phase.name === 'starting' && event.type === 'session_event') {
      this.#phase.backlog.push(event);
      return;
    }
    switch (event.type) {
      case 'session_event':
        if (event.session_id !== this.#session.id || !this.#tracker.isNew(event)) return;
        this.#transcript({ seq: event.seq, at: event.at, event: event.event }, false);
        this.#showPrompt();
        this.#checkDone();
        return;
      case 'session_updated':
        if (event.session.id !== this.#session.id) return;
        this.#json(event);
        this.#updated(event.session);
        return;
      case 'session_removed': {
        if (event.session_id !== this.#session.id) return;
        this.#json(event);
        if (!this.#o.json) this.#printer.removed(event.reason);
        // Its machine went away (a cluster node stopped or lost): nobody chose to end it, so say how to go on.
        if (event.reason === 'server_stopped' || event.reason === 'node_lost')
          this.#show(this.#o.style.dim(`Continue it with \`vibes sessions resume ${shortId(this.#session.id)}\`.`));
        const finishedWell = event.reason === 'session_finished' && this.#tracker.lastTurnOk !== false;
        this.#leave(this.#o.mode === 'attach' || finishedWell ? 0 : 1, 'gone');
        return;
      }
      case 'ownership_transferred':
        if (event.session_id !== this.#session.id) return;
        this.#json(event);
        this.#show(this.#o.style.bold(event.you_are_owner ? 'You now own this session.' : 'Another client now owns this session.'));
        return;
      case 'resync':
        void this.#catchUp();
        return;
      default:
        return;
    }
  }

  #transcript(entry: TranscriptEntry, fromHistory: boolean): void {
    const { event } = entry;
    if (this.#o.json) this.#json({ type: 'session_event', session_id: this.#session.id, seq: entry.seq, at: entry.at, event });
    else this.#printer.event(event);
    this.#tracker.apply(entry, fromHistory);
    this.#dropStaleAnswer();
    if (this.#phase.name !== 'starting') this.#announcePending();
  }

  /**
   * Without a terminal prompt (input piped, or --json) a waiting decision would stall silently:
   * say on stderr what waits and how to answer it.
   */
  #announcePending(): void {
    if (this.#interactive || this.#phase.name === 'left') return;
    for (const decision of this.#tracker.pending()) {
      if (this.#announced.has(decision.request_id)) continue;
      this.#announced.add(decision.request_id);
      const id = shortId(this.#session.id);
      const what = decision.title ?? `Claude wants to use ${decision.tool_name}`;
      const here = this.#phase.name === 'draining' ? '' : 'write "a" (allow) or "d" (deny) to this command\'s input, or ';
      this.#writeError(
        `vibes: waiting for a decision in session ${id}: ${what}. To answer it, ${here}run \`vibes sessions attach ${id}\` in a terminal, or open the dashboard.\n`,
      );
    }
  }

  #updated(session: SessionInfo): void {
    const previous = this.#session;
    const failed = this.#tracker.updated(session);
    this.#dropStaleAnswer();
    if (session.model !== previous.model && session.model !== null && previous.model !== null) {
      this.#show(this.#o.style.dim(`· model: ${session.model}`));
    }
    if (session.context && contextNearLimit(session.context) && !(previous.context && contextNearLimit(previous.context))) {
      this.#show(this.#o.style.yellow(`· ${describeContext(session.context)}`));
    }
    if (failed) {
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
      const session = await this.#o.api.getSession(this.#session.id);
      if (this.#endedMeanwhile(session)) return;
      this.#updated(session);
      for (;;) {
        const page = await this.#o.api.events(this.#session.id, { after: this.#tracker.lastSeq, limit: 1000 });
        for (const entry of page.events) this.#transcript(entry, false);
        if (page.events.length === 0 || this.#tracker.lastSeq >= page.last_seq) break;
      }
    } catch (error) {
      this.#failed('lost the session', error);
      this.#leave(1);
    }
  }

  /** One line when the server goes away, one more if it stays away, none per retry (the stream backs off). */
  #connection(status: 'open' | 'reconnecting' | 'closed', error?: Error): void {
    if (this.#phase.name === 'left') return;
    if (status === 'reconnecting') {
      if (this.#outageAttempts === null) {
        this.#outageAttempts = 0;
        this.#note(this.#o.style.dim('vibes: connection to the server lost, reconnecting…'));
      } else if (++this.#outageAttempts === OUTAGE_REPORT_AFTER) {
        this.#note(
          this.#o.style.yellow(
            `vibes: the server still does not answer; retrying every ${Math.round(RECONNECT_MAX_DELAY_MS / 1000)} s. Ctrl-C leaves; \`vibes serve status\` tells whether it runs.`,
          ),
        );
      }
    } else if (status === 'open') {
      this.#outageAttempts = null;
      void this.#afterReconnect();
    } else {
      this.#note(this.#o.style.red(`vibes: the event stream closed${error ? `: ${error.message}` : ''}`));
      this.#leave(1, 'gone');
    }
  }

  /** The server may have restarted meanwhile, ending the session: say so at once rather than at the next line typed. */
  async #afterReconnect(): Promise<void> {
    try {
      const session = await this.#o.api.getSession(this.#session.id);
      // The stream may have said meanwhile that the session ended: then there is nothing to resume.
      if (this.#endedMeanwhile(session) || this.#phase.name === 'left') return;
      this.#note(this.#o.style.dim('vibes: reconnected'));
    } catch (error) {
      this.#failed('lost the session', error);
      this.#leave(1, 'gone');
    }
  }

  #endedMeanwhile(session: SessionInfo): boolean {
    if (session.ended_at === null || this.#phase.name === 'left') return false;
    const id = shortId(session.id);
    this.#note(this.#o.style.bold(endText(session, session.end_reason)));
    this.#note(this.#o.style.dim(`Continue it with \`vibes sessions resume ${id}\`.`));
    this.#leave(this.#o.mode === 'attach' ? 0 : 1, 'gone');
    return true;
  }

  #listenForInput(): void {
    const rl = createInterface({
      input: this.#stdin,
      ...(this.#interactive ? { output: this.#stdout, terminal: true, completer: this.#commandCompleter().complete } : { terminal: false }),
    });
    this.#rl = rl;
    rl.on('line', (line) => this.#line(line));
    rl.on('close', () => this.#endOfInput());
    const onInterrupt = () => this.#interrupt();
    rl.on('SIGINT', onInterrupt);
    process.on('SIGINT', onInterrupt);
    this.#cleanups.push(() => process.off('SIGINT', onInterrupt));
    // Ended by the system or a closed terminal: leave as on purpose, so the session passes to the
    // next viewer now rather than after the server's grace period for dropped connections.
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      const onSignal = () => this.#leave(code);
      process.on(signal, onSignal);
      this.#cleanups.push(() => process.off(signal, onSignal));
    }
  }

  /** `/` + Tab: the session's slash commands, asked again when Claude's session changes (a resume, a /clear). */
  #commandCompleter(): CommandCompleter {
    return new CommandCompleter(
      () => this.#o.api.listCommands(this.#session.id),
      () => this.#session.claude_session_id ?? '',
    );
  }

  #line(raw: string): void {
    this.#promptShown = false;
    const line = raw.trim();
    if (this.#phase.name === 'left' || (line === '' && !this.#answering?.awaitingFeedback)) {
      this.#showPrompt();
      return;
    }
    // While a decision waits, lines answer it (a typed prompt waits until it is answered).
    if (this.#tracker.oldestPending()) {
      this.#answerLine(line);
      return;
    }
    if (/^[ad]$/i.test(line)) {
      this.#note(this.#o.style.dim('vibes: no permission request is waiting'));
      this.#showPrompt();
      return;
    }
    const command = ATTACH_COMMAND.exec(line);
    if (command) {
      this.#attachCommand(command[1] === 'detach', command[2] ?? '');
      return;
    }
    this.#leaveArmed = false;
    this.#tracker.inputSent();
    const attachments = this.#attachments.map((attachment) => attachment.id);
    this.#attachments = [];
    // The answer's session snapshot may be older than what the stream already said: only the stream sets state.
    this.#request(this.#o.api.sendInput(this.#session.id, line, 'cli', attachments), 'input not sent', () => this.#tracker.inputFailed());
  }

  /**
   * `:attach PATH` uploads a file for the next message, `:attach` lists what will go, `:detach`
   * drops it all. A colon, because `/` starts Claude's own slash commands and `@path` is Claude
   * Code's way to mention a file of the project, which Claude then reads itself.
   */
  #attachCommand(detach: boolean, argument: string): void {
    const done = () => this.#showPrompt();
    if (detach) {
      this.#note(this.#o.style.dim(`vibes: ${this.#attachments.length} attachment(s) dropped`));
      this.#attachments = [];
      return done();
    }
    if (argument === '') {
      const names = this.#attachments.map(attachmentLabel).join(', ');
      this.#note(
        this.#o.style.dim(names ? `vibes: with your next message: ${names}` : 'vibes: nothing attached; `:attach PATH` adds a file'),
      );
      return done();
    }
    const path = resolve(argument.replace(/^(["'])(.*)\1$/, '$2').replace(/^~(?=$|\/)/, homedir()));
    uploadFiles(this.#o.api, this.#session.id, [{ path, image: false }]).then(
      ([attachment]) => {
        this.#attachments.push(attachment!);
        this.#note(this.#o.style.dim(`vibes: attached ${attachmentLabel(attachment!)}; it goes with your next message`));
        done();
      },
      (error: unknown) => {
        this.#failed('not attached', error);
        done();
      },
    );
  }

  /** A line for the oldest waiting decision: it may answer it, or move on to its next question. */
  #answerLine(line: string): void {
    const decision = this.#tracker.oldestPending();
    if (!decision) return;
    if (this.#answering?.decision.request_id !== decision.request_id) this.#answering = new DecisionInput(decision);
    const step = this.#answering.take(line);
    if (step.type === 'invalid') {
      this.#note(this.#o.style.yellow(step.message));
      this.#showPrompt();
      return;
    }
    if (step.type === 'ask') {
      this.#askCurrentQuestion();
      this.#showPrompt();
      return;
    }
    this.#answering = null;
    this.#send(decision.request_id, step.body);
  }

  #send(requestId: string, body: PermissionAnswerBody): void {
    this.#tracker.answered(requestId);
    this.#request(this.#o.api.answerPermission(this.#session.id, requestId, body), 'answer not taken');
  }

  /** A request that `vibes claude` waits for before it leaves (see checkDone); a failure is said, not thrown. */
  #request(call: Promise<unknown>, failure: string, onFailure?: () => void): void {
    this.#tracker.requestStarted();
    call.then(
      () => {
        this.#tracker.requestEnded();
        this.#checkDone();
      },
      (error: unknown) => {
        this.#tracker.requestEnded();
        onFailure?.();
        this.#failed(failure, error);
        this.#checkDone();
      },
    );
  }

  #askCurrentQuestion(): void {
    const decision = this.#tracker.oldestPending();
    if (!decision || decision.display.type !== 'question' || this.#o.json) return;
    this.#answering ??= new DecisionInput(decision);
    if (this.#answering.awaitingFeedback) return;
    const question = decision.display.questions[this.#answering.questionIndex];
    if (question) for (const line of questionLines(question, this.#o.style)) this.#printer.line(line);
  }

  /** Forgets half-typed answers to a decision that someone else answered (or Claude withdrew). */
  #dropStaleAnswer(): void {
    if (this.#answering && !this.#tracker.isPending(this.#answering.decision.request_id)) this.#answering = null;
    const next = this.#tracker.oldestPending();
    if (next && !this.#answering && next.display.type === 'question' && this.#askedFor !== next.request_id) {
      this.#askedFor = next.request_id;
      this.#answering = new DecisionInput(next);
      this.#askCurrentQuestion();
    }
  }

  #interrupt(): void {
    if (this.#phase.name === 'left') return;
    if (this.#leaveArmed) {
      this.#note(this.#o.style.dim('vibes: leaving the session'));
      this.#leave(this.#tracker.lastTurnOk === false || this.#tracker.busy ? 1 : 0);
      return;
    }
    this.#leaveArmed = true;
    if (this.#tracker.turnUnderWay) {
      this.#note(this.#o.style.yellow('Interrupting… (Ctrl-C again to leave)'));
      this.#o.api.interrupt(this.#session.id).catch((error: unknown) => this.#failed('interrupt failed', error));
    } else {
      this.#note(this.#o.style.dim('(Ctrl-C again to leave)'));
    }
  }

  #endOfInput(): void {
    if (this.#phase.name === 'left') return;
    if (this.#o.mode === 'attach') {
      // A pipe that ends means nothing more to type; keep watching. A terminal's Ctrl-D means leave.
      if (this.#interactive) this.#leave(0);
      return;
    }
    // `vibes claude` has no history to print: it is live before its input can end.
    this.#phase = { name: 'draining' };
    this.#checkDone();
  }

  /** `vibes claude` with its input at an end leaves once every turn it asked for is over. */
  #checkDone(): void {
    if (this.#phase.name !== 'draining' || !this.#tracker.settled) return;
    this.#leave(this.#tracker.lastTurnOk === false ? 1 : 0);
  }

  /**
   * Leaving on purpose (Ctrl-D, end of input, Ctrl-C twice, the session over) takes this terminal
   * off the session at once: ownership passes on now, not after the grace meant for dropped links.
   * `gone`: the session is off the live list already (removed, or ended while the server was away).
   */
  #leave(code: number, session: 'held' | 'gone' = 'held'): void {
    if (this.#phase.name === 'left') return;
    this.#phase = { name: 'left' };
    this.#printer.flush();
    for (const cleanup of this.#cleanups) cleanup();
    this.#rl?.close();
    this.#stdin.destroy();
    void (session === 'gone' ? Promise.resolve() : this.#release()).finally(() => {
      this.#o.stream.close();
      this.#finish?.(code);
    });
  }

  async #release(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, RELEASE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.#o.api.unsubscribe(this.#session.id).then(() => undefined), timeout]);
    } catch {
      // Already off it (ended, killed): nothing to release.
    } finally {
      clearTimeout(timer);
    }
  }

  #showPrompt(): void {
    if (!this.#interactive || this.#phase.name !== 'live') return;
    const decision = this.#tracker.oldestPending();
    const label = decision
      ? this.#o.style.yellow(this.#answering?.awaitingFeedback ? 'feedback › ' : promptFor(decision, this.#answering?.questionIndex ?? 0))
      : this.#tracker.busy
        ? null
        : '› ';
    if (label === null) return;
    this.#printer.endLine();
    this.#rl?.setPrompt(terminalText(label));
    this.#rl?.prompt(true);
    this.#promptShown = true;
  }

  /** Every line of the view goes out here, made safe for the terminal (see terminalText). */
  #write(text: string): void {
    if (this.#promptShown) {
      this.#stdout.write('\r\u001b[2K');
      this.#promptShown = false;
    }
    this.#stdout.write(terminalText(text));
  }

  #writeError(text: string): void {
    this.#stderr.write(terminalText(text));
  }

  /** Status lines: on stderr with --json so stdout stays one JSON document per line. */
  #note(text: string): void {
    if (this.#o.json) {
      this.#writeError(`${text}\n`);
      return;
    }
    this.#printer.line(text);
  }

  /** Lines for a person only: with --json, stdout is the events alone. */
  #show(text: string): void {
    if (!this.#o.json) this.#printer.line(text);
  }

  #failed(what: string, error: unknown): void {
    this.#note(this.#o.style.red(`vibes: ${what}: ${errorMessage(error)}`));
  }

  #json(event: ServerEvent): void {
    if (this.#o.json) this.#stdout.write(`${JSON.stringify(event)}\n`);
  }
}
