import { z } from 'zod';
import { InputSource, PermissionBehavior } from './transcript.ts';
import { isDisplaySafe } from './text.ts';

export const LIMITS = {
  inputChars: 100_000,
  nameChars: 200,
  pathChars: 4096,
  modelChars: 200,
  messageChars: 10_000,
  eventsPageMax: 1000,
  historyPageMax: 200,
} as const;

/** A client names itself with this in CLIENT_ID_HEADER, or keeps its id across reconnects with `?client_id=`. */
export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'a client id is 1 to 100 letters, digits, _ or -');

export const CreateSessionBody = z.strictObject({
  prompt: z.string().min(1).max(LIMITS.inputChars).optional(),
  name: z.string().trim().min(1).max(LIMITS.nameChars).refine(isDisplaySafe, 'a name has no control characters and no bidirectional overrides').optional(),
  cwd: z.string().min(1).max(LIMITS.pathChars).optional(),
  model: z.string().min(1).max(LIMITS.modelChars).optional(),
  source: InputSource.optional(),
});
export type CreateSessionBody = z.infer<typeof CreateSessionBody>;

/** For POSTs that take no parameters: nothing, or `{}`. */
export const EmptyBody = z.strictObject({});

export const InputBody = z.strictObject({
  content: z.string().min(1).max(LIMITS.inputChars),
  source: InputSource.optional(),
});
export type InputBody = z.infer<typeof InputBody>;

export const PermissionAnswerBody = z.strictObject({
  behavior: PermissionBehavior,
  message: z.string().max(LIMITS.messageChars).optional(),
});
export type PermissionAnswerBody = z.infer<typeof PermissionAnswerBody>;

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
});
export type SessionListQuery = z.infer<typeof SessionListQuery>;
