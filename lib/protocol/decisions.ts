import { z } from 'zod';

/*
 * Decisions: every `canUseTool` request Claude makes is a pending decision that clients render
 * natively, without reading tool inputs themselves.
 *
 * - `SessionInfo.pending_permissions[]` is a `PendingDecision`; the transcript's
 *   `permission_request` event carries the same fields (minus `requested_at`).
 *   `kind` says which card to show: `tool` (allow/deny, maybe "allow always"), `question`
 *   (AskUserQuestion: pick options) or `plan` (ExitPlanMode: approve with a mode, or keep planning).
 *   `display` says what to show in it:
 *     `diff`     Edit/MultiEdit/Write/NotebookEdit: a FileDiff computed on the server (hunks with
 *                line numbers and context read from the file; a new file is all added lines).
 *     `command`  Bash: the whole command, its description, the session's cwd.
 *     `question` the questions with header chip, options (label, description) and multi_select.
 *     `plan`     the plan as Markdown.
 *     `input`    anything else: show `input` as readable key/values.
 *   `suggestions[]` are Claude Code's "don't ask again" offers, each with a plain-words
 *   `description` ("Bash commands starting with `npm test`"); offer each one on its own.
 *
 * - Answer with `POST /api/sessions/:id/permissions/:request_id`, body `PermissionAnswerBody`:
 *     tool:     { behavior: 'allow' | 'deny', message?, suggestions?: [id, ...] }  (ids from
 *               `suggestions[]` = "allow and don't ask again" with those rules). The tool runs
 *               what Claude asked: an `updated_input` that changes it is refused (VALIDATION_FAILED).
 *               A suggestion with a `mode` switches the session's mode (bypassPermissions only
 *               with the opt-in, else BYPASS_NOT_ALLOWED) and shows in `permission_mode`.
 *     question: { behavior: 'allow', answers: { [question text]: label } } (multi-select: labels
 *               joined with ", "; "Other": the typed text as the answer); deny = skip the questions.
 *     plan:     { behavior: 'allow', mode: 'acceptEdits' | 'default' } to approve,
 *               { behavior: 'deny', message: feedback } to keep planning.
 *   Always send `source` ('web' from the dashboard, 'cli' from the CLI).
 *
 * - The transcript keeps one place per request: `permission_request` is the compact line; the
 *   matching `permission_resolved` (same request_id) turns it into the decision: behavior,
 *   who answered (`client_id`, `source`, `device` when known; client_id `claude` = withdrawn),
 *   and what was chosen (`answers`, `applied_suggestions` descriptions, `mode`). A tool row
 *   whose `tool_use_id` matches a still-pending request's `tool_use_id` is "waiting for approval".
 *   A `tool_result` for an edit tool carries `diff` (Claude Code's own patch of what it did).
 *
 * - Session state: `SessionInfo.permission_mode` (PermissionMode) and `model`, both in every
 *   `session_updated`; `todos` is the latest TodoWrite list ("3 of 7 done": completed/total).
 *   Change them with `POST /api/sessions/:id/mode` { mode } and `POST /api/sessions/:id/model`
 *   { model }; `GET /api/sessions/:id/models` lists what `supportedModels()` returns.
 *   `bypassPermissions` is refused with BYPASS_NOT_ALLOWED unless the server was started with
 *   the opt-in; `hello.allow_bypass` (and GET /api/health `allow_bypass`) says whether it was.
 *   Clients ask for confirmation every time before sending it. Words for each mode:
 *   PERMISSION_MODE_LABELS in labels.ts (zod-free, safe for the web bundle).
 *
 * - Transcripts stored before these shapes existed (and read by WebApi, which does not parse)
 *   may lack `kind`, `display` and `suggestions`: read them as 'tool', { type: 'input' } and [].
 *
 * - System notes (`system` transcript events) carry `text`: a sentence to show as is
 *   ("Conversation compacted", "Retrying the API: attempt 2 of 10"); `subtype` is for styling only.
 */

/** The modes a vibes session can be in; Claude Code's `dontAsk` and `auto` are not offered. */
export const PermissionMode = z.enum(['default', 'acceptEdits', 'plan', 'bypassPermissions']);
export type PermissionMode = z.infer<typeof PermissionMode>;

export const DecisionKind = z.enum(['tool', 'question', 'plan']);
export type DecisionKind = z.infer<typeof DecisionKind>;

export const DiffLine = z.object({
  kind: z.enum(['context', 'added', 'removed']),
  /** Line number in the file before the change; null for added lines (and in a fragment). */
  old_line: z.number().int().positive().nullable(),
  /** Line number after the change; null for removed lines (and in a fragment). */
  new_line: z.number().int().positive().nullable(),
  text: z.string(),
});
export type DiffLine = z.infer<typeof DiffLine>;

