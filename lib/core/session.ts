import { gitBranch } from './git-branch.ts';
import { previewFromReply, projectOf, sessionTitle, titleFromPrompt } from './summary.ts';
import {
  isTurnRunning,
  PERMISSION_MODE_LABELS,
  type ChangesSummary,
  type InputSource,
  type ModelOption,
  type PermissionAnswerBody,
  type PermissionMode,
  type RewindResponse,
  type SessionInfo,
  type SessionState,
  type TodoList,
  type TranscriptEntry,
  type TranscriptEvent,
} from '../protocol/index.ts';
import type { Agent, AgentEvent, AgentFactory } from './agent.ts';
import { VibesError } from './errors.ts';
import { sessionInfoFor, type CoreEvent, type SessionSnapshot } from './events.ts';
import { SessionOwnership, type ClientId } from './ownership.ts';
import { PendingDecisions } from './pending-decisions.ts';
import { todoListFrom } from './todos.ts';

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
}

/** One Claude Code session: its state machine, transcript, ownership and pending permissions. */
export class Session {
  readonly id: string;
  readonly cwd: string;
  readonly createdAt: number;
  readonly demo: boolean;
  readonly node: string | null;
  readonly #name: string | null;
  readonly #ownership: SessionOwnership;
  readonly #decisions = new PendingDecisions();
  /** Between a prompt and its turn_complete; a background subagent may still ask after it. */
  #turnOpen = false;
  /** ExitPlanMode calls' plans by tool call: Claude Code may leave the plan out of the request. */
  readonly #plansInCalls = new Map<string, string>();
  readonly #allowBypass: boolean;
  readonly #queue: string[] = [];
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
  #startCommit: string | null = null;
  #changes: ChangesSummary | null = null;

