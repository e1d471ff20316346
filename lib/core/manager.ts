import { normalize } from 'node:path';
import type {
  ChangeBase,
  ChangesResponse,
  FilePatchResponse,
  TurnChangesResponse,
  EndReason,
  InputSource,
  PermissionMode,
  RecentProject,
  RemovalReason,
  SessionInfo,
  TranscriptEntry,
} from '../protocol/index.ts';
import type { AttachmentStore, StoredAttachment } from './attachments/store.ts';
import type { AgentFactory } from './agent.ts';
import { requireDirectory } from './directory.ts';
import type { Bus } from './bus.ts';
import { VibesError, notFound } from './errors.ts';
import { sessionInfoFor, type CoreEvent, type SessionSnapshot } from './events.ts';
import type { ClientId } from './ownership.ts';
import { Session, type SessionInit } from './session.ts';
import { projectOf, sessionTitle, titleFromPrompt, untitled } from './summary.ts';
import { MemoryStore, type HistoryQuery, type SessionStore, type StoreWrite } from './store.ts';
import { storedFields } from './store-rows.ts';
import { WorkTracker } from './work/tracker.ts';
import { requireWirePath, toolWrites, turnChangesOf } from './work/turns.ts';
import { errorMessage } from '../protocol/text.ts';

export interface SessionManagerOptions {
  bus: Bus<CoreEvent>;
  agentFactory: AgentFactory;
  /** Live sessions allowed at once. */
  maxSessions?: number;
  clock?: () => number;
  /** Where sessions and transcripts are kept; in memory when not given. */
  store?: SessionStore;
  /**
   * `tick`: what the sessions publish is committed to the store in one transaction, then
   * delivered on the bus (the server); while one transaction is under way the next tick's events
   * wait and go in the one after, in order. `sync`: each event is delivered at once and written
   * behind (unit tests, which look at the bus right after acting, on a store that answers in the call).
   */
  delivery?: 'tick' | 'sync';
  /** Sessions may run in `bypassPermissions`: the server was started with that opt-in. */
  allowBypass?: boolean;
  /** In a cluster: this node's name, shown with its sessions. */
  node?: string | null;
  /** Follow each session's changes in its folder with git (the server); off in core unit tests. */
  trackWork?: boolean;
  /** Where files and images sent in prompts are kept; without one, none are taken. */
  attachments?: AttachmentStore;
  /** Absolute folders the changes never list, even inside a session's folder (vibes' own home: token, database). */
  hiddenFromWork?: readonly string[];
}

export interface CreateSessionOptions {
  ownerId: ClientId;
  cwd: string;
  name?: string | null;
  model?: string | null;
  permissionMode?: PermissionMode;
  /** The first instruction, sent as soon as the agent runs. */
  prompt?: string;
  source?: InputSource;
  /** The first prompt was typed on a device that tells Claude it is a phone. */
  onPhone?: boolean;
  /** The fake Claude answers instead of the real one. */
  demo?: boolean;
}

/**
 * Transcript entries in one commit at most: a burst goes in several transactions one after the
 * other, so preparing one (its SQL, its JSON) never holds the event loop for long.
 */
const MAX_EVENTS_PER_COMMIT = 1000;

/** Recent working directories offered when starting a session. */
const RECENT_PROJECTS = 12;

/** Holds the live sessions: create, look up, query by client, and remove (ending the agent). */
export class SessionManager {
  readonly bus: Bus<CoreEvent>;
  readonly #maxSessions: number;
  readonly #clock: () => number;
  readonly #sessions = new Map<string, Session>();
  readonly #removals = new Map<string, Promise<void>>();
  readonly #resuming = new Set<string>();
  readonly #store: SessionStore;
  readonly #delivery: 'tick' | 'sync';
  /** What every session is made with, whether new or resumed. */
  readonly #sessionParts: Omit<SessionInit, 'id' | 'name' | 'cwd' | 'model' | 'ownerId'>;
  #outbox: CoreEvent[] = [];
  /** Per live session, what was last written of it (`storedFields`). */
  readonly #written = new Map<string, string>();
  #endings: { sessionId: string; reason: EndReason; at: number }[] = [];
  #flushScheduled: NodeJS.Immediate | null = null;
  /** The commit under way: it takes everything recorded before it ends (see `flush`). */
  #committing: Promise<void> | null = null;
  /** Why writes fail while they do (a full database): said once, not at every flush. */
  #storeFailure: string | null = null;

