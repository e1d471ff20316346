import type { ServerResponse } from 'node:http';
import type { HealthResponse } from '../protocol/index.ts';
import type { Runtime } from './runtime.ts';

/**
 * `GET /api/health`, answered by the custom server itself (like the event stream), so it answers
 * from the moment the server listens, while Next is still being prepared.
 */
export function sendHealth(res: ServerResponse, runtime: Runtime): void {
  const health: HealthResponse = {
    ok: true,
    version: runtime.version,
    epoch: runtime.topology.bus.epoch,
    uptime_s: Math.floor((Date.now() - runtime.startedAt) / 1000),
    sessions: runtime.manager.list().length,
    allow_bypass: runtime.config.allowBypass,
  };
  const body = JSON.stringify(health);
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