  constructor(init: SessionInit) {
    this.id = init.id;
    this.cwd = init.cwd;
    this.demo = init.demo ?? false;
    this.node = init.node ?? null;
    this.#name = init.name;
    this.#model = init.model;
    this.#allowBypass = init.allowBypass ?? false;
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
    };
  }

  /** The snapshot as `clientId` sees it. */
  infoFor(clientId: ClientId | null): SessionInfo {
    return sessionInfoFor(this.snapshot(), clientId);
  }

  /** Starts the agent; a start that fails leaves the session `failed` with the reason. */
  async start(): Promise<void> {
    try {
      await this.#agent.start();
    } catch (error) {
      this.#fail(`Claude could not be started: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Sends input now when the session is idle, or queues it behind the running turn. */
  sendInput(content: string, origin: InputOrigin): void {
    this.#requireSubscribed(origin.clientId);
    this.#requireLive();
    this.#promptTitle ??= titleFromPrompt(content);
    const queued = this.isTurnActive || this.#queue.length > 0;
    this.#append({
      type: 'user_input',
      content,
      source: origin.source,
      client_id: origin.clientId,
      ...(queued ? { queued: true } : {}),
    });
    if (queued) {
      this.#queue.push(content);
      this.#publishUpdate();
    } else {
      this.#beginTurn(content);
    }
  }

  /** Answers a decision; a malformed answer (see PendingDecisions) changes nothing. */
  answerPermission(requestId: string, body: PermissionAnswerBody, clientId: ClientId, device?: string): void {
    this.#requireSubscribed(clientId);
    const { answer, resolved } = this.#decisions.answer(requestId, body, { clientId, source: body.source ?? 'api', device });
    this.#agent.answerPermission(requestId, answer);
    this.#append(resolved);
    // Claude reports the mode it switches to as well; setting it here shows it without waiting.
    if (answer.mode !== undefined) this.#onPermissionMode(answer.mode, { clientId, source: body.source ?? 'api' });
    this.#afterLastAnswer();
    this.#publishUpdate();
    if (!this.#turnOpen && this.#decisions.size === 0) this.#sendNextQueued();
  }

  get permissionMode(): PermissionMode {
    return this.#permissionMode;
  }

  /** Switches Claude's permission mode now, also mid-turn; `bypassPermissions` needs the server's opt-in. */
  async setPermissionMode(mode: PermissionMode, origin: InputOrigin): Promise<void> {
    this.#requireSubscribed(origin.clientId);
    this.#requireLive();
    requireModeAllowed(mode, this.#allowBypass);
    const now = await this.#agent.setPermissionMode(mode);
    this.#onPermissionMode(now, origin);
  }

  /** Switches the model for the next requests Claude makes. */
  async setModel(model: string, origin: InputOrigin): Promise<void> {
    this.#requireSubscribed(origin.clientId);
    this.#requireLive();
    await this.#agent.setModel(model);
    this.#model = model;
    this.#append({ type: 'system', subtype: 'model', model, text: `Model: ${model} (${changedBy(origin.source)})` });
    this.#publishUpdate();
  }

  /** The models Claude Code offers, as it lists them. */
  supportedModels(): Promise<ModelOption[]> {
    this.#requireLive();
    return this.#agent.supportedModels();
  }

  /** Stops the running turn and keeps the session; does nothing between turns. */
  async interrupt(clientId: ClientId): Promise<void> {
    this.#requireSubscribed(clientId);
    if (!this.isTurnActive) return;
    await this.#agent.interrupt();
  }

  /** Puts the files back as they were before message `to` (the last one when null); a dry run changes nothing. */
  rewind(request: RewindRequest, clientId: ClientId): Promise<RewindResult> {
    this.#requireSubscribed(clientId);
    this.#requireLive();
    return Promise.reject(new VibesError('CANNOT_REWIND', `Rewind is not available yet (${request.to ?? 'last message'})`));
  }

  /** Ends the agent for sure; the session is `finished` afterwards. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      try {
        await this.#agent.stop();
      } finally {
        this.#queue.length = 0;
        this.#withdrawPending();
        // A failed session stays failed when it is ended: the history says how it ended.
        if (this.#state !== 'failed') this.#transition('finished');
        this.#publishUpdate();
        this.#releaseTurnWaiters();
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
      case 'exited':
        this.#onAgentExit(event.failure);
        return;
    }
  }

  #onTranscriptEvent(event: TranscriptEvent): void {
    switch (event.type) {
      case 'permission_request': {
        const decision = this.#withPlanFromCall(event);
        this.#decisions.add({ ...omitType(decision), requested_at: this.#nowSeconds() });
        this.#append(decision);
        this.#transition('waiting_permission');
        this.#publishUpdate();
        return;
      }
      case 'permission_resolved':
        // From the agent this means Claude withdrew the request.
        if (!this.#decisions.withdraw(event.request_id)) return;
        this.#append(event);
        this.#afterLastAnswer();
        this.#publishUpdate();
        if (!this.#turnOpen && this.#decisions.size === 0) this.#sendNextQueued();
        return;
      case 'turn_complete':
        this.#costUsd = Math.max(this.#costUsd, event.cost_usd);
        this.#turnOpen = false;
        this.#append(event);
        // A background subagent's request outlives the turn that started it: it stays open to answer.
        if (this.#decisions.size === 0) this.#transition('idle');
        this.#publishUpdate();
        if (this.#decisions.size > 0) return;
        this.#releaseTurnWaiters();
        this.#sendNextQueued();
        return;
      case 'tool_use': {
        this.#append(event);
        const input = event.input as { plan?: unknown } | null;
        if (event.name === 'ExitPlanMode' && typeof input?.plan === 'string') this.#plansInCalls.set(event.tool_use_id, input.plan);
        const todos = event.name === 'TodoWrite' && !event.parent_tool_use_id ? todoListFrom(event.tool_use_id, event.input) : null;
        if (todos) {
          this.#todos = todos;
          this.#publishUpdate();
        }
        return;
      }
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

  #withPlanFromCall<T extends Extract<TranscriptEvent, { type: 'permission_request' }>>(event: T): T {
    if (event.display.type !== 'plan' || event.display.plan !== '' || !event.tool_use_id) return event;
    const plan = this.#plansInCalls.get(event.tool_use_id);
    this.#plansInCalls.delete(event.tool_use_id);
    return plan === undefined ? event : { ...event, display: { ...event.display, plan } };
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
    if (failure === null) {
      this.#queue.length = 0;
      this.#withdrawPending();
      this.#transition('finished');
      this.#publishUpdate();
      this.#releaseTurnWaiters();
    } else {
      this.#fail(failure);
    }
    this.#onAgentExited(this, failure);
  }

  #fail(failure: string): void {
    this.#failure = failure;
    this.#queue.length = 0;
    this.#withdrawPending();
    this.#append({ type: 'error', message: failure });
    this.#transition('failed');
    this.#publishUpdate();
    this.#releaseTurnWaiters();
  }

  #beginTurn(content: string): void {
    this.#turnOpen = true;
    this.#transition('processing');
    this.#publishUpdate();
    this.#agent.send(content);
  }

  #sendNextQueued(): void {
    const next = this.#queue.shift();
    if (next !== undefined) this.#beginTurn(next);
  }

  /** With nothing left to answer: back to work if the turn goes on, else idle. */
  #afterLastAnswer(): void {
    if (this.#decisions.size > 0) return;
    this.#transition(this.#turnOpen ? 'processing' : 'idle');
    if (!this.#turnOpen) this.#releaseTurnWaiters();
  }

  /** Requests left open when the agent ends can never be answered. */
  #withdrawPending(): void {
    for (const event of this.#decisions.withdrawAll()) this.#append(event);
  }

  #transition(next: SessionState): void {
    if (next === this.#state || !SESSION_TRANSITIONS[this.#state].includes(next)) return;
    this.#state = next;
    if (next !== 'failed') this.#failure = null;
  }

  #append(event: TranscriptEvent): void {
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

  #requireSubscribed(clientId: ClientId): void {
    if (!this.#ownership.isSubscribed(clientId)) {
      throw new VibesError('NOT_SUBSCRIBED', `Client ${clientId} is not subscribed to session ${this.id}`);
    }
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

function omitType<T extends { type: string }>(event: T): Omit<T, 'type'> {
  const { type: _type, ...rest } = event;
  return rest;
}

function requireModeAllowed(mode: PermissionMode, allowBypass: boolean): void {
  if (mode === 'bypassPermissions' && !allowBypass) {
    throw new VibesError(
      'BYPASS_NOT_ALLOWED',
      'This server does not allow bypassing permissions; start it with --allow-bypass (or VIBES_ALLOW_BYPASS=1) to allow it',
    );
  }
}

function changedBy(source: InputSource): string {
  return source === 'api' ? 'changed through the API' : `changed from the ${source === 'web' ? 'web' : 'CLI'}`;
}
