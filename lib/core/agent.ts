import type { StoredAttachment } from './attachments/store.ts';
import type { ContextUsage, ModelOption, PermissionBehavior, PermissionMode, SlashCommand, TranscriptEvent } from '../protocol/index.ts';
import type { TodoList } from '../protocol/decisions.ts';

/** What an agent reports; the session turns these into transcript entries and states. */
export type AgentEvent =
  /** Anything for the transcript. `permission_request` makes a request pending; a
   * `permission_resolved` from the agent withdraws one; `turn_complete` ends the turn. */
  | { type: 'transcript'; event: TranscriptEvent }
  /** Claude announced (or changed) its own session id and model. */
  | { type: 'claude_session'; claude_session_id: string; model: string | null }
  /** Claude says which permission mode it is in now (after a plan approval, a rule, a change). */
  | { type: 'permission_mode'; mode: PermissionMode }
  /** How full the context window is now (after a turn), as Claude counts it. */
  | { type: 'context'; context: ContextUsage }
  /** Claude wrote its todo list anew (the main agent's, not a subagent's). */
  | { type: 'todos'; todos: TodoList }
  /** The agent's process is gone; `failure` is null when it ended cleanly. */
  | { type: 'exited'; failure: string | null };

export interface PermissionAnswer {
  behavior: PermissionBehavior;
  message?: string;
  /** Allow only: the input the tool runs with (a question's answers are merged into it); the request's own when absent. */
  updatedInput?: Record<string, unknown>;
  /** Allow only: ids of the request's suggestions to apply ("don't ask again"). */
  suggestionIds?: string[];
  /** Allow only: the permission mode the session goes on in (a plan approval). */
  mode?: PermissionMode;
}

/** What Claude answers to a rewind of its file checkpoints (the SDK's RewindFilesResult). */
export interface RewindOutcome {
  canRewind: boolean;
  error?: string;
  /** Absolute paths, as Claude names them. */
  filesChanged?: string[];
  insertions?: number;
  deletions?: number;
  /** A real rewind only: links it refused to touch. */
  skippedLinks?: number;
}

export interface AgentOptions {
  /** An existing directory. */
  cwd: string;
  model: string | null;
  permissionMode: PermissionMode;
  /** Claude's session id to continue, if any. */
  resume: string | null;
  /** A demo session: the fake Claude runs instead of the real one. */
  demo: boolean;
}

/**
 * One running agent behind one session. The session calls `send` only between turns; it
 * queues input itself. `stop` must end the process for sure and resolve only once it has.
 */
export interface Agent {
  start(): Promise<void>;
  /**
   * `messageId`: the uuid the message goes with, which its file checkpoint is kept under.
   * `attachments`: files and images sent with it, read from disk as it leaves.
   * `context`: what Claude is told beside this prompt, outside the user's text (lib/core/reader-context.ts).
   */
  send(content: string, messageId: string, attachments?: readonly StoredAttachment[], context?: string | null): void;
  /** Puts the files Claude's edit tools changed back as they were before message `messageId`. */
  rewindFiles(messageId: string, dryRun: boolean): Promise<RewindOutcome>;
  answerPermission(requestId: string, answer: PermissionAnswer): void;
  interrupt(): Promise<void>;
  /** Resolves with the mode now in effect (Claude may answer with another than asked). */
  setPermissionMode(mode: PermissionMode): Promise<PermissionMode>;
  setModel(model: string): Promise<void>;
  supportedModels(): Promise<ModelOption[]>;
  /** The slash commands Claude Code offers in this session (built-ins, the project's and the user's, skills). */
  supportedCommands(): Promise<SlashCommand[]>;
  stop(): Promise<void>;
}

export type AgentFactory = (options: AgentOptions, emit: (event: AgentEvent) => void) => Agent;

/** One server, both kinds of session: a demo session gets the fake Claude, any other the real one. */
export function demoAwareAgentFactory(factories: { real: AgentFactory; demo: AgentFactory }): AgentFactory {
  return (options, emit) => (options.demo ? factories.demo : factories.real)(options, emit);
}
