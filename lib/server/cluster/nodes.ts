import { hostname } from 'node:os';
import type { NodeListResponse } from '../../protocol/index.ts';
import type { Runtime } from '../runtime.ts';

export function listNodes(runtime: Runtime): NodeListResponse {
  if (runtime.cluster) return { cluster: true, nodes: runtime.cluster.nodes() };
  const now = Math.floor(Date.now() / 1000);
  return {
    cluster: false,
    nodes: [
      {
        name: hostname(),
        url: `http://${runtime.config.host}:${runtime.port}`,
        state: 'up',
        self: true,
        sessions: runtime.manager.list().length,
        started_at: Math.floor(runtime.startedAt / 1000),
        last_seen_at: now,
      },
    ],
  };
}
