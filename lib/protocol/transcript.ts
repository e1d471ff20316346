import { z } from 'zod';
import { UnixSeconds } from './session.ts';
import { DecisionFields, FileDiff, PlanApprovalMode } from './decisions.ts';
import { TurnChangedFile } from './work.ts';
import { Attachment } from './attachments.ts';

export const InputSource = z.enum(['cli', 'web', 'api']);
export type InputSource = z.infer<typeof InputSource>;

export const PermissionBehavior = z.enum(['allow', 'deny']);
export type PermissionBehavior = z.infer<typeof PermissionBehavior>;

export const UserInputEvent = z.object({
  type: z.literal('user_input'),
  content: z.string(),
  source: InputSource,
  client_id: z.string(),
  /** True when it arrived during a turn and waits for that turn to end. */
  queued: z.boolean().optional(),
  /** The uuid the message was sent to Claude with: what rewind takes. Absent on older transcripts. */
  message_id: z.string().optional(),
  /** Files and images sent with it; their bytes are at getAttachment. */
  attachments: z.array(Attachment).optional(),
});

export const TextDeltaEvent = z.object({
  type: z.literal('text_delta'),
  message_id: z.string(),
  text: z.string(),
});

export const TextEvent = z.object({
  type: z.literal('text'),
  message_id: z.string(),
  text: z.string(),
  /** Set for text written by a subagent: the id of the tool call that started it. */
  parent_tool_use_id: z.string().nullable().optional(),
});

export const ThinkingEvent = z.object({
  type: z.literal('thinking'),
  text: z.string(),
  parent_tool_use_id: z.string().nullable().optional(),
});

export const ToolUseEvent = z.object({
  type: z.literal('tool_use'),
  tool_use_id: z.string(),
  name: z.string(),
  input: z.unknown(),
  /** Set for calls made by a subagent: the id of the tool call that started it. */
  parent_tool_use_id: z.string().nullable().optional(),
});

export const ToolResultEvent = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z.unknown(),
  is_error: z.boolean(),
  parent_tool_use_id: z.string().nullable().optional(),
  /** For an edit tool: the change Claude Code made, as it reports it. */
  diff: FileDiff.optional(),
});

/** A decision Claude asks for (see decisions.ts); answered by the `permission_resolved` with its request_id. */
export const PermissionRequestEvent = DecisionFields.extend({
  type: z.literal('permission_request'),
});

export const PermissionResolvedEvent = z.object({
  type: z.literal('permission_resolved'),
  request_id: z.string(),
  behavior: PermissionBehavior,
  /** Who answered; `claude` when Claude withdrew the request itself (or it ended with the turn). */
  client_id: z.string(),
  /** Where the answer came from; absent when Claude withdrew the request. */
  source: InputSource.optional(),
  /** The signed-in device that answered, by its label, when known. */
  device: z.string().optional(),
  message: z.string().optional(),
  /** A question's answers: question text -> chosen label(s). */
  answers: z.record(z.string(), z.string()).optional(),
  /** The "don't ask again" rules applied with this answer, in plain words. */
  applied_suggestions: z.array(z.string()).optional(),
  /** A plan approved with this mode. */
  mode: PlanApprovalMode.optional(),
});

export const Usage = z.object({
  input_tokens: z.number().nonnegative(),
  output_tokens: z.number().nonnegative(),
  cache_read_input_tokens: z.number().nonnegative().optional(),
  cache_creation_input_tokens: z.number().nonnegative().optional(),
});
export type Usage = z.infer<typeof Usage>;

export const TurnCompleteEvent = z.object({
  type: z.literal('turn_complete'),
  is_error: z.boolean(),
  duration_ms: z.number().nonnegative(),
  /** What this turn cost (Claude reports a running total per process; this is its step). */
  cost_usd: z.number().nonnegative(),
  usage: Usage,
  /** Claude's closing text for the turn, e.g. the error it ended with. */
  result: z.string().optional(),
  /** What the turn changed: `tool` by its edit tools, `other` seen by git and written by none of them. */
  changed_files: z.array(TurnChangedFile).optional(),
});

export const ErrorEvent = z.object({
  type: z.literal('error'),
  message: z.string(),
});

/** A note from Claude Code or vibes. `text` is the note in words, to show as is; `subtype` is for styling. */
export const SystemEvent = z.looseObject({
  type: z.literal('system'),
  subtype: z.string(),
  text: z.string().optional(),
});

export const TranscriptEvent = z.discriminatedUnion('type', [
  UserInputEvent,
  TextDeltaEvent,
  TextEvent,
  ThinkingEvent,
  ToolUseEvent,
  ToolResultEvent,
  PermissionRequestEvent,
  PermissionResolvedEvent,
  TurnCompleteEvent,
  ErrorEvent,
  SystemEvent,
]);
export type TranscriptEvent = z.infer<typeof TranscriptEvent>;

/** One event of a session's transcript, numbered from 1 within that session. */
export const TranscriptEntry = z.object({
  seq: z.number().int().positive(),
  at: UnixSeconds,
  event: TranscriptEvent,
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;
