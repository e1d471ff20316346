import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type {
  CanUseTool,
  HookCallback,
  PermissionResult,
  PermissionUpdate as SdkPermissionUpdate,
  Query,
  SDKUserMessage,
  SpawnOptions,
  SpawnedProcess,
} from '@anthropic-ai/claude-agent-sdk';
import type { UUID } from 'node:crypto';
import { CLAUDE_CLIENT_ID, PermissionMode, type ModelOption, type SlashCommand, type TranscriptEvent } from '../../protocol/index.ts';
import type { Agent, AgentEvent, AgentFactory, AgentOptions, PermissionAnswer, RewindOutcome } from '../agent.ts';
import { messageContent } from '../attachments/blocks.ts';
import type { StoredAttachment } from '../attachments/store.ts';
import { describeDecision } from './decisions/describe.ts';
import { isPermissionUpdate, offerableUpdates, type PermissionUpdate } from './decisions/suggestions.ts';
import { requireDirectory } from '../directory.ts';
import { VibesError } from '../errors.ts';
import { describeAuthFailure, describeExit, looksLikeAuthFailure, OutputTail } from './failure.ts';
import { contextFromClaude, slashCommandsFromClaude } from './context.ts';
import { ClaudeMessageMapper } from './message-mapper.ts';
import { ClaudeToolCalls } from './tool-calls.ts';
import { withTimeout } from '../timeouts.ts';
import { errorMessage } from '../../protocol/text.ts';

export interface ClaudeAgentConfig {
  /** The `claude` to run; undefined runs the binary the Agent SDK ships. */
  executable?: string | undefined;
  /** The child's whole environment; the server passes its own. */
  env?: NodeJS.ProcessEnv;
  /** How long a stopped process gets after SIGTERM before SIGKILL. */
  killGraceMs?: number;
  /** How long `start` waits for Claude to answer the SDK's initialize request. */
  startTimeoutMs?: number;
  /** The server's opt-in to `bypassPermissions`; Claude refuses that mode without it. */
  allowBypass?: boolean;
}

interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: string;
}

interface PendingRequest {
  input: Record<string, unknown>;
  /** Claude's "don't ask again" offers, by the ids the decision gives them (their index). */
  suggestions: PermissionUpdate[];
  settle: (result: PermissionResult) => void;
}

const DEFAULT_KILL_GRACE_MS = 3000;
const DEFAULT_START_TIMEOUT_MS = 60_000;
const INTERRUPT_TIMEOUT_MS = 10_000;
/** How long a mode or model change, a rewind, or a list Claude is asked for may take. */
const CONTROL_TIMEOUT_MS = 15_000;
const DEFAULT_DENY_MESSAGE = 'The user denied this tool call.';

export function createClaudeAgentFactory(config: ClaudeAgentConfig = {}): AgentFactory {
  return (options, emit) => new ClaudeAgent(options, emit, config);
}

/**
 * One long-lived `claude` process per session, driven through the Agent SDK in streaming-input
 * mode. Permission prompts wait in `#pending` until the session answers them.
 */
export class ClaudeAgent implements Agent {
  readonly #options: AgentOptions;
  readonly #emit: (event: AgentEvent) => void;
  readonly #config: ClaudeAgentConfig;
  readonly #mapper = new ClaudeMessageMapper();
  readonly #toolCalls = new ClaudeToolCalls();
  readonly #input = new InputChannel<SDKUserMessage>();
  readonly #pending = new Map<string, PendingRequest>();
  readonly #stderr = new OutputTail();
  #query: Query | null = null;
  #child: ChildProcess | null = null;
  /** Settles when the spawned process has ended and its output is read; never if none was spawned. */
  readonly #exit: Promise<ExitStatus>;
  #onExit: (status: ExitStatus) => void = () => {};
  #consuming: Promise<void> | null = null;
  #stopping: Promise<void> | null = null;
  #exitReported = false;
  #interruptRequested = false;
  #models: Promise<ModelOption[]> | null = null;
  /** What Claude is told beside the prompt just sent, until Claude Code asks for it. */
  #promptContext: string | null = null;

  constructor(options: AgentOptions, emit: (event: AgentEvent) => void, config: ClaudeAgentConfig) {
    this.#options = options;
    this.#emit = emit;
    this.#config = config;
    this.#exit = new Promise((resolve) => (this.#onExit = resolve));
  }

