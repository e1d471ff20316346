import { z } from 'zod';
import { RemovalReason, SessionInfo, UnixSeconds } from './session.ts';
import { TranscriptEvent } from './transcript.ts';

/** What `GET /api/events` sends. The SSE `event:` field is the `type`; `data:` is the whole object. */
export const HelloEvent = z.object({
  type: z.literal('hello'),
  client_id: z.string(),
  /** Changes on every server start; a Last-Event-ID from another epoch cannot be replayed. */
  epoch: z.string(),
  /** The server was started with the opt-in that lets sessions run in `bypassPermissions`. */
  allow_bypass: z.boolean(),
  /** A new session that does not say is a demo session (the server was started with --demo). */
  demo_default: z.boolean().default(false),
});

export const SessionListEvent = z.object({
  type: z.literal('session_list'),
  sessions: z.array(SessionInfo),
});

export const SessionUpdatedEvent = z.object({
  type: z.literal('session_updated'),
  session: SessionInfo,
});

export const SessionRemovedEvent = z.object({
  type: z.literal('session_removed'),
  session_id: z.string(),
  reason: RemovalReason,
});

export const OwnershipTransferredEvent = z.object({
  type: z.literal('ownership_transferred'),
  session_id: z.string(),
  new_owner_id: z.string(),
  you_are_owner: z.boolean(),
});

export const SessionEventEvent = z.object({
  type: z.literal('session_event'),
  session_id: z.string(),
  seq: z.number().int().positive(),
  at: UnixSeconds,
  event: TranscriptEvent,
});

export const ResyncReason = z.enum(['epoch_changed', 'replay_window_exceeded', 'slow_client']);
export type ResyncReason = z.infer<typeof ResyncReason>;

export const ResyncEvent = z.object({
  type: z.literal('resync'),
  reason: ResyncReason,
});

export const ServerEvent = z.discriminatedUnion('type', [
  HelloEvent,
  SessionListEvent,
  SessionUpdatedEvent,
  SessionRemovedEvent,
  OwnershipTransferredEvent,
  SessionEventEvent,
  ResyncEvent,
]);
export type ServerEvent = z.infer<typeof ServerEvent>;
export type ServerEventType = ServerEvent['type'];
export const SERVER_EVENT_TYPES = ServerEvent.options.map((option) => option.shape.type.value);
