import { z } from 'zod';
import { UnixSeconds } from './session.ts';

/** One vibes server of a cluster (a machine), as `GET /api/nodes` lists it. */
export const NodeInfo = z.object({
  name: z.string(),
  /** Where the other nodes reach it. */
  url: z.string(),
  /** `lost`: it stopped sending heartbeats; its sessions ended as `node_lost`. */
  state: z.enum(['up', 'lost']),
  /** The node that answered. */
  self: z.boolean(),
  /** Live sessions running there. */
  sessions: z.number().int().nonnegative(),
  started_at: UnixSeconds,
  last_seen_at: UnixSeconds,
});
export type NodeInfo = z.infer<typeof NodeInfo>;

export const NodeListResponse = z.object({
  /** False on a single machine: then the one node is this server. */
  cluster: z.boolean(),
  nodes: z.array(NodeInfo),
});
export type NodeListResponse = z.infer<typeof NodeListResponse>;