  /** The Claude process's id once it runs (its process group has the same id). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async start(): Promise<void> {
    await requireDirectory(this.#options.cwd);
    const { executable } = this.#config;
    // Loaded with the first session rather than at server start: it is most of a cold start.
    const { query } = await import('@anthropic-ai/claude-agent-sdk');
    this.#query = query({
      prompt: this.#input,
      options: {
        cwd: this.#options.cwd,
        ...(this.#options.model ? { model: this.#options.model } : {}),
        ...(this.#options.resume ? { resume: this.#options.resume } : {}),
        // Always explicit: without it the CLI may pick an automatic mode and never ask.
        permissionMode: this.#options.permissionMode,
        ...(this.#config.allowBypass ? { allowDangerouslySkipPermissions: true } : {}),
        canUseTool: this.#canUseTool,
        // The SDK fixes the system prompt at start; a prompt's own context goes through this hook.
        hooks: { UserPromptSubmit: [{ hooks: [this.#onPromptSubmit] }] },
        systemPrompt: { type: 'preset', preset: 'claude_code' },
        env: { ...(this.#config.env ?? process.env) },
        includePartialMessages: true,
        // Claude keeps a copy of each file its edit tools change, per message: what rewind restores.
        enableFileCheckpointing: true,
        ...(executable === undefined ? {} : { pathToClaudeCodeExecutable: executable }),
        spawnClaudeCodeProcess: (spawnOptions) => this.#spawn(spawnOptions),
      },
    });
    this.#consuming = this.#consume(this.#query);
    try {
      const exitedEarly = this.#exit.then((exit): never => {
        throw new Error(describeExit({ ...exit, stderrTail: this.#stderr.toString() }));
      });
      await withTimeout(
        Promise.race([this.#query.initializationResult(), exitedEarly]),
        this.#config.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
        'Claude did not answer the initialize request in time',
      );
    } catch (error) {
      await this.stop();
      throw error;
    }
    // A resumed Claude knows its conversation's last usage already: shown before the next turn.
    if (this.#options.resume) void this.#refreshContext();
  }

  send(content: string, messageId: string, attachments: readonly StoredAttachment[] = [], context: string | null = null): void {
    if (this.#stopping || this.#exitReported) return;
    this.#interruptRequested = false;
    this.#promptContext = context;
    const message = { role: 'user' as const, content: messageContent(content, attachments) };
    this.#input.push({ type: 'user', message, parent_tool_use_id: null, uuid: messageId as UUID });
  }

  /**
   * Claude Code asks before each prompt goes to the model; its answer's context reaches the model
   * as a system message beside the prompt, the prompt's text unchanged. Only the prompt we sent
   * gets it (a prompt Claude Code makes itself, a wake-up or a notification, does not).
   */
  readonly #onPromptSubmit: HookCallback = async (input) => {
    if (input.hook_event_name !== 'UserPromptSubmit' || input.source === 'system') return {};
    const context = this.#promptContext;
    this.#promptContext = null;
    return context === null ? {} : { hookSpecificOutput: { hookEventName: 'UserPromptSubmit', additionalContext: context } };
  };

  rewindFiles(messageId: string, dryRun: boolean): Promise<RewindOutcome> {
    return this.#control((query) => query.rewindFiles(messageId, { dryRun }), 'answer the rewind');
  }

  answerPermission(requestId: string, answer: PermissionAnswer): void {
    const pending = this.#pending.get(requestId);
    if (!pending) throw new VibesError('NOT_FOUND', `Claude is not waiting for an answer to permission request ${requestId}`);
    this.#pending.delete(requestId);
    if (answer.behavior === 'deny') {
      pending.settle({ behavior: 'deny', message: answer.message ?? DEFAULT_DENY_MESSAGE });
      return;
    }
    const updates: PermissionUpdate[] = (answer.suggestionIds ?? []).flatMap((id) => pending.suggestions[Number(id)] ?? []);
    if (answer.mode !== undefined) updates.push({ type: 'setMode', mode: answer.mode, destination: 'session' });
    pending.settle({
      behavior: 'allow',
      updatedInput: answer.updatedInput ?? pending.input,
      // Handed back as Claude sent them (isPermissionUpdate checked their shape on the way in).
      ...(updates.length > 0 ? { updatedPermissions: updates as SdkPermissionUpdate[] } : {}),
    });
  }

  async setPermissionMode(mode: PermissionMode): Promise<PermissionMode> {
    const response = await this.#control((query) => query.setPermissionMode(mode), 'confirm the permission mode');
    const now = PermissionMode.safeParse(response?.mode);
    return now.success ? now.data : mode;
  }

  async setModel(model: string): Promise<void> {
    await this.#control((query) => query.setModel(model), 'confirm the model');
  }

  supportedModels(): Promise<ModelOption[]> {
    // The list does not change while the process runs; a failed ask is tried again next time.
    this.#models ??= this.#control((query) => query.supportedModels(), 'list its models').then(
      // A Claude that lists none (an older one, the fake) answers with nothing, not an error.
      (models) => (models ?? []).map((model) => ({ value: model.value, display_name: model.displayName, description: model.description })),
      (error: unknown) => {
        this.#models = null;
        throw error;
      },
    );
    return this.#models;
  }

  async supportedCommands(): Promise<SlashCommand[]> {
    // The SDK keeps the list from Claude's initialize answer, replaced whenever Claude pushes a new one.
    return slashCommandsFromClaude(await this.#control((query) => query.supportedCommands(), 'list its commands'));
  }

  /**
   * Asks Claude how full its context is: a control request Claude answers from the usage the
   * model reported for its latest answer (`summary`: no token-count call, no model call).
   */
  async #refreshContext(): Promise<void> {
    try {
      const usage = await this.#control((query) => query.getContextUsage({ detail: 'summary' }), 'say how full its context is');
      const context = contextFromClaude(usage);
      if (context && !this.#stopping && !this.#exitReported) this.#emit({ type: 'context', context });
    } catch {
      // An older Claude (or one busy ending, or ended) that cannot say: the figure stays as it was.
    }
  }

  /** A control request to the running Claude, which must `what` within CONTROL_TIMEOUT_MS. */
  async #control<T>(ask: (query: Query) => Promise<T>, what: string): Promise<T> {
    if (!this.#query || this.#stopping || this.#exitReported) throw new VibesError('INVALID_STATE', 'Claude is not running');
    return withTimeout(ask(this.#query), CONTROL_TIMEOUT_MS, `Claude did not ${what} in time`);
  }

  async interrupt(): Promise<void> {
    if (!this.#query || this.#stopping || this.#exitReported) return;
    this.#interruptRequested = true;
    await withTimeout(
      this.#query.interrupt(),
      INTERRUPT_TIMEOUT_MS,
      `Claude did not acknowledge the interrupt within ${INTERRUPT_TIMEOUT_MS} ms`,
    );
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#input.close();
      this.#denyAllPending('The session was ended.');
      await this.#terminate();
      this.#query?.close();
      await Promise.race([this.#consuming, delay(2000)]);
    })();
    return this.#stopping;
  }

  readonly #canUseTool: CanUseTool = async (toolName, input, options) => {
    if (this.#stopping || this.#exitReported) return { behavior: 'deny', message: 'The session has ended.' };
    const requestId = options.requestId && !this.#pending.has(options.requestId) ? options.requestId : randomUUID();
    const title = options.title ?? options.description;
    const suggestions = offerableUpdates((options.suggestions ?? []).filter(isPermissionUpdate), this.#config.allowBypass ?? false);
    // Reads the file for an edit's diff; Claude may withdraw the request meanwhile.
    const decision = await describeDecision({
      requestId,
      toolName,
      input,
      cwd: this.#options.cwd,
      title,
      toolUseId: options.toolUseID,
      suggestions,
      reason: options.decisionReason,
    });
    if (this.#stopping || this.#exitReported) return { behavior: 'deny', message: 'The session has ended.' };
    if (options.signal.aborted) return { behavior: 'deny', message: 'Withdrawn.' };
    return await new Promise<PermissionResult>((resolve) => {
      const onWithdrawn = () => {
        if (!this.#pending.delete(requestId)) return;
        this.#emitTranscript({
          type: 'permission_resolved',
          request_id: requestId,
          behavior: 'deny',
          client_id: CLAUDE_CLIENT_ID,
          message: 'Claude withdrew this request.',
        });
        resolve({ behavior: 'deny', message: 'Withdrawn.' });
      };
      this.#pending.set(requestId, {
        input,
        suggestions,
        settle: (result) => {
          options.signal.removeEventListener('abort', onWithdrawn);
          resolve(result);
        },
      });
      options.signal.addEventListener('abort', onWithdrawn, { once: true });
      this.#emitTranscript({ type: 'permission_request', ...this.#toolCalls.withPlan(decision) });
    });
  };

  #spawn(spawnOptions: SpawnOptions): SpawnedProcess {
    // A .js/.mjs executable comes as `node <path>`: run it with this very Node.
    const command = spawnOptions.command === 'node' ? process.execPath : spawnOptions.command;
    // Its own process group, so a stop reaches whatever Claude started too (shells, servers).
    const child = spawn(command, spawnOptions.args, {
      cwd: spawnOptions.cwd,
      // Next.js declares NODE_ENV required on ProcessEnv; the SDK built this environment from ours.
      env: spawnOptions.env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.#child = child;
    child.once('close', (code, signal) => this.#onExit({ code, signal }));
    child.once('error', (error) => {
      if (child.pid === undefined) this.#onExit({ code: null, signal: null, error: error.message });
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => this.#stderr.push(chunk));
    spawnOptions.signal.addEventListener('abort', () => void this.#terminate(), { once: true });
    return child;
  }

  async #consume(messages: Query): Promise<void> {
    let loopError: string | undefined;
    try {
      for await (const message of messages) this.#onMessage(message);
    } catch (error) {
      loopError = errorMessage(error);
    }
    if (this.#stopping || this.#exitReported) return;
    // The loop ends when Claude's stdout closes: wait for the process itself, or end it.
    const exitedByItself = await Promise.race([this.#exit, delay(2000).then(() => null)]);
    const exit = exitedByItself ?? (await this.#terminate());
    if (this.#stopping || this.#exitReported) return;
    this.#denyAllPending('Claude has exited.');
    const clean = exitedByItself !== null && exit.code === 0 && exit.signal === null && !exit.error;
    const error = exit.error ?? (exitedByItself === null ? (loopError ?? 'Claude stopped talking but did not exit') : undefined);
    const failure = clean
      ? null
      : describeExit({ code: exit.code, signal: exit.signal, stderrTail: this.#stderr.toString(), ...(error ? { error } : {}) });
    this.#reportExit(failure);
  }

  #onMessage(message: unknown): void {
    if (this.#stopping || this.#exitReported) return;
    for (const event of this.#mapper.map(message)) {
      if (event.type === 'transcript' && event.event.type === 'turn_complete') {
        this.#onTurnComplete(event.event);
        continue;
      }
      this.#emit(event);
      const todos = event.type === 'transcript' && event.event.type === 'tool_use' ? this.#toolCalls.noteCall(event.event) : null;
      if (todos) this.#emit({ type: 'todos', todos });
    }
  }

  #onTurnComplete(event: Extract<TranscriptEvent, { type: 'turn_complete' }>): void {
    const interrupted = this.#interruptRequested;
    this.#interruptRequested = false;
    // Requests still open stay open: a background subagent asks after its parent's turn ended,
    // and Claude withdraws (control_cancel_request) whatever it no longer waits for.
    const authFailure = event.is_error && event.result !== undefined && looksLikeAuthFailure(event.result);
    const result = interrupted && event.is_error && !event.result ? 'Interrupted.' : event.result;
    // The session sends queued input on turn_complete; a session about to fail must not.
    if (authFailure) this.#input.close();
    this.#emitTranscript({ ...event, ...(result === undefined ? {} : { result }) });
    if (authFailure && event.result !== undefined) {
      this.#reportExit(describeAuthFailure(event.result));
      void this.#terminate();
      return;
    }
    void this.#refreshContext();
  }

  #reportExit(failure: string | null): void {
    if (this.#exitReported) return;
    this.#exitReported = true;
    this.#input.close();
    this.#emit({ type: 'exited', failure });
  }

  #emitTranscript(event: TranscriptEvent): void {
    this.#emit({ type: 'transcript', event });
  }

  #denyAllPending(message: string): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) request.settle({ behavior: 'deny', message });
  }

  /** Ends the process group for sure: SIGTERM, then SIGKILL after the grace period. */
  async #terminate(): Promise<ExitStatus> {
    const child = this.#child;
    const exit = this.#exit;
    if (!child) return { code: null, signal: null };
    if (child.pid === undefined) return exit;
    const pid = child.pid;
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(pid, 'SIGTERM');
      const graceful = await Promise.race([exit, delay(this.#config.killGraceMs ?? DEFAULT_KILL_GRACE_MS).then(() => null)]);
      if (!graceful) signalGroup(pid, 'SIGKILL');
    }
    const status = await exit;
    // Whatever Claude started and left behind in its group goes with it.
    signalGroup(pid, 'SIGKILL');
    return status;
  }
}

/** The prompt stream the SDK reads: open for the whole session, so the process stays up between turns. */
class InputChannel<T> implements AsyncIterable<T> {
  readonly #buffer: T[] = [];
  #wake: (() => void) | null = null;
  #closed = false;

  push(item: T): void {
    if (this.#closed) return;
    this.#buffer.push(item);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const next = this.#buffer.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = null;
    }
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
