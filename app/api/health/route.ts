import { route } from '../../../lib/server/route.ts';

export const GET = route(({ runtime }) => ({
  ok: true,
  version: runtime.version,
  epoch: runtime.bus.epoch,
  uptime_s: Math.floor((Date.now() - runtime.startedAt) / 1000),
  sessions: runtime.manager.list().length,
}));
