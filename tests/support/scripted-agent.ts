import type { Agent, AgentEvent, AgentFactory, AgentOptions, PermissionAnswer, RewindOutcome } from '../../lib/core/index.ts';
import type { ModelOption, PermissionMode, SlashCommand, TranscriptEvent } from '../../lib/protocol/index.ts';

/**
 * An in-process agent for core unit tests only: the test plays Claude's side by hand.
 * Everything else runs the real Claude agent against the fake Claude executable.
 */
export class ScriptedAgent implements Agent {
  readonly options: AgentOptions;
  readonly sent: string[] = [];
  readonly messageIds: string[] = [];
  /** What Claude was to be told beside each message sent (null: nothing). */
  readonly contexts: (string | null)[] = [];
  readonly rewinds: { messageId: string; dryRun: boolean }[] = [];
  rewindOutcome: RewindOutcome | null = null;
  readonly answers: { requestId: string; answer: PermissionAnswer }[] = [];
  started = false;
  stopped = false;
  interrupts = 0;
  readonly modes: PermissionMode[] = [];
  readonly models: string[] = [];
  readonly #emit: (event: AgentEvent) => void;

  constructor(options: AgentOptions, emit: (event: AgentEvent) => void) {
    this.options = options;
    this.#emit = emit;
  }

  async start(): Promise<void> {
    this.started = true;
  }

  send(content: string, messageId: string, _attachments?: unknown, context: string | null = null): void {
    this.sent.push(content);
    this.messageIds.push(messageId);
    this.contexts.push(context);
  }

  /** Answers like a Claude that checkpointed nothing, unless a test sets `rewindOutcome`. */
  async rewindFiles(messageId: string, dryRun: boolean): Promise<RewindOutcome> {
    this.rewinds.push({ messageId, dryRun });
    return this.rewindOutcome ?? { canRewind: false, error: 'No file checkpoint found for this message.' };
  }

  answerPermission(requestId: string, answer: PermissionAnswer): void {
    this.answers.push({ requestId, answer });
  }

  async interrupt(): Promise<void> {
    this.interrupts++;
  }

  async setPermissionMode(mode: PermissionMode): Promise<PermissionMode> {
    this.modes.push(mode);
    return mode;
  }

  async setModel(model: string): Promise<void> {
    this.models.push(model);
  }

  async supportedModels(): Promise<ModelOption[]> {
    return [{ value: 'sonnet', display_name: 'Sonnet', description: 'Fast' }];
  }

  async supportedCommands(): Promise<SlashCommand[]> {
    return [{ name: 'compact', description: 'Free up context by summarizing the conversation so far', argument_hint: '' }];
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  emit(event: TranscriptEvent): void {
    this.#emit({ type: 'transcript', event });
  }

  emitAgentEvent(event: AgentEvent): void {
    this.#emit(event);
  }

  completeTurn(costUsd = 0.01, isError = false): void {
    this.emit({
      type: 'turn_complete',
      is_error: isError,
      duration_ms: 5,
      cost_usd: costUsd,
      usage: { input_tokens: 1, output_tokens: 1 },
    });
  }

  requestPermission(requestId: string, toolName = 'Bash'): void {
    this.emit({
      type: 'permission_request',
      request_id: requestId,
      tool_name: toolName,
      input: { command: 'ls' },
      kind: 'tool',
      display: { type: 'input' },
      suggestions: [],
    });
  }
}

/** A factory that remembers every agent it made, newest last. */
export function scriptedAgents(): { factory: AgentFactory; agents: ScriptedAgent[]; last(): ScriptedAgent } {
  const agents: ScriptedAgent[] = [];
  return {
    agents,
    factory: (options, emit) => {
      const agent = new ScriptedAgent(options, emit);
      agents.push(agent);
      return agent;
    },
    last() {
      const agent = agents.at(-1);
      if (!agent) throw new Error('no agent was created');
      return agent;
    },
  };
}
