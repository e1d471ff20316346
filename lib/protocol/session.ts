import { z } from 'zod';
import { DecisionFields, PermissionMode, TodoList } from './decisions.ts';

/** Unix seconds. */
export const UnixSeconds = z.number().int().nonnegative();

export const SessionState = z.enum(['idle', 'processing', 'waiting_permission', 'failed', 'finished']);
export type SessionState = z.infer<typeof SessionState>;

/**
 * `node_lost`: in a cluster, the machine that ran the session stopped answering;
 * `server_stopped`: in a cluster, the machine that ran it was stopped cleanly.
 */
export const RemovalReason = z.enum(['owner_disconnected', 'killed', 'session_finished', 'node_lost', 'server_stopped']);
export type RemovalReason = z.infer<typeof RemovalReason>;

/**
 * Why a session is over, kept in history: a removal reason, or the server going away under it.
 * `server_stopped`: the server was shut down cleanly while it ran. `server_restarted`: the server
 * died without ending it (a crash, SIGKILL, power loss) and found it still live on its next start.
 */
export const EndReason = z.enum([...RemovalReason.options, 'server_stopped', 'server_restarted']);
export type EndReason = z.infer<typeof EndReason>;

/** A decision Claude waits for; see decisions.ts for how clients show and answer it. */
export const PendingPermission = DecisionFields.extend({
  requested_at: UnixSeconds,
});
export type PendingPermission = z.infer<typeof PendingPermission>;

/** A session's changes against the commit it started on, as last computed (see work.ts). */
export const ChangesSummary = z.object({
  files: z.number().int().nonnegative(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
});
export type ChangesSummary = z.infer<typeof ChangesSummary>;

/**
 * How full Claude's context window is, as Claude last said (after each turn): what the model was
 * given for its latest answer, out of the window; compaction starts at `compact_at_percentage`.
 */
export const ContextUsage = z.object({
  used_tokens: z.number().int().nonnegative(),
  max_tokens: z.number().int().positive(),
  /** 0-100, as Claude Code's /context rounds it. */
  percentage: z.number().nonnegative(),
  /** Where Claude compacts the conversation by itself; absent when auto-compaction is off. */
  compact_at_percentage: z.number().nonnegative().optional(),
});
export type ContextUsage = z.infer<typeof ContextUsage>;

export const SessionInfo = z.object({
  id: z.string(),
  name: z.string().nullable(),
  /** What to call it: the name, else the first line of the first prompt, else the id's start. */
  title: z.string(),
  /** One line of Claude's latest reply (at most 140 characters); null before the first. */
  preview: z.string().nullable().default(null),
  /** The working directory's last folder. */
  project: z.string(),
  /** The git branch the working directory is on (a short commit when detached); null outside a repository. */
  git_branch: z.string().nullable().default(null),
  state: SessionState,
  owner_id: z.string(),
  /** Computed for the client that asked. */
  is_owner: z.boolean(),
  subscriber_count: z.number().int().nonnegative(),
  created_at: UnixSeconds,
  last_activity_at: UnixSeconds,
  cwd: z.string(),
  /** The model Claude runs, as Claude names it (or as asked for, until Claude says). */
  model: z.string().nullable(),
  permission_mode: PermissionMode.default('default'),
  /** The latest TodoWrite list, or null when Claude has not made one. */
  todos: TodoList.nullable().default(null),
  pending_permissions: z.array(PendingPermission),
  /** Inputs waiting for the running turn to end. */
  queued_inputs: z.number().int().nonnegative(),
  /** The session's total: every turn's cost added up, across resumes (each a new Claude process). */
  cost_usd: z.number().nonnegative(),
  claude_session_id: z.string().nullable(),
  /** Why the session failed, readable by a person; null unless state is failed. */
  failure: z.string().nullable(),
  /** When the session ended; null while it is live. An ended session is read-only until resumed. */
  ended_at: UnixSeconds.nullable(),
  end_reason: EndReason.nullable(),
  /** The fake Claude answers (no Claude account needed); chosen at creation, kept on resume. */
  demo: z.boolean().default(false),
  /** In a cluster: the machine (node) it runs on, or ran on; null on a single machine. */
  node: z.string().nullable().default(null),
  /** Its changes against its start (files, +/-): null before the first look, or when the folder cannot be read. */
  changes: ChangesSummary.nullable().default(null),
  /** HEAD when the session started (git); null outside a repository. */
  start_commit: z.string().nullable().default(null),
  /** How full the context window is; null before Claude first says (and once the session has ended). */
  context: ContextUsage.nullable().default(null),
  /** Kept at the top of the live list; set by any client that may act on the session, seen by all. */
  pinned: z.boolean().default(false),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
