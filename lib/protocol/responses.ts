import { z } from 'zod';
import { SessionInfo, UnixSeconds } from './session.ts';
import { TranscriptEntry } from './transcript.ts';

/** What every JSON route answers with on success; errors are ErrorBody (errors.ts). */
export const HealthResponse = z.object({
  ok: z.literal(true),
  version: z.string(),
  /** Changes on every server start, like the event stream's epoch. */
  epoch: z.string(),
  uptime_s: z.number().int().nonnegative(),
  sessions: z.number().int().nonnegative(),
  /** The server was started with the opt-in that allows `bypassPermissions`. */
  allow_bypass: z.boolean(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

export const SessionListResponse = z.object({ sessions: z.array(SessionInfo) });
export type SessionListResponse = z.infer<typeof SessionListResponse>;

export const SessionResponse = z.object({ session: SessionInfo });
export type SessionResponse = z.infer<typeof SessionResponse>;

export const EventsPage = z.object({
  events: z.array(TranscriptEntry),
  /** The highest seq the session has; more pages exist while the last event's seq is below it. */
  last_seq: z.number().int().nonnegative(),
});
export type EventsPage = z.infer<typeof EventsPage>;

export const UnsubscribeResponse = z.object({
  was_owner: z.boolean(),
  /** Null when leaving ended the session (nobody else was subscribed). */
  session: SessionInfo.nullable(),
});
export type UnsubscribeResponse = z.infer<typeof UnsubscribeResponse>;

export const KillResponse = z.object({ session_id: z.string(), reason: z.literal('killed') });
export type KillResponse = z.infer<typeof KillResponse>;

export const TokenRotatedResponse = z.object({ token: z.string() });
export type TokenRotatedResponse = z.infer<typeof TokenRotatedResponse>;

/** A working directory sessions ran in, for starting the next one there. */
export const RecentProject = z.object({
  cwd: z.string(),
  /** Its last folder, as a session calls its project. */
  project: z.string(),
  /** The latest activity of a session there (Unix seconds). */
  last_active_at: UnixSeconds,
});
export type RecentProject = z.infer<typeof RecentProject>;

/** The most recently used first, each directory once. */
export const RecentProjectsResponse = z.object({ projects: z.array(RecentProject) });
export type RecentProjectsResponse = z.infer<typeof RecentProjectsResponse>;