export const DiffHunk = z.object({
  old_start: z.number().int().nonnegative(),
  old_lines: z.number().int().nonnegative(),
  new_start: z.number().int().nonnegative(),
  new_lines: z.number().int().nonnegative(),
  lines: z.array(DiffLine),
});
export type DiffHunk = z.infer<typeof DiffHunk>;

export const FileDiff = z.object({
  file_path: z.string(),
  /**
   * `modified`: an existing file changes; `created`: a new file (all lines added);
   * `fragment`: the file could not be read (or the text to replace is not in it), so this is
   * only the old text against the new, without line numbers.
   */
  status: z.enum(['modified', 'created', 'fragment']),
  hunks: z.array(DiffHunk),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  /** Lines were left out to keep the diff bounded. */
  truncated: z.boolean(),
});
export type FileDiff = z.infer<typeof FileDiff>;

export const QuestionOption = z.object({
  label: z.string(),
  description: z.string(),
  /** Optional preview (code or a mockup) Claude attached to the option. */
  preview: z.string().optional(),
});

export const Question = z.object({
  question: z.string(),
  /** A short chip, e.g. "Library". */
  header: z.string(),
  options: z.array(QuestionOption),
  multi_select: z.boolean(),
});
export type Question = z.infer<typeof Question>;

export const DecisionDisplay = z.discriminatedUnion('type', [
  z.object({ type: z.literal('diff'), diff: FileDiff }),
  z.object({
    type: z.literal('command'),
    command: z.string(),
    description: z.string().nullable(),
    cwd: z.string(),
    run_in_background: z.boolean(),
    timeout_ms: z.number().nonnegative().nullable(),
  }),
  z.object({ type: z.literal('question'), questions: z.array(Question) }),
  z.object({ type: z.literal('plan'), plan: z.string(), file_path: z.string().nullable() }),
  z.object({ type: z.literal('input') }),
]);
export type DecisionDisplay = z.infer<typeof DecisionDisplay>;

export const PermissionSuggestion = z.object({
  /** Stable within its request; send it back in `PermissionAnswerBody.suggestions`. */
  id: z.string(),
  /** The rule in plain words: "Bash commands starting with `npm test`", "edits in this folder for this session". */
  description: z.string(),
  /** Where Claude Code keeps it: `session` ends with the session; the others are settings files. */
  scope: z.enum(['session', 'local', 'project', 'user', 'cli']),
  /** The permission mode choosing it switches the session to (Claude Code's setMode offers); absent for rules. */
  mode: z.string().optional(),
});
export type PermissionSuggestion = z.infer<typeof PermissionSuggestion>;

/** What a decision is about and how to show it; shared by the pending list and the transcript event. */
export const DecisionFields = z.object({
  request_id: z.string(),
  tool_name: z.string(),
  input: z.record(z.string(), z.unknown()),
  /** Claude Code's own sentence for the prompt, e.g. "Claude wants to edit a.txt". */
  title: z.string().optional(),
  /** The tool call this request is about, when Claude names it. */
  tool_use_id: z.string().optional(),
  // Defaults read transcripts stored before decisions had these fields.
  kind: DecisionKind.default('tool'),
  display: DecisionDisplay.default({ type: 'input' }),
  suggestions: z.array(PermissionSuggestion).default([]),
  /** Why Claude Code asks (e.g. a path outside the allowed folders), when it says. */
  reason: z.string().optional(),
});
export type DecisionFields = z.infer<typeof DecisionFields>;

/** A plan approval's choice of how to go on: auto-accept edits, or keep approving them by hand. */
export const PlanApprovalMode = z.enum(['acceptEdits', 'default']);
export type PlanApprovalMode = z.infer<typeof PlanApprovalMode>;

export const TodoItem = z.object({
  content: z.string(),
  status: z.enum(['pending', 'in_progress', 'completed']),
  /** What Claude shows while it works on it ("Running the tests"). */
  active_form: z.string(),
});
export type TodoItem = z.infer<typeof TodoItem>;

/** The latest TodoWrite list of a session, to pin above the transcript. */
export const TodoList = z.object({
  items: z.array(TodoItem),
  completed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** The TodoWrite call it came from. */
  tool_use_id: z.string(),
});
export type TodoList = z.infer<typeof TodoList>;

export const ModelOption = z.object({
  /** What to send to `POST /api/sessions/:id/model`. */
  value: z.string(),
  display_name: z.string(),
  description: z.string(),
});
export type ModelOption = z.infer<typeof ModelOption>;
