import { z } from 'zod';
import { FileDiff } from './decisions.ts';
import { SessionInfo, UnixSeconds } from './session.ts';
import { LIMITS } from './rules.ts';

/**
 * The session's work (issue #25): what changed in its folder, what one turn changed, and undo.
 * Paths on the wire are relative to the session's cwd, '/'-separated, never absolute, never `..`.
 *
 * - `GET /api/sessions/:id/changes?base=start|head`: the changed files (ChangesResponse). `start`
 *   (the default) compares with the commit the session started on, `head` with HEAD now. Only the
 *   session's folder counts, even inside a larger repository. Outside git (`source: 'tools'`)
 *   only the files this session's edit tools wrote are listed, counted from their own diffs.
 *   A count is at most a second old; while Claude works it is redone in the background
 *   (coalesced) and `SessionInfo.changes` follows it.
 * - `GET /api/sessions/:id/changes/diff?path=...&base=...`: one file's unified diff.
 * - `GET /api/sessions/:id/turns/:seq/changes`: what the turn started by the user_input at `seq` changed.
 * - `POST /api/sessions/:id/rewind` `{ to?, dry_run? }`: puts the files back as they were before
 *   the message `to` (a user_input's `message_id`; the last one when absent). Ask with
 *   `dry_run: true` first, show `files_changed` and `not_restorable`, then rewind for real.
 */

export const ChangeBase = z.enum(['start', 'head']);
export type ChangeBase = z.infer<typeof ChangeBase>;

export const FileChangeStatus = z.enum(['modified', 'added', 'deleted', 'renamed', 'untracked', 'type_changed']);
export type FileChangeStatus = z.infer<typeof FileChangeStatus>;

export const ChangedFile = z.object({
  path: z.string(),
  /** A rename's or copy's previous path; null otherwise. */
  old_path: z.string().nullable(),
  status: FileChangeStatus,
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  binary: z.boolean(),
  /** This session's own tools (Edit, Write, MultiEdit, NotebookEdit) wrote it. */
  by_session: z.boolean(),
});
export type ChangedFile = z.infer<typeof ChangedFile>;

export const ChangesResponse = z.object({
  /** `tools`: the folder is not in a git repository: only the files this session's tools wrote are listed. */
  source: z.enum(['git', 'tools']),
  base: ChangeBase,
  base_commit: z.string().nullable(),
  head_commit: z.string().nullable(),
  /** The session's folder relative to the repository root ('' at the root); null outside git. */
  scope: z.string().nullable(),
  files: z.array(ChangedFile),
  /** More files changed than are listed (the cap is 2,000). */
  truncated: z.boolean(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  computed_at: UnixSeconds,
});
export type ChangesResponse = z.infer<typeof ChangesResponse>;

export const FilePatchResponse = z.object({
  path: z.string(),
  old_path: z.string().nullable(),
  status: FileChangeStatus,
  binary: z.boolean(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  /** Git's unified diff of this one file, headers included; null when omitted, and outside git (the turn's diffs show those edits). */
  patch: z.string().nullable(),
  omitted: z.enum(['binary', 'too_large']).nullable(),
  /** Bytes of the new side (0 when deleted). */
  size: z.number().int().nonnegative(),
});
export type FilePatchResponse = z.infer<typeof FilePatchResponse>;

export const TurnChangeSource = z.enum(['tool', 'other']);
export type TurnChangeSource = z.infer<typeof TurnChangeSource>;

/** On a turn_complete: what the turn changed. `other`: git saw it change, and no tool of this session wrote it (Bash...). */
export const TurnChangedFile = z.object({ path: z.string(), source: TurnChangeSource });
export type TurnChangedFile = z.infer<typeof TurnChangedFile>;

export const TurnChangesResponse = z.object({
  /** The seq of the user_input that started the turn. */
  seq: z.number().int().positive(),
  files: z.array(
    z.object({
      path: z.string(),
      source: TurnChangeSource,
      /** From the turn's tool_result diffs, in order; [] for `other`. */
      diffs: z.array(FileDiff),
    }),
  ),
  /** False: `other` changes could not be known (no git, or the turn ran before vibes looked). */
  git: z.boolean(),
});
export type TurnChangesResponse = z.infer<typeof TurnChangesResponse>;

export const ChangesQuery = z.object({ base: ChangeBase.default('start') });
export type ChangesQuery = z.infer<typeof ChangesQuery>;

export const FileDiffQuery = z.object({
  path: z.string().min(1).max(LIMITS.pathChars),
  base: ChangeBase.default('start'),
});
export type FileDiffQuery = z.infer<typeof FileDiffQuery>;

/** A user_input's message_id: the uuid its message was sent to Claude with. */
export const MessageId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a message id is a uuid');

export const RewindBody = z.strictObject({
  /** The message to go back to before; absent: the last user message that has a message_id. */
  to: MessageId.optional(),
  dry_run: z.boolean().optional(),
});
export type RewindBody = z.infer<typeof RewindBody>;

export const RewindResponse = z.object({
  dry_run: z.boolean(),
  can_rewind: z.boolean(),
  /** The message_id rewound to (before it). */
  to: z.string(),
  files_changed: z.array(z.string()),
  insertions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  /** After a real rewind: links the SDK refused to touch; null on a dry run. */
  skipped_links: z.number().int().nonnegative().nullable(),
  /** Files changed since that message by other means (Bash): undo cannot restore them. */
  not_restorable: z.array(z.string()),
  /** Why can_rewind is false, in words; null when it can. */
  error: z.string().nullable(),
  session: SessionInfo,
});
export type RewindResponse = z.infer<typeof RewindResponse>;

/** The transcript note a rewind leaves (a `system` event). */
export const REWIND_SUBTYPE = 'rewind';
