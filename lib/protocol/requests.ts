import { z } from 'zod';
import { InputSource, PermissionBehavior } from './transcript.ts';
import { ModelOption, PermissionMode, PlanApprovalMode } from './decisions.ts';
import { isDisplaySafe } from './text.ts';
import { ATTACHMENT_LIMITS, LIMITS } from './rules.ts';
import { AttachmentId } from './attachments.ts';
import { SessionState } from './session.ts';

/** A client names itself with this in CLIENT_ID_HEADER, or keeps its id across reconnects with `?client_id=`. */
export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'a client id is 1 to 100 letters, digits, _ or -');

/** `GET /api/events`: the id to keep across reconnects, and where to resume when no Last-Event-ID header can be sent. */
export const EventStreamQuery = z.object({ client_id: ClientId.optional(), last_event_id: z.string().optional() });

export const CreateSessionBody = z.strictObject({
  prompt: z.string().min(1).max(LIMITS.inputChars).optional(),
  name: z
    .string()
    .trim()
    .min(1)
    .max(LIMITS.nameChars)
    .refine(isDisplaySafe, 'a name has no control characters and no bidirectional overrides')
    .optional(),
  cwd: z.string().min(1).max(LIMITS.pathChars).optional(),
  model: z.string().min(1).max(LIMITS.modelChars).optional(),
  /** `default` when absent; `bypassPermissions` only on a server started with the opt-in. */
  permission_mode: PermissionMode.optional(),
  /** The fake Claude answers instead of yours; absent: the server's default (false unless started with --demo). */
  demo: z.boolean().optional(),
  source: InputSource.optional(),
  /** In a cluster: the node (machine) to run it on; this one when absent. */
  node: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/)
    .optional(),
});
export type CreateSessionBody = z.infer<typeof CreateSessionBody>;

/** For POSTs that take no parameters: nothing, or `{}`. */
export const EmptyBody = z.strictObject({});

export const InputBody = z
  .strictObject({
    /** May be empty when files are attached. */
    content: z.string().max(LIMITS.inputChars),
    source: InputSource.optional(),
    /** Ids from uploadAttachment, in the order they go to Claude. Past ATTACHMENT_LIMITS.count: TOO_MANY_ATTACHMENTS. */
    attachments: z
      .array(AttachmentId)
      .max(5 * ATTACHMENT_LIMITS.count)
      .optional(),
  })
  .refine((body) => body.content.length > 0 || (body.attachments?.length ?? 0) > 0, {
    message: 'send some text, an attachment, or both',
    path: ['content'],
  });
export type InputBody = z.infer<typeof InputBody>;

/** How to answer each kind of decision: see the comment at the top of decisions.ts. */
export const PermissionAnswerBody = z.strictObject({
  behavior: PermissionBehavior,
  /** Deny: what Claude is told (a plan's feedback). Allow: ignored. */
  message: z.string().max(LIMITS.messageChars).optional(),
  /** Question decisions, allow only: question text -> chosen label (multi-select: labels joined by ", "). */
  answers: z.record(z.string().max(LIMITS.messageChars), z.string().max(LIMITS.messageChars)).optional(),
  /** Question decisions, allow only: the input with the fields the form fills (`answers`, `annotations`); any other change is refused. */
  updated_input: z.record(z.string(), z.unknown()).optional(),
  /** Allow only: ids of the request's `suggestions` to apply ("allow and don't ask again"). */
  suggestions: z.array(z.string().max(100)).max(LIMITS.suggestions).optional(),
  /** Plan decisions, allow only: the permission mode to go on in. */
  mode: PlanApprovalMode.optional(),
  source: InputSource.optional(),
});
export type PermissionAnswerBody = z.infer<typeof PermissionAnswerBody>;

export const SetModeBody = z.strictObject({
  mode: PermissionMode,
  source: InputSource.optional(),
});
export type SetModeBody = z.infer<typeof SetModeBody>;

export const SetModelBody = z.strictObject({
  /** A `value` from `GET /api/sessions/:id/models`, or any model name Claude Code accepts. */
  model: z.string().trim().min(1).max(LIMITS.modelChars),
  source: InputSource.optional(),
});
export type SetModelBody = z.infer<typeof SetModelBody>;

export const ModelListResponse = z.object({ models: z.array(ModelOption) });
export type ModelListResponse = z.infer<typeof ModelListResponse>;

/** A slash command as Claude Code lists it: a built-in, the project's or the user's command, a skill. */
export const SlashCommand = z.object({
  /** Without the slash: `/name args` runs it. */
  name: z.string(),
  description: z.string(),
  /** What it takes after the name (`<file>`); empty when nothing. */
  argument_hint: z.string(),
});
export type SlashCommand = z.infer<typeof SlashCommand>;

export const CommandListResponse = z.object({ commands: z.array(SlashCommand) });
export type CommandListResponse = z.infer<typeof CommandListResponse>;

const SessionName = z
  .string()
  .trim()
  .max(LIMITS.nameChars)
  .refine(isDisplaySafe, 'a name has no control characters and no bidirectional overrides');

export const RenameBody = z.strictObject({
  /** Shown instead of the title taken from the first prompt; empty or null clears it. */
  name: SessionName.nullable(),
});
export type RenameBody = z.infer<typeof RenameBody>;

export const PinBody = z.strictObject({
  pinned: z.boolean(),
});
export type PinBody = z.infer<typeof PinBody>;

export const EventsPageQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().positive().max(LIMITS.eventsPageMax).default(200),
});
export type EventsPageQuery = z.infer<typeof EventsPageQuery>;

export const SessionListQuery = z.object({
  /** `live` (the default): running sessions; `ended`: history, the most recently ended first. */
  state: z.enum(['live', 'ended']).default('live'),
  limit: z.coerce.number().int().positive().max(LIMITS.historyPageMax).default(LIMITS.historyPageMax),
  /** History only: sessions that ended before this time (Unix seconds), to page further back. */
  before: z.coerce.number().int().nonnegative().optional(),
  /** Words the name, the title or the working directory contains (any case); in the history, over all of it, not a page. */
  q: z.string().trim().max(LIMITS.searchChars).optional(),
  /** A working directory (with a `/`: that path exactly) or a project (its last folder). */
  project: z.string().trim().min(1).max(LIMITS.pathChars).optional(),
  /** Only sessions in this state (`state` already says live or ended, so this has its own name). */
  status: SessionState.optional(),
});
export type SessionListQuery = z.infer<typeof SessionListQuery>;
