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
import { Session } from './session.ts';
import { projectOf, sessionTitle, titleFromPrompt, untitled } from './summary.ts';
import { MemoryStore, type HistoryQuery, type SessionStore } from './store.ts';
import { storedFields } from './store-rows.ts';
import { WorkTracker } from './work/tracker.ts';
import { requireWirePath, toolWrites, turnChangesOf } from './work/turns.ts';

export interface SessionManagerOptions {
  bus: Bus<CoreEvent>;
  agentFactory: AgentFactory;
  /** Live sessions allowed at once. */
  maxSessions?: number;
  clock?: () => number;
  newId?: () => string;
  /** Where sessions and transcripts are kept; in memory when not given. */
  store?: SessionStore;
  /**
   * `tick`: what the sessions publish during one tick is committed to the store in one
   * transaction, then delivered on the bus (the server). `sync`: each event is committed and
   * delivered at once (unit tests, which look at the bus right after acting).
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
  /** The fake Claude answers instead of the real one. */
  demo?: boolean;
}

/** Recent working directories offered when starting a session. */
const RECENT_PROJECTS = 12;

/** Holds the live sessions: create, look up, query by client, and remove (ending the agent). */
export class SessionManager {
  readonly bus: Bus<CoreEvent>;
  readonly #agentFactory: AgentFactory;
  readonly #maxSessions: number;
  readonly #clock: () => number;
  readonly #newId: () => string;
  readonly #sessions = new Map<string, Session>();
  readonly #removals = new Map<string, Promise<void>>();
  readonly #resuming = new Set<string>();
  readonly #store: SessionStore;
  readonly #delivery: 'tick' | 'sync';
  readonly #allowBypass: boolean;
  readonly #node: string | null;
  readonly #trackWork: boolean;
  readonly #attachments: AttachmentStore | undefined;
  readonly #hiddenFromWork: readonly string[];
  #outbox: CoreEvent[] = [];
  /** Per live session, what was last written of it (`storedFields`). */
  readonly #written = new Map<string, string>();
  #endings: { sessionId: string; reason: EndReason; at: number }[] = [];
  #flushScheduled: NodeJS.Immediate | null = null;
  /** Why writes fail while they do (a full database): said once, not at every flush. */
  #storeFailure: string | null = null;

  constructor(options: SessionManagerOptions) {
    this.bus = options.bus;
    this.#store = options.store ?? new MemoryStore();
    this.#delivery = options.delivery ?? 'sync';
    this.#allowBypass = options.allowBypass ?? false;
    this.#node = options.node ?? null;
    this.#trackWork = options.trackWork ?? false;
    this.#attachments = options.attachments;
    this.#hiddenFromWork = options.hiddenFromWork ?? [];
    this.#agentFactory = options.agentFactory;
    this.#maxSessions = options.maxSessions ?? Number.POSITIVE_INFINITY;
    this.#clock = options.clock ?? Date.now;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
  }