  constructor(options: SessionManagerOptions) {
    this.bus = options.bus;
    this.#store = options.store ?? new MemoryStore();
    this.#delivery = options.delivery ?? 'sync';
    this.#maxSessions = options.maxSessions ?? Number.POSITIVE_INFINITY;
    this.#clock = options.clock ?? Date.now;
    this.#sessionParts = {
      allowBypass: options.allowBypass ?? false,
      node: options.node ?? null,
      trackWork: options.trackWork ?? false,
      attachments: options.attachments,
      hiddenFromWork: options.hiddenFromWork ?? [],
      agentFactory: options.agentFactory,
      publish: (event) => this.#record(event),
      onAgentExited: (exited, failure) => this.#onAgentExited(exited, failure),
      clock: this.#clock,
    };
  }

  async create(options: CreateSessionOptions): Promise<Session> {
    this.#requireRoom();
    await requireDirectory(options.cwd);
    const session = new Session({
      ...this.#sessionParts,
      id: crypto.randomUUID(),
      name: options.name ?? null,
      cwd: normalize(options.cwd),
      model: options.model ?? null,
      permissionMode: options.permissionMode,
      ownerId: options.ownerId,
      demo: options.demo,
    });
    this.#sessions.set(session.id, session);
    this.#record({ type: 'session_updated', session: session.snapshot() });
    await session.start();
    if (options.prompt !== undefined && session.state === 'idle') {
      session.sendInput(options.prompt, { clientId: options.ownerId, source: options.source ?? 'api', onPhone: options.onPhone === true });
    }
    return session;
  }

  /**
   * Continues an ended session: a new Claude process resumes Claude's latest session id, the
   * transcript goes on from its last seq, and the caller owns and subscribes to it.
   */
  async resume(sessionId: string, clientId: ClientId): Promise<Session> {
    if (this.#sessions.has(sessionId) || this.#resuming.has(sessionId)) {
      throw new VibesError('INVALID_STATE', `Session ${sessionId} is running: there is nothing to resume`);
    }
    const stored = await this.#store.getSession(sessionId);
    if (!stored) throw notFound(sessionId);
    if (stored.claude_session_id === null) {
      throw new VibesError('INVALID_STATE', `Session ${sessionId} cannot be resumed: Claude never started a conversation in it`);
    }
    this.#requireRoom();
    this.#resuming.add(sessionId);
    try {
      await requireDirectory(stored.cwd);
      await this.flush();
      const lastSeq = await this.#store.lastSeq(sessionId);
      const session = new Session({
        ...this.#sessionParts,
        id: sessionId,
        name: stored.name,
        pinned: stored.pinned,
        cwd: stored.cwd,
        model: stored.model,
        // A bypass the server no longer allows falls back to asking.
        permissionMode:
          stored.permission_mode === 'bypassPermissions' && !this.#sessionParts.allowBypass ? 'default' : stored.permission_mode,
        ownerId: clientId,
        demo: stored.demo,
        claudeSessionId: stored.claude_session_id,
        startCommit: stored.start_commit,
        resumeFrom: {
          createdAt: stored.created_at,
          lastActivityAt: stored.last_activity_at,
          lastSeq,
          costUsd: stored.cost_usd,
          todos: stored.todos,
          title: stored.name === null && stored.title !== untitled(stored.id) ? stored.title : null,
          preview: stored.preview,
        },
      });
      session.restore(await this.#storedEvents(sessionId));
      await this.#store.reopen(sessionId);
      this.#sessions.set(sessionId, session);
      this.#record({ type: 'session_updated', session: session.snapshot() });
      await session.start();
      return session;
    } finally {
      this.#resuming.delete(sessionId);
    }
  }

  #requireRoom(): void {
    if (this.#sessions.size >= this.#maxSessions) {
      throw new VibesError('TOO_MANY_SESSIONS', `At most ${this.#maxSessions} sessions can run at once`);
    }
  }

  /** A live session. An unknown id is NOT_FOUND; an ended one INVALID_STATE (resume it first). */
  async get(sessionId: string): Promise<Session> {
    return this.#sessions.get(sessionId) ?? this.#notLive(sessionId);
  }

  async #notLive(sessionId: string): Promise<never> {
    const stored = await this.#store.getSession(sessionId);
    if (stored) {
      throw new VibesError(
        'INVALID_STATE',
        `Session ${sessionId} has ended (${stored.end_reason ?? 'server_restarted'}); resume it to continue`,
      );
    }
    throw notFound(sessionId);
  }

  /** A live session as `clientId` sees it, or an ended one from history. */
  async info(sessionId: string, clientId: ClientId | null): Promise<SessionInfo> {
    const session = this.#sessions.get(sessionId);
    if (session) return session.infoFor(clientId);
    const stored = await this.#store.getSession(sessionId);
    if (!stored) throw notFound(sessionId);
    return sessionInfoFor(stored, clientId);
  }

  /** A file or image sent in a live or ended session: any viewer may see it, as the transcript it is part of. */
  async attachment(sessionId: string, attachmentId: string): Promise<StoredAttachment> {
    await this.#requireKnown(sessionId);
    const { attachments } = this.#sessionParts;
    if (!attachments) throw new VibesError('NOT_FOUND', `Session ${sessionId} has no attachment ${attachmentId.slice(0, 80)}`);
    return attachments.get(sessionId, attachmentId);
  }

  /** A page of a live or ended session's transcript, read from the store. */
  async readEvents(sessionId: string, after: number, limit: number): Promise<{ events: TranscriptEntry[]; last_seq: number }> {
    await this.#requireKnown(sessionId);
    const [events, lastSeq] = await Promise.all([this.#store.readEvents(sessionId, after, limit), this.#store.lastSeq(sessionId)]);
    return { events, last_seq: lastSeq };
  }

  async #requireKnown(sessionId: string): Promise<void> {
    if (!this.#sessions.has(sessionId) && !(await this.#store.getSession(sessionId))) throw notFound(sessionId);
  }

  /** Ended sessions, the most recently ended first. */
  async history(query: HistoryQuery, clientId: ClientId | null = null): Promise<SessionInfo[]> {
    return (await this.#store.listEnded(query))
      .filter((snapshot) => !this.#sessions.has(snapshot.id))
      .map((snapshot) => sessionInfoFor(snapshot, clientId));
  }

  /** The working directories sessions ran in, the most recently active first. */
  async recentProjects(limit = RECENT_PROJECTS): Promise<RecentProject[]> {
    await this.flush();
    return (await this.#store.recentProjects(limit)).map((use) => ({
      cwd: use.cwd,
      project: projectOf(use.cwd),
      last_active_at: use.lastActiveAt,
    }));
  }

  /**
   * Names a session (null: back to the title from its first prompt). A live one needs the caller
   * subscribed, as input and kill do, and every client hears of it; an ended one, which anyone
   * may resume, is changed in the history.
   */
  async rename(sessionId: string, name: string | null, clientId: ClientId): Promise<SessionInfo> {
    const live = this.#sessions.get(sessionId);
    if (live) {
      live.rename(name, clientId);
      return live.infoFor(clientId);
    }
    const promptTitle = name === null ? await this.#promptTitleOf(sessionId) : null;
    return this.#changeEnded(sessionId, clientId, (stored) => ({
      ...stored,
      name,
      title: sessionTitle(name, promptTitle, sessionId),
    }));
  }

  /** Pins a session to the top of the list, or unpins it; who may is as for rename. */
  async setPinned(sessionId: string, pinned: boolean, clientId: ClientId): Promise<SessionInfo> {
    const live = this.#sessions.get(sessionId);
    if (live) {
      live.setPinned(pinned, clientId);
      return live.infoFor(clientId);
    }
    return this.#changeEnded(sessionId, clientId, (stored) => ({ ...stored, pinned }));
  }

  /** An ended session is only in the store: the change is written there and answered (no live list shows it). */
  async #changeEnded(sessionId: string, clientId: ClientId, change: (stored: SessionSnapshot) => SessionSnapshot): Promise<SessionInfo> {
    if (this.#resuming.has(sessionId)) throw new VibesError('INVALID_STATE', `Session ${sessionId} is being resumed: try again`);
    const stored = await this.#store.getSession(sessionId);
    if (!stored) throw notFound(sessionId);
    const changed = change(stored);
    await this.#store.write({ sessions: [changed] });
    return sessionInfoFor(changed, clientId);
  }

  /** The title a session's first prompt gives it; null when it had none. */
  async #promptTitleOf(sessionId: string): Promise<string | null> {
    for (const { event } of await this.#storedEvents(sessionId)) {
      if (event.type === 'user_input' && event.content !== '') return titleFromPrompt(event.content);
    }
    return null;
  }

  /**
   * Commits everything published so far in one transaction, then delivers it on the bus in
   * order: no client ever sees an event a crash could lose. Settles once all of it is delivered;
   * what is published while a commit is under way goes in the next one.
   */
  flush(): Promise<void> {
    if (this.#flushScheduled) clearImmediate(this.#flushScheduled);
    this.#flushScheduled = null;
    this.#committing ??= this.#commitAll().finally(() => (this.#committing = null));
    // What was recorded after the commit under way last looked is taken by the next one.
    return this.#committing.then(() => (this.#outbox.length > 0 || this.#endings.length > 0 ? this.flush() : undefined));
  }

  async #commitAll(): Promise<void> {
    while (this.#outbox.length > 0 || this.#endings.length > 0) await this.#commit();
  }

  async #commit(): Promise<void> {
    const { outbox, batch, written } = this.#take();
    try {
      if (batch) {
        await this.#store.write(batch);
        this.#writeWorked();
      }
      written();
    } catch (error) {
      this.#writeFailed(error);
    }
    for (const event of outbox) this.bus.publish(event);
  }

  /**
   * What was published since the last take (its first MAX_EVENTS_PER_COMMIT transcript entries),
   * and the write that keeps it: none for nothing but viewers coming and going.
   */
  #take(): { outbox: CoreEvent[]; batch: StoreWrite | null; written: () => void } {
    let cut = this.#outbox.length;
    for (let index = 0, entries = 0; index < this.#outbox.length; index++) {
      if (this.#outbox[index]!.type === 'session_event' && ++entries > MAX_EVENTS_PER_COMMIT) {
        cut = index;
        break;
      }
    }
    const outbox = this.#outbox.slice(0, cut);
    this.#outbox = this.#outbox.slice(cut);
    // A session's end goes with the commit that takes the last of what it published.
    const left = new Set(this.#outbox.map((event) => (event.type === 'session_updated' ? event.session.id : event.session_id)));
    const ended = this.#endings.filter((ending) => !left.has(ending.sessionId));
    this.#endings = this.#endings.filter((ending) => left.has(ending.sessionId));
    const sessions = new Map<string, SessionSnapshot>();
    const events: { sessionId: string; entry: TranscriptEntry }[] = [];
    for (const event of outbox) {
      if (event.type === 'session_updated') sessions.set(event.session.id, event.session);
      else if (event.type === 'session_event') events.push({ sessionId: event.session_id, entry: event.entry });
    }
    const changed = [...sessions.values()]
      .map((snapshot) => ({ snapshot, fields: storedFields(snapshot) }))
      .filter(({ snapshot, fields }) => this.#written.get(snapshot.id) !== fields);
    const batch =
      changed.length > 0 || events.length > 0 || ended.length > 0
        ? { sessions: changed.map(({ snapshot }) => snapshot), events, ended }
        : null;
    return { outbox, batch, written: () => changed.forEach(({ snapshot, fields }) => this.#written.set(snapshot.id, fields)) };
  }

  #writeWorked(): void {
    if (this.#storeFailure !== null) console.log('vibes: writing sessions to the store works again');
    this.#storeFailure = null;
  }

  /** Losing the history is bad; leaving every client frozen because the disk is full is worse. */
  #writeFailed(error: unknown): void {
    const reason = errorMessage(error);
    if (reason !== this.#storeFailure) {
      console.error(
        `vibes: writing sessions to the store failed (${reason}): sessions go on live, but what they do is not kept ` +
          'until writes work again (said once until then)',
      );
    }
    this.#storeFailure = reason;
  }

  #record(event: CoreEvent): void {
    this.#outbox.push(event);
    if (this.#delivery === 'sync') this.#deliverNow();
    else this.#flushScheduled ??= setImmediate(() => void this.flush());
  }

  /** `sync` delivery: published at once; a store that answers within the call has it already. */
  #deliverNow(): void {
    const { outbox, batch, written } = this.#take();
    if (batch) {
      written();
      this.#store.write(batch).then(
        () => this.#writeWorked(),
        (error: unknown) => this.#writeFailed(error),
      );
    }
    for (const event of outbox) this.bus.publish(event);
  }

  #end(sessionId: string, reason: EndReason): void {
    this.#written.delete(sessionId);
    this.#endings.push({ sessionId, reason, at: Math.floor(this.#clock() / 1000) });
  }

  #onAgentExited(session: Session, failure: string | null): void {
    if (failure === null && this.#sessions.get(session.id) === session) this.remove(session.id, 'session_finished').catch(() => {});
  }

  /** The files changed in a session's folder (lib/protocol/work.ts); an ended session's as its folder is now. */
  async changes(sessionId: string, base: ChangeBase): Promise<ChangesResponse> {
    return (await this.#workOf(sessionId)).changes(base);
  }

  /** One changed file's diff; `path` as the changes list names it. */
  async fileDiff(sessionId: string, path: string, base: ChangeBase): Promise<FilePatchResponse> {
    requireWirePath(path);
    return (await this.#workOf(sessionId)).filePatch(path, base);
  }

  /** What the turn started by the user_input at `seq` changed, from the transcript. */
  async turnChanges(sessionId: string, seq: string): Promise<TurnChangesResponse> {
    const at = /^[1-9]\d{0,15}$/.test(seq) ? Number(seq) : Number.NaN;
    if (!Number.isSafeInteger(at))
      throw new VibesError('VALIDATION_FAILED', `A turn is named by its user_input's seq, a positive integer: ${seq}`);
    await this.#requireKnown(sessionId);
    const [start] = await this.#store.readEvents(sessionId, at - 1, 1);
    if (start?.seq !== at || start.event.type !== 'user_input') {
      throw new VibesError('NOT_FOUND', `Entry ${seq} of session ${sessionId} is not a message that started a turn`);
    }
    // A queued message's turn begins after the turns ahead of it: find it from the start.
    const entries = await this.#storedEvents(sessionId, start.event.queued ? 0 : at - 1);
    const live = this.#sessions.get(sessionId);
    const cwd = live?.cwd ?? (await this.#store.getSession(sessionId))?.cwd ?? '/';
    return turnChangesOf(at, entries, cwd, live?.work?.inGit ?? true);
  }

  /** The live session's tracker, or for an ended one, a look at its folder now. */
  async #workOf(sessionId: string): Promise<WorkTracker> {
    const live = this.#sessions.get(sessionId);
    if (live?.work) return live.work;
    if (live) throw new VibesError('INVALID_STATE', `Session ${sessionId} does not follow its changes`);
    const stored = await this.#store.getSession(sessionId);
    if (!stored) throw notFound(sessionId);
    // In a cluster its folder is on the machine that ran it: the same path here may be another folder.
    if (stored.node !== null && stored.node !== this.#sessionParts.node) {
      throw new VibesError('INVALID_STATE', `Session ${sessionId} ran on ${stored.node}: resume it to see its changes`);
    }
    await requireDirectory(stored.cwd);
    const work = new WorkTracker({
      cwd: stored.cwd,
      startCommit: stored.start_commit,
      hidden: this.#sessionParts.hiddenFromWork,
      onSummary: () => {},
    });
    for (const write of toolWrites(await this.#storedEvents(sessionId))) work.noteToolWrite(write.path, write.diff);
    return work;
  }

  /** A stored transcript after `after`, read a page at a time. */
  async #storedEvents(sessionId: string, after = 0): Promise<TranscriptEntry[]> {
    const entries: TranscriptEntry[] = [];
    for (let from = after; ;) {
      const page = await this.#store.readEvents(sessionId, from, 1000);
      entries.push(...page);
      if (page.length < 1000) return entries;
      from = page.at(-1)?.seq ?? from;
    }
  }

  find(sessionId: string): Session | undefined {
    return this.#sessions.get(sessionId);
  }

  /** Oldest first. */
  list(): Session[] {
    return [...this.#sessions.values()];
  }

  sessionsSubscribedBy(clientId: ClientId): string[] {
    return this.list()
      .filter((session) => session.ownership.isSubscribed(clientId))
      .map((session) => session.id);
  }

  /**
   * Ends the session's agent, then forgets the session and tells everyone why.
   * Resolves after `session_removed` is published; a second call joins the first.
   */
  remove(sessionId: string, reason: RemovalReason): Promise<void> {
    const running = this.#removals.get(sessionId);
    if (running) return running;
    const session = this.#sessions.get(sessionId);
    if (!session) return this.#notLive(sessionId);
    const removal = session
      .stop()
      // Its last events go out while it is still listed, so they reach its subscribers.
      .finally(() => this.flush())
      .finally(() => {
        this.#sessions.delete(sessionId);
        this.#removals.delete(sessionId);
        this.#end(sessionId, reason);
        this.#record({ type: 'session_removed', session_id: sessionId, reason });
        return this.flush();
      });
    this.#removals.set(sessionId, removal);
    return removal;
  }

  /** A kill on behalf of a client, which must be subscribed. */
  async kill(sessionId: string, clientId: ClientId): Promise<void> {
    (await this.get(sessionId)).requireSubscribed(clientId);
    return this.remove(sessionId, 'killed');
  }

  /** Ends every agent; the sessions stay listed as finished, and are stored as ended by the stop. */
  async shutdown(): Promise<void> {
    const sessions = this.list();
    await Promise.allSettled(sessions.map((session) => session.stop()));
    for (const session of sessions) this.#end(session.id, 'server_stopped');
    await this.flush();
  }
}
