import { randomUUID } from 'node:crypto';
import { gitBranch } from './git-branch.ts';
import { firstLine, errorMessage } from '../protocol/text.ts';
import { withTimeout } from './timeouts.ts';
import { previewFromReply, projectOf, roundUsd, sessionTitle, titleFromPrompt } from './summary.ts';
import {
  isTurnRunning,
  PERMISSION_MODE_LABELS,
  type Attachment,
  type ChangesSummary,
  type ContextUsage,
  type InputSource,
  type ModelOption,
  type PermissionAnswerBody,
  type PermissionMode,
  REWIND_SUBTYPE,
  type RewindResponse,
  type SessionInfo,
  type SessionState,
  type SlashCommand,
  type TodoList,
  type TranscriptEntry,
  type TranscriptEvent,
  type TurnChangedFile,
} from '../protocol/index.ts';
import type { Agent, AgentEvent, AgentFactory, RewindOutcome } from './agent.ts';
import type { AttachmentStore, StoredAttachment } from './attachments/store.ts';
import { VibesError } from './errors.ts';
import { sessionInfoFor, type CoreEvent, type SessionSnapshot } from './events.ts';
import { SessionOwnership, type ClientId } from './ownership.ts';
import { PendingDecisions } from './pending-decisions.ts';
import { requireModeAllowed } from './permission-modes.ts';
import { promptContext } from './reader-context.ts';
import { completedWrite } from './work/turns.ts';
import { changedBetween, WorkTracker } from './work/tracker.ts';

/** Every move the state machine allows; anything else is ignored. */
export const SESSION_TRANSITIONS: Readonly<Record<SessionState, readonly SessionState[]>> = {
  idle: ['processing', 'failed', 'finished'],
  processing: ['waiting_permission', 'idle', 'failed', 'finished'],
  waiting_permission: ['processing', 'idle', 'failed', 'finished'],
  failed: ['finished'],
  finished: [],
};

export type OwnershipView = Pick<
  SessionOwnership,
  'ownerId' | 'subscriberIds' | 'subscriberCount' | 'isOwner' | 'isSubscribed' | 'pickNextOwner' | 'shouldCleanup'
>;

export interface SessionInit {
  id: string;
  name: string | null;
  /** Listed first; false when not given. */
  pinned?: boolean;
  cwd: string;
  model: string | null;
  /** `default` when not given. */
  permissionMode?: PermissionMode;
  /** The server was started with the opt-in that allows `bypassPermissions`. */
  allowBypass?: boolean;
  ownerId: ClientId;
  /** The fake Claude answers; false when not given. */
  demo?: boolean;
  /** In a cluster: the node this process is; null on a single machine. */
  node?: string | null;
  claudeSessionId?: string | null;
  agentFactory: AgentFactory;
  publish: (event: CoreEvent) => void;
  /** Called once when the agent's process ends without being asked to. */
  onAgentExited?: (session: Session, failure: string | null) => void;
  /** Milliseconds since the epoch. */
  clock?: () => number;
  /** Follow the changes in its folder (lib/core/work); off in core unit tests. */
  trackWork?: boolean;
  /** Where files and images sent with its prompts are kept; without one, none are taken. */
  attachments?: AttachmentStore;
  /** Absolute folders its changes never list, even under its folder (vibes' own home). */
  hiddenFromWork?: readonly string[];
  /** HEAD when it first started (a resumed session); undefined: a new session, read it now. */
  startCommit?: string | null;
  /** When resuming a stored session: what it had reached. */
  resumeFrom?: {
    createdAt: number;
    lastActivityAt: number;
    lastSeq: number;
    costUsd: number;
    todos: TodoList | null;
    title?: string | null;
    preview?: string | null;
  };
}

export interface RewindRequest {
  /** A user_input's message_id; null: the last one that has one. */
  to: string | null;
  dryRun: boolean;
}

export type RewindResult = Omit<RewindResponse, 'session'>;

export interface InputOrigin {
  clientId: ClientId;
  source: InputSource;
  /** Typed on a device whose owner asked that Claude be told it is a phone. */
  onPhone?: boolean;
}