  async create(options: CreateSessionOptions): Promise<Session> {
    if (this.#sessions.size >= this.#maxSessions) {
      throw new VibesError('TOO_MANY_SESSIONS', `At most ${this.#maxSessions} sessions can run at once`);
    }
    await requireDirectory(options.cwd);
    const session = new Session({
      id: this.#newId(),
      name: options.name ?? null,
      cwd: normalize(options.cwd),
      model: options.model ?? null,
      permissionMode: options.permissionMode ?? 'default',
      allowBypass: this.#allowBypass,
      ownerId: options.ownerId,
      demo: options.demo ?? false,
      node: this.#node,
      trackWork: this.#trackWork,
      ...(this.#attachments ? { attachments: this.#attachments } : {}),
      hiddenFromWork: this.#hiddenFromWork,
      agentFactory: this.#agentFactory,
      publish: (event) => this.#record(event),
      onAgentExited: (exited, failure) => this.#onAgentExited(exited, failure),
      clock: this.#clock,
    });
    this.#sessions.set(session.id, session);
    this.#record({ type: 'session_updated', session: session.snapshot() });
    await session.start();
    if (options.prompt !== undefined && session.state === 'idle') {
      session.sendInput(options.prompt, { clientId: options.ownerId, source: options.source ?? 'api' });
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
    const stored = this.#store.getSession(sessionId);
    if (!stored) throw notFound(sessionId);
    if (stored.claude_session_id === null) {
      throw new VibesError('INVALID_STATE', `Session ${sessionId} cannot be resumed: Claude never started a conversation in it`);
    }
    if (this.#sessions.size >= this.#maxSessions) {
      throw new VibesError('TOO_MANY_SESSIONS', `At most ${this.#maxSessions} sessions can run at once`);
    }
    this.#resuming.add(sessionId);
    try {
      await requireDirectory(stored.cwd);
      this.flush();
      const session = new Session({
        id: sessionId,
        name: stored.name,
        pinned: stored.pinned,
        cwd: stored.cwd,
        model: stored.model,
        // A bypass the server no longer allows falls back to asking.
        permissionMode: stored.permission_mode === 'bypassPermissions' && !this.#allowBypass ? 'default' : stored.permission_mode,
        allowBypass: this.#allowBypass,
        ownerId: clientId,
        demo: stored.demo,
        node: this.#node,
        claudeSessionId: stored.claude_session_id,
        trackWork: this.#trackWork,
        ...(this.#attachments ? { attachments: this.#attachments } : {}),
        hiddenFromWork: this.#hiddenFromWork,
        startCommit: stored.start_commit,
        agentFactory: this.#agentFactory,
        publish: (event) => this.#record(event),
        onAgentExited: (exited, failure) => this.#onAgentExited(exited, failure),
        clock: this.#clock,
        resumeFrom: {
          createdAt: stored.created_at,
          lastActivityAt: stored.last_activity_at,
          lastSeq: this.#store.lastSeq(sessionId),
          costUsd: stored.cost_usd,
          todos: stored.todos,
          title: stored.name === null && stored.title !== untitled(stored.id) ? stored.title : null,
          preview: stored.preview,
        },
      });
      session.restore(this.#storedEvents(sessionId));
      this.#sessions.set(sessionId, session);
      this.#store.reopen(sessionId);
      this.#record({ type: 'session_updated', session: session.snapshot() });
      await session.start();
      return session;
    } finally {
      this.#resuming.delete(sessionId);
    }
  }

  /** A live session. An unknown id is NOT_FOUND; an ended one INVALID_STATE (resume it first). */
  get(sessionId: string): Session {
    const session = this.#sessions.get(sessionId);
    if (session) return session;
    const stored = this.#store.getSession(sessionId);
    if (stored) {
      throw new VibesError(
        'INVALID_STATE',
        `Session ${sessionId} has ended (${stored.end_reason ?? 'server_restarted'}); resume it to continue`,
      );
    }
    throw notFound(sessionId);
  }

  /** A live session as `clientId` sees it, or an ended one from history. */
  info(sessionId: string, clientId: ClientId | null): SessionInfo {
    const session = this.#sessions.get(sessionId);
    if (session) return session.infoFor(clientId);
    const stored = this.#store.getSession(sessionId);
    if (!stored) throw notFound(sessionId);
    return sessionInfoFor(stored, clientId);
  }

  /** A file or image sent in a live or ended session: any viewer may see it, as the transcript it is part of. */
  attachment(sessionId: string, attachmentId: string): StoredAttachment {
    if (!this.#sessions.has(sessionId) && !this.#store.getSession(sessionId)) throw notFound(sessionId);
    if (!this.#attachments) throw new VibesError('NOT_FOUND', `Session ${sessionId} has no attachment ${attachmentId.slice(0, 80)}`);
    return this.#attachments.get(sessionId, attachmentId);
  }

  /** A page of a live or ended session's transcript, read from the store. */
  readEvents(sessionId: string, after: number, limit: number): { events: TranscriptEntry[]; last_seq: number } {
    if (!this.#sessions.has(sessionId) && !this.#store.getSession(sessionId)) throw notFound(sessionId);
    return { events: this.#store.readEvents(sessionId, after, limit), last_seq: this.#store.lastSeq(sessionId) };
  }

  /** Ended sessions, the most recently ended first. */
  history(query: HistoryQuery, clientId: ClientId | null = null): SessionInfo[] {
    return this.#store
      .listEnded(query)
      .filter((snapshot) => !this.#sessions.has(snapshot.id))
      .map((snapshot) => sessionInfoFor(snapshot, clientId));
  }

  /** The working directories sessions ran in, the most recently active first. */
  recentProjects(limit = RECENT_PROJECTS): RecentProject[] {
    this.flush();
    return this.#store
      .recentProjects(limit)
      .map((use) => ({ cwd: use.cwd, project: projectOf(use.cwd), last_active_at: use.lastActiveAt }));
  }

  /**
   * Names a session (null: back to the title from its first prompt). A live one needs the caller
   * subscribed, as input and kill do, and every client hears of it; an ended one, which anyone
   * may resume, is changed in the history.
   */
  rename(sessionId: string, name: string | null, clientId: ClientId): SessionInfo {
    const live = this.#sessions.get(sessionId);
    if (live) {
      live.rename(name, clientId);
      return live.infoFor(clientId);
    }
    return this.#changeEnded(sessionId, clientId, (stored) => ({
      ...stored,
      name,
      title: sessionTitle(name, name === null ? this.#promptTitleOf(sessionId) : null, sessionId),
    }));
  }

  /** Pins a session to the top of the list, or unpins it; who may is as for rename. */
  setPinned(sessionId: string, pinned: boolean, clientId: ClientId): SessionInfo {
    const live = this.#sessions.get(sessionId);
    if (live) {
      live.setPinned(pinned, clientId);
      return live.infoFor(clientId);
    }
    return this.#changeEnded(sessionId, clientId, (stored) => ({ ...stored, pinned }));
  }

  /** An ended session is only in the store: the change is written there and answered (no live list shows it). */
  #changeEnded(sessionId: string, clientId: ClientId, change: (stored: SessionSnapshot) => SessionSnapshot): SessionInfo {
    if (this.#resuming.has(sessionId)) throw new VibesError('INVALID_STATE', `Session ${sessionId} is being resumed: try again`);
    const stored = this.#store.getSession(sessionId);
    if (!stored) throw notFound(sessionId);
    const changed = change(stored);
    this.#store.write({ sessions: [changed] });
    return sessionInfoFor(changed, clientId);
  }

  /** The title a session's first prompt gives it; null when it had none. */
  #promptTitleOf(sessionId: string): string | null {
    for (const { event } of this.#storedEvents(sessionId)) {
      if (event.type === 'user_input' && event.content !== '') return titleFromPrompt(event.content);
    }
    return null;
  }

  /**
   * Commits everything published since the last flush in one transaction, then delivers it on
   * the bus in order: no client ever sees an event a crash could lose.
   */
  flush(): void {
    if (this.#flushScheduled) clearImmediate(this.#flushScheduled);
    this.#flushScheduled = null;
    if (this.#outbox.length === 0 && this.#endings.length === 0) return;
    const outbox = this.#outbox;
    const ended = this.#endings;
    this.#outbox = [];
    this.#endings = [];
    const sessions = new Map<string, SessionSnapshot>();
    const events: { sessionId: string; entry: TranscriptEntry }[] = [];
    for (const event of outbox) {
      if (event.type === 'session_updated') sessions.set(event.session.id, event.session);
      else if (event.type === 'session_event') events.push({ sessionId: event.session_id, entry: event.entry });
    }
    const changed = [...sessions.values()]
      .map((snapshot) => ({ snapshot, fields: storedFields(snapshot) }))
      .filter(({ snapshot, fields }) => this.#written.get(snapshot.id) !== fields);
    try {
      // A batch of nothing but viewers coming and going is no transaction at all.
      if (changed.length > 0 || events.length > 0 || ended.length > 0) {
        this.#store.write({ sessions: changed.map(({ snapshot }) => snapshot), events, ended });
        if (this.#storeFailure !== null) console.log('vibes: writing sessions to the store works again');
        this.#storeFailure = null;
      }
      for (const { snapshot, fields } of changed) this.#written.set(snapshot.id, fields);
    } catch (error) {
      // Losing the history is bad; leaving every client frozen because the disk is full is worse.
      const reason = error instanceof Error ? error.message : String(error);
      if (reason !== this.#storeFailure) {
        console.error(
          `vibes: writing sessions to the store failed (${reason}): sessions go on live, but what they do is not kept ` +
            'until writes work again (said once until then)',
        );
      }
      this.#storeFailure = reason;
    }
    for (const event of outbox) this.bus.publish(event);
  }

  #record(event: CoreEvent): void {
    this.#outbox.push(event);
    if (this.#delivery === 'sync') this.flush();
    else this.#flushScheduled ??= setImmediate(() => this.flush());
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
  turnChanges(sessionId: string, seq: string): TurnChangesResponse {
    const at = /^[1-9]\d{0,15}$/.test(seq) ? Number(seq) : Number.NaN;
    if (!Number.isSafeInteger(at))
      throw new VibesError('VALIDATION_FAILED', `A turn is named by its user_input's seq, a positive integer: ${seq}`);
    if (!this.#sessions.has(sessionId) && !this.#store.getSession(sessionId)) throw notFound(sessionId);
    const start = this.#store.readEvents(sessionId, at - 1, 1)[0];
    if (start?.seq !== at || start.event.type !== 'user_input') {
      throw new VibesError('NOT_FOUND', `Entry ${seq} of session ${sessionId} is not a message that started a turn`);
    }
    // A queued message's turn begins after the turns ahead of it: find it from the start.
    const entries = start.event.queued ? this.#storedEvents(sessionId) : this.#storedEvents(sessionId, at - 1);
    const live = this.#sessions.get(sessionId);
    const cwd = live?.cwd ?? this.#store.getSession(sessionId)?.cwd ?? '/';
    return turnChangesOf(at, entries, cwd, live?.work?.inGit ?? true);
  }

  /** The live session's tracker, or for an ended one, a look at its folder now. */
  async #workOf(sessionId: string): Promise<WorkTracker> {
    const live = this.#sessions.get(sessionId);
    if (live?.work) return live.work;
    if (live) throw new VibesError('INVALID_STATE', `Session ${sessionId} does not follow its changes`);
    const stored = this.#store.getSession(sessionId);
    if (!stored) throw notFound(sessionId);
    // In a cluster its folder is on the machine that ran it: the same path here may be another folder.
    if (stored.node !== null && stored.node !== this.#node) {
      throw new VibesError('INVALID_STATE', `Session ${sessionId} ran on ${stored.node}: resume it to see its changes`);
    }
    await requireDirectory(stored.cwd);
    const work = new WorkTracker({ cwd: stored.cwd, startCommit: stored.start_commit, hidden: this.#hiddenFromWork, onSummary: () => {} });
    for (const write of toolWrites(this.#storedEvents(sessionId))) work.noteToolWrite(write.path, write.diff);
    return work;
  }

  /** A stored transcript after `after`, read a page at a time. */
  *#storedEvents(sessionId: string, after = 0): Generator<TranscriptEntry> {
    for (let from = after; ;) {
      const page = this.#store.readEvents(sessionId, from, 1000);
      yield* page;
      if (page.length < 1000) return;
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

  sessionsOwnedBy(clientId: ClientId): string[] {
    return this.list()
      .filter((session) => session.ownership.isOwner(clientId))
      .map((session) => session.id);
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
    const session = this.get(sessionId);
    const removal = session.stop().finally(() => {
      // Its last events go out while it is still listed, so they reach its subscribers.
      this.flush();
      this.#sessions.delete(sessionId);
      this.#removals.delete(sessionId);
      this.#end(sessionId, reason);
      this.#record({ type: 'session_removed', session_id: sessionId, reason });
      this.flush();
    });
    this.#removals.set(sessionId, removal);
    return removal;
  }

  /** A kill on behalf of a client, which must be subscribed. */
  kill(sessionId: string, clientId: ClientId): Promise<void> {
    const session = this.get(sessionId);
    if (!session.ownership.isSubscribed(clientId)) {
      throw new VibesError('NOT_SUBSCRIBED', `Client ${clientId} is not subscribed to session ${sessionId}`);
    }
    return this.remove(sessionId, 'killed');
  }

  /** Ends every agent; the sessions stay listed as finished, and are stored as ended by the stop. */
  async shutdown(): Promise<void> {
    const sessions = this.list();
    await Promise.allSettled(sessions.map((session) => session.stop()));
    for (const session of sessions) this.#end(session.id, 'server_stopped');
    this.flush();
  }
}