/** One Claude Code session: its state machine, transcript, ownership and pending permissions. */
export class Session {
  readonly id: string;
  readonly cwd: string;
  readonly createdAt: number;
  readonly demo: boolean;
  readonly node: string | null;
  #name: string | null;
  #pinned: boolean;
  readonly #ownership: SessionOwnership;
  readonly #decisions: PendingDecisions;
  /** Between a prompt and its turn_complete; a background subagent may still ask after it. */
  #turnOpen = false;
  readonly #allowBypass: boolean;
  readonly #queue: Prompt[] = [];
  readonly #attachments: AttachmentStore | null;
  readonly #publish: (event: CoreEvent) => void;
  readonly #onAgentExited: (session: Session, failure: string | null) => void;
  readonly #clock: () => number;
  readonly #agent: Agent;
  #state: SessionState = 'idle';
  #failure: string | null = null;
  /** From the first prompt; the title when the session has no name. */
  #promptTitle: string | null = null;
  #preview: string | null = null;
  #model: string | null;
  #permissionMode: PermissionMode;
  #todos: TodoList | null;
  #claudeSessionId: string | null;
  #costUsd: number;
  #lastSeq: number;
  #lastActivityAt: number;
  #activityUpdateDue = false;
  #turnEndWaiters: (() => void)[] = [];
  #stopping: Promise<void> | null = null;
  /** HEAD when the session started (kept across resumes); null outside git. */
  #startCommit: string | null;
  #changes: ChangesSummary | null = null;
  /** As Claude last said after a turn; a new process (a resume) starts without one. */
  #context: ContextUsage | null = null;
  /** Null when the session does not follow its folder's changes. */
  readonly work: WorkTracker | null;
  /** The messages sent to Claude with an id, oldest first: what rewind can go back to. */
  readonly #messages: SentMessage[] = [];
  /** Edit tool calls waiting for their result, by tool call id: the file each one writes. */
  readonly #editCalls = new Map<string, string>();
  /** The running turn: what its tools wrote, and the files as they were when it began. */
  #turn: OpenTurn | null = null;
  /** While a turn's end waits for git to say what else changed: the agent's events that came meanwhile. */
  #held: AgentEvent[] | null = null;
  #rewinding = false;
  /** Told to Claude with the next message after a rewind, so its picture of the files stays true. */
  #rewindNote: string | null = null;

  constructor(init: SessionInit) {
    this.id = init.id;
    this.cwd = init.cwd;
    this.demo = init.demo ?? false;
    this.node = init.node ?? null;
    this.#name = init.name;
    this.#pinned = init.pinned ?? false;
    this.#model = init.model;
    this.#allowBypass = init.allowBypass ?? false;
    this.#decisions = new PendingDecisions({ allowBypass: this.#allowBypass });
    this.#permissionMode = init.permissionMode ?? 'default';
    requireModeAllowed(this.#permissionMode, this.#allowBypass);
    this.#claudeSessionId = init.claudeSessionId ?? null;
    this.#publish = init.publish;
    this.#onAgentExited = init.onAgentExited ?? (() => {});
    this.#clock = init.clock ?? Date.now;
    this.#ownership = new SessionOwnership(init.ownerId, this.#clock());
    this.createdAt = init.resumeFrom?.createdAt ?? this.#nowSeconds();
    this.#lastActivityAt = init.resumeFrom?.lastActivityAt ?? this.createdAt;
    this.#lastSeq = init.resumeFrom?.lastSeq ?? 0;
    this.#costUsd = init.resumeFrom?.costUsd ?? 0;
    this.#todos = init.resumeFrom?.todos ?? null;
    this.#promptTitle = init.resumeFrom?.title ?? null;
    this.#preview = init.resumeFrom?.preview ?? null;
    this.#startCommit = init.startCommit ?? null;
    this.#attachments = init.attachments ?? null;
    this.work = init.trackWork
      ? new WorkTracker({
          cwd: init.cwd,
          ...(init.startCommit === undefined ? {} : { startCommit: init.startCommit }),
          hidden: init.hiddenFromWork ?? [],
          clock: this.#clock,
          onSummary: (summary) => {
            this.#changes = summary;
            if (!this.#stopping && this.#state !== 'finished') this.#publishUpdate();
          },
        })
      : null;
    this.#agent = init.agentFactory(
      { cwd: init.cwd, model: init.model, permissionMode: this.#permissionMode, resume: this.#claudeSessionId, demo: this.demo },
      (event) => this.#onAgentEvent(event),
    );
  }

  get state(): SessionState {
    return this.#state;
  }

  get ownership(): OwnershipView {
    return this.#ownership;
  }

  /** A turn is running: ending the session now would cut it. */
  get isTurnActive(): boolean {
    return isTurnRunning(this.#state);
  }

  /** The seq of the newest transcript entry; the entries themselves live in the store. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  snapshot(): SessionSnapshot {
    return {
      id: this.id,
      name: this.#name,
      title: sessionTitle(this.#name, this.#promptTitle, this.id),
      preview: this.#preview,
      project: projectOf(this.cwd),
      git_branch: gitBranch(this.cwd),
      state: this.#state,
      owner_id: this.#ownership.ownerId,
      subscriber_count: this.#ownership.subscriberCount,
      created_at: this.createdAt,
      last_activity_at: this.#lastActivityAt,
      cwd: this.cwd,
      model: this.#model,
      permission_mode: this.#permissionMode,
      todos: this.#todos,
      pending_permissions: this.#decisions.list(),
      queued_inputs: this.#queue.length,
      cost_usd: this.#costUsd,
      claude_session_id: this.#claudeSessionId,
      failure: this.#failure,
      ended_at: null,
      end_reason: null,
      demo: this.demo,
      node: this.node,
      changes: this.#changes,
      start_commit: this.#startCommit,
      context: this.#context,
      pinned: this.#pinned,
    };
  }

  infoFor(clientId: ClientId | null): SessionInfo {
    return sessionInfoFor(this.snapshot(), clientId);
  }

  /** Acting on a session (input, answers, settings, a kill) takes a subscribed client. */
  requireSubscribed(clientId: ClientId): void {
    if (!this.#ownership.isSubscribed(clientId)) {
      throw new VibesError('NOT_SUBSCRIBED', `Client ${clientId} is not subscribed to session ${this.id}`);
    }
  }

  /** Starts the agent; a start that fails leaves the session `failed` with the reason. */
  async start(): Promise<void> {
    const work = this.work;
    // Only HEAD is read now; the folder is counted when a turn begins or a client asks.
    const workReady = work?.ready().then(() => {
      this.#startCommit = work.startCommit;
    });
    try {
      await this.#agent.start();
    } catch (error) {
      this.#fail(`Claude could not be started: ${errorMessage(error)}`);
    }
    if (workReady) {
      await workReady;
      this.#publishUpdate();
    }
  }

  /**
   * What a resumed session had: its messages (for rewind) and its tools' writes (for by_session),
   * read back from the stored transcript in order.
   */
  restore(entries: Iterable<TranscriptEntry>): void {
    for (const { seq, event } of entries) {
      // A named session's stored title is its name: the prompt's comes back should the name be cleared.
      if (event.type === 'user_input' && event.content !== '') this.#promptTitle ??= titleFromPrompt(event.content);
      if (event.type === 'user_input' && event.message_id) {
        this.#messages.push({ id: event.message_id, seq, content: event.content, otherFiles: [] });
      } else if (event.type === 'turn_complete' && event.changed_files) {
        const last = this.#messages.at(-1);
        if (last) last.otherFiles.push(...event.changed_files.filter((file) => file.source === 'other').map((file) => file.path));
      } else if (event.type === 'tool_use' || event.type === 'tool_result') {
        this.#noteToolEvent(event);
      }
    }
  }

  /**
   * Sends input now when the session is idle, or queues it behind the running turn.
   * `attachmentIds`: files uploaded with saveAttachment, checked (count, total size) before anything happens.
   */
  sendInput(content: string, origin: InputOrigin, attachmentIds: readonly string[] = []): void {
    this.requireSubscribed(origin.clientId);
    this.#requireLive();
    const attachments = attachmentIds.length === 0 ? [] : this.#requireAttachments().forMessage(this.id, attachmentIds);
    if (content !== '') this.#promptTitle ??= titleFromPrompt(content);
    const queued = this.isTurnActive || this.#queue.length > 0 || this.#rewinding;
    const messageId = randomUUID();
    const seq = this.#append({
      type: 'user_input',
      content,
      source: origin.source,
      client_id: origin.clientId,
      ...(queued ? { queued: true } : {}),
      message_id: messageId,
      ...(attachments.length > 0 ? { attachments: attachments.map(({ path: _path, ...attachment }) => attachment) } : {}),
    });
    this.#messages.push({ id: messageId, seq, content, otherFiles: [] });
    const prompt = { content, messageId, attachments, context: promptContext(content, origin.onPhone === true) };
    if (queued) {
      this.#queue.push(prompt);
      this.#publishUpdate();
    } else {
      this.#beginTurn(prompt);
    }
  }

  /** Stores a file or image a subscriber means to send with its next message; sendInput names it by the id. */
  async saveAttachment(clientId: ClientId, chunks: AsyncIterable<Uint8Array>, name: string): Promise<Attachment> {
    this.requireSubscribed(clientId);
    this.#requireLive();
    return this.#requireAttachments().save(this.id, chunks, name);
  }

  #requireAttachments(): AttachmentStore {
    if (!this.#attachments) throw new VibesError('UNSUPPORTED_MEDIA_TYPE', 'This server takes no attachments');
    return this.#attachments;
  }

  /** Answers a decision; a malformed answer (see PendingDecisions) changes nothing. */
  answerPermission(requestId: string, body: PermissionAnswerBody, clientId: ClientId, device?: string): void {
    this.requireSubscribed(clientId);
    const { answer, resolved, mode } = this.#decisions.answer(requestId, body, { clientId, source: body.source ?? 'api', device });
    this.#agent.answerPermission(requestId, answer);
    this.#append(resolved);
    // Claude reports the mode it switches to as well; setting it here shows it without waiting.
    if (mode !== undefined) this.#onPermissionMode(mode, { clientId, source: body.source ?? 'api' });
    this.#carryOn();
  }

  /** Switches Claude's permission mode now, also mid-turn; `bypassPermissions` needs the server's opt-in. */
  async setPermissionMode(mode: PermissionMode, origin: InputOrigin): Promise<void> {
    this.requireSubscribed(origin.clientId);
    this.#requireLive();
    requireModeAllowed(mode, this.#allowBypass);
    const now = await this.#agent.setPermissionMode(mode);
    this.#onPermissionMode(now, origin);
  }

  /** Gives the session the name it is shown by; null goes back to the title from its first prompt. */
  rename(name: string | null, clientId: ClientId): void {
    this.requireSubscribed(clientId);
    this.#name = name;
    this.#publishUpdate();
  }

  /** Keeps the session at the top of every client's list, or lets it go back to its place. */
  setPinned(pinned: boolean, clientId: ClientId): void {
    this.requireSubscribed(clientId);
    this.#pinned = pinned;
    this.#publishUpdate();
  }

  /** Switches the model for the next requests Claude makes. */
  async setModel(model: string, origin: InputOrigin): Promise<void> {
    this.requireSubscribed(origin.clientId);
    this.#requireLive();
    await this.#agent.setModel(model);
    this.#model = model;
    this.#append({ type: 'system', subtype: 'model', model, text: `Model: ${model} (${changedBy(origin.source)})` });
    this.#publishUpdate();
  }

  supportedModels(): Promise<ModelOption[]> {
    this.#requireLive();
    return this.#agent.supportedModels();
  }

  /** The slash commands Claude Code offers in this session, as it lists them. */
  supportedCommands(): Promise<SlashCommand[]> {
    this.#requireLive();
    return this.#agent.supportedCommands();
  }

  /** Stops the running turn and keeps the session; does nothing between turns. */
  async interrupt(clientId: ClientId): Promise<void> {
    this.requireSubscribed(clientId);
    if (!this.isTurnActive) return;
    await this.#agent.interrupt();
  }

  /** Puts the files back as they were before message `to` (the last one when null); a dry run changes nothing. */
  async rewind(request: RewindRequest, clientId: ClientId): Promise<RewindResult> {
    this.requireSubscribed(clientId);
    this.#requireLive();
    if (this.isTurnActive || this.#rewinding) {
      throw new VibesError('TURN_RUNNING', 'Claude is working: interrupt the turn or wait for it to end, then rewind');
    }
    const index = request.to === null ? this.#messages.length - 1 : this.#messages.findIndex((message) => message.id === request.to);
    const message = this.#messages[index];
    if (!message) {
      if (request.to !== null) throw new VibesError('NOT_FOUND', `Session ${this.id} has no message ${request.to}`);
      throw new VibesError(
        'CANNOT_REWIND',
        'There is no message to rewind to: none was sent with an id (messages from before this version have none)',
      );
    }
    this.#rewinding = true;
    try {
      const ask = (dryRun: boolean) =>
        this.#agent
          .rewindFiles(message.id, dryRun)
          .catch((error: unknown): RewindOutcome => ({ canRewind: false, error: errorMessage(error) }));
      // Claude names the files only on a dry run: a rewind asks that first, to say what it restored.
      const preview = await ask(true);
      const outcome = request.dryRun || !preview.canRewind ? preview : { ...preview, ...(await ask(false)) };
      const filesChanged = (outcome.filesChanged ?? []).map((path) => this.work?.relativePath(path) ?? path);
      const restorable = new Set(filesChanged);
      const notRestorable = [...new Set(this.#messages.slice(index).flatMap((sent) => sent.otherFiles))].filter(
        (path) => !restorable.has(path),
      );
      const error = outcome.canRewind ? null : (outcome.error ?? 'Claude cannot rewind to this message');
      if (error !== null && !request.dryRun) throw new VibesError('CANNOT_REWIND', error);
      if (!request.dryRun) this.#afterRewind(message, filesChanged);
      return {
        dry_run: request.dryRun,
        can_rewind: outcome.canRewind,
        to: message.id,
        files_changed: filesChanged,
        insertions: outcome.insertions ?? 0,
        deletions: outcome.deletions ?? 0,
        skipped_links: request.dryRun ? null : (outcome.skippedLinks ?? 0),
        not_restorable: notRestorable.sort(),
        error,
      };
    } finally {
      this.#rewinding = false;
      // Input that came during the rewind waited for it.
      if (!this.#stopping && this.#state === 'idle' && this.#decisions.size === 0) this.#sendNextQueued();
    }
  }

  #afterRewind(message: SentMessage, files: string[]): void {
    const headline = firstLine(message.content, 120);
    const restored =
      files.length === 0
        ? 'no file needed restoring'
        : `${files.length} file${files.length === 1 ? '' : 's'} restored (${files.join(', ')})`;
    this.#append({
      type: 'system',
      subtype: REWIND_SUBTYPE,
      text: `Files rewound to before "${headline}": ${restored}`,
      to_message_id: message.id,
      files,
    });
    this.#rewindNote =
      `[vibes: the user rewound the files to how they were before their message "${headline}".` +
      (files.length === 0 ? '' : ` Restored: ${files.join(', ')}.`) +
      ' Edits made since then by your edit tools are undone (changes made by shell commands are not). Read a file again before editing it.]';
    this.work?.touched();
  }

  /** Ends the agent for sure; the session is `finished` afterwards. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.work?.stop();
      try {
        await this.#agent.stop();
      } finally {
        // A failed session stays failed when it is ended: the history says how it ended.
        this.#end(this.#state === 'failed' ? 'failed' : 'finished');
      }
    })();
    return this.#stopping;
  }

  /** Resolves when no turn is running (at once if none is). */
  whenTurnEnds(): Promise<void> {
    if (!this.isTurnActive) return Promise.resolve();
    return new Promise((resolve) => this.#turnEndWaiters.push(resolve));
  }

  addSubscriber(clientId: ClientId): void {
    if (this.#ownership.isSubscribed(clientId)) return;
    this.#ownership.addSubscriber(clientId);
    this.#publishUpdate();
  }

  /** Returns true when the client was the owner. Ownership does not move by itself. */
  removeSubscriber(clientId: ClientId): boolean {
    const subscribed = this.#ownership.isSubscribed(clientId);
    const wasOwner = this.#ownership.removeSubscriber(clientId);
    if (subscribed) this.#publishUpdate();
    return wasOwner;
  }

  transferOwnership(newOwnerId: ClientId): boolean {
    const previousOwnerId = this.#ownership.ownerId;
    if (!this.#ownership.transferTo(newOwnerId, this.#clock())) return false;
    this.#publish({
      type: 'ownership_transferred',
      session_id: this.id,
      new_owner_id: newOwnerId,
      previous_owner_id: previousOwnerId,
    });
    this.#publishUpdate();
    return true;
  }

  #onAgentEvent(event: AgentEvent): void {
    if (this.#state === 'finished' || this.#stopping) return;
    if (this.#held) {
      this.#held.push(event);
      return;
    }
    if (event.type === 'transcript' && event.event.type === 'turn_complete' && this.#turn) {
      // A turn that called no tool changed no file: it ends at once.
      if (this.#turn.calledTools) this.#completeTurnAfterLook(event.event, this.#turn);
      else this.#onTranscriptEvent({ ...event.event, changed_files: [] });
      return;
    }
    switch (event.type) {
      case 'transcript':
        this.#onTranscriptEvent(event.event);
        return;
      case 'claude_session':
        this.#claudeSessionId = event.claude_session_id;
        this.#model = event.model ?? this.#model;
        this.#publishUpdate();
        return;
      case 'permission_mode':
        this.#onPermissionMode(event.mode, null);
        return;
      case 'context':
        this.#context = event.context;
        this.#publishUpdate();
        return;
      case 'todos':
        this.#todos = event.todos;
        this.#publishUpdate();
        return;
      case 'exited':
        this.#onAgentExit(event.failure);
        return;
    }
  }

  #onTranscriptEvent(event: TranscriptEvent): void {
    switch (event.type) {
      case 'permission_request': {
        const { type: _type, ...decision } = event;
        this.#decisions.add({ ...decision, requested_at: this.#nowSeconds() });
        this.#append(event);
        this.#transition('waiting_permission');
        this.#publishUpdate();
        return;
      }
      case 'permission_resolved':
        // From the agent this means Claude withdrew the request.
        if (!this.#decisions.withdraw(event.request_id)) return;
        this.#append(event);
        this.#carryOn();
        return;
      case 'turn_complete':
        this.#turn = null;
        this.#costUsd = roundUsd(this.#costUsd + event.cost_usd);
        this.#turnOpen = false;
        this.#append(event);
        // A background subagent's request outlives the turn that started it: it stays open to answer.
        this.#carryOn();
        return;
      case 'tool_use':
      case 'tool_result':
        this.#append(event);
        this.#noteToolEvent(event);
        if (event.type === 'tool_result') this.work?.touched();
        return;
      case 'text':
        this.#append(event);
        if (!event.parent_tool_use_id) {
          const preview = previewFromReply(event.text);
          if (preview !== null && preview !== this.#preview) {
            this.#preview = preview;
            this.#publishUpdate();
          }
        }
        return;
      default:
        this.#append(event);
    }
  }

  /** A mode Claude reported (origin null) or a client set; noted in the transcript when it changed. */
  #onPermissionMode(mode: PermissionMode, origin: InputOrigin | null): void {
    if (mode === this.#permissionMode) return;
    this.#permissionMode = mode;
    const by = origin ? ` (${changedBy(origin.source)})` : '';
    this.#append({ type: 'system', subtype: 'permission_mode', mode, text: `Permission mode: ${PERMISSION_MODE_LABELS[mode]}${by}` });
    this.#publishUpdate();
  }

  #onAgentExit(failure: string | null): void {
    if (failure === null) this.#end('finished');
    else this.#fail(failure);
    this.#onAgentExited(this, failure);
  }

  #fail(failure: string): void {
    this.#failure = failure;
    this.#end('failed', { type: 'error', message: failure });
  }

  /** The agent is gone: queued input is dropped, and requests left open can never be answered. */
  #end(state: 'finished' | 'failed', note?: TranscriptEvent): void {
    this.#queue.length = 0;
    for (const event of this.#decisions.withdrawAll()) this.#append(event);
    if (note) this.#append(note);
    this.#transition(state);
    this.#publishUpdate();
    this.#releaseTurnWaiters();
  }

  #beginTurn({ content, messageId, attachments, context }: Prompt): void {
    this.#turnOpen = true;
    this.#transition('processing');
    this.#publishUpdate();
    const work = this.work;
    if (work) {
      // The files as they are before Claude starts on them: what else changed is told at the end.
      work.touched();
      this.#turn = {
        message: this.#messages.find((sent) => sent.id === messageId) ?? null,
        toolFiles: new Set(),
        calledTools: false,
        before: work.fingerprints().catch(() => null),
      };
    }
    const note = this.#rewindNote;
    this.#rewindNote = null;
    this.#agent.send(note === null ? content : `${note}\n\n${content}`, messageId, attachments, context);
  }

  #sendNextQueued(): void {
    const next = this.#queue.shift();
    if (next !== undefined) this.#beginTurn(next);
  }

  /** Edit tools: the file a call writes, and on its result, that this session's tools wrote it. */
  #noteToolEvent(event: TranscriptEvent): void {
    if (event.type === 'tool_use' && this.#turn) this.#turn.calledTools = true;
    const write = completedWrite(this.#editCalls, event);
    const rel = write && this.work?.noteToolWrite(write.path, write.diff);
    if (rel) this.#turn?.toolFiles.add(rel);
  }

  /**
   * A turn's end waits (at most TURN_LOOK_MS) for git to say what else changed during it; the
   * agent's events meanwhile wait behind it, in order.
   */
  #completeTurnAfterLook(event: Extract<TranscriptEvent, { type: 'turn_complete' }>, turn: OpenTurn): void {
    const work = this.work;
    if (!work) return;
    this.#held = [];
    const look = (async (): Promise<TurnChangedFile[] | undefined> => {
      const before = await turn.before;
      const after = before ? await work.fingerprints().catch(() => null) : null;
      const tool = [...turn.toolFiles].sort().map((path): TurnChangedFile => ({ path, source: 'tool' }));
      if (!before || !after) return before ? undefined : tool;
      const other = changedBetween(before, after).filter((path) => !turn.toolFiles.has(path));
      if (turn.message) turn.message.otherFiles.push(...other);
      return [...tool, ...other.map((path): TurnChangedFile => ({ path, source: 'other' }))];
    })();
    void withTimeout(look, TURN_LOOK_MS)
      .catch(() => undefined)
      .then((changedFiles) => {
        const held = this.#held ?? [];
        this.#held = null;
        // Ended meanwhile: what Claude said after is as lost as if it had come after the end.
        if (this.#state === 'finished' || this.#stopping) return;
        this.#onTranscriptEvent(changedFiles === undefined ? event : { ...event, changed_files: changedFiles });
        for (const next of held) this.#onAgentEvent(next);
      });
  }

  /** After a turn's end or a settled decision: with nothing left to answer, back to work if the turn goes on, else idle and on. */
  #carryOn(): void {
    const settled = this.#decisions.size === 0;
    if (settled) this.#transition(this.#turnOpen ? 'processing' : 'idle');
    this.#publishUpdate();
    if (settled && !this.#turnOpen) {
      this.#releaseTurnWaiters();
      this.#sendNextQueued();
    }
  }

  #transition(next: SessionState): void {
    if (next === this.#state || !SESSION_TRANSITIONS[this.#state].includes(next)) return;
    this.#state = next;
    if (next !== 'failed') this.#failure = null;
  }

  #append(event: TranscriptEvent): number {
    const entry: TranscriptEntry = { seq: ++this.#lastSeq, at: this.#nowSeconds(), event };
    this.#publish({ type: 'session_event', session_id: this.id, entry });
    // Activity is kept in whole seconds, so this publishes at most one update a second. It waits
    // for the handler that appended to finish: a state change right after the event (idle after
    // turn_complete) must not go out behind an update that still shows the old state.
    if (entry.at !== this.#lastActivityAt) {
      this.#lastActivityAt = entry.at;
      if (!this.#activityUpdateDue) {
        this.#activityUpdateDue = true;
        queueMicrotask(() => {
          if (this.#activityUpdateDue) this.#publishUpdate();
        });
      }
    }
    return entry.seq;
  }

  #publishUpdate(): void {
    this.#activityUpdateDue = false;
    this.#publish({ type: 'session_updated', session: this.snapshot() });
  }

  #releaseTurnWaiters(): void {
    const waiters = this.#turnEndWaiters;
    this.#turnEndWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #requireLive(): void {
    if (this.#stopping || this.#state === 'finished') {
      throw new VibesError('INVALID_STATE', `Session ${this.id} has ended`);
    }
    if (this.#state === 'failed') {
      throw new VibesError('INVALID_STATE', `Session ${this.id} has failed: ${this.#failure ?? 'unknown reason'}`);
    }
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock() / 1000);
  }
}

/** How long a turn's end waits for git to tell what else changed during it. */
const TURN_LOOK_MS = 5000;

/** A running turn: its message, what its tools wrote, and the files as they were when it began. */
interface OpenTurn {
  message: SentMessage | null;
  toolFiles: Set<string>;
  /** Claude called a tool (any: Bash changes files too); a turn without one needs no second look. */
  calledTools: boolean;
  before: Promise<Map<string, string> | null>;
}

/** A prompt for Claude, with its files and images, and what Claude is told beside it (where it was typed). */
type Prompt = { content: string; messageId: string; attachments: StoredAttachment[]; context: string | null };

/** A message sent to Claude with an id. */
interface SentMessage {
  id: string;
  seq: number;
  content: string;
  /** Files git saw change during its turn that no edit tool of the session wrote: undo cannot restore them. */
  otherFiles: string[];
}

function changedBy(source: InputSource): string {
  return source === 'api' ? 'changed through the API' : `changed from the ${source === 'web' ? 'web' : 'CLI'}`;
}
