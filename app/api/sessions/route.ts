import { route } from '../../../lib/server/route.ts';

/** Live sessions, or with `?state=ended` the history: ended sessions, the most recently ended first. */
export const GET = route('listSessions', ({ runtime, clientId, query }) => {
  if (query.state === 'ended') {
    const page = { limit: query.limit, ...(query.before === undefined ? {} : { before: query.before }) };
    return { sessions: runtime.manager.history(page, clientId) };
  }
  return { sessions: runtime.manager.list().map((session) => session.infoFor(clientId)) };
});

/** The caller becomes owner and subscriber. */
export const POST = route('createSession', async ({ runtime, clientId, body }) => {
  const session = await runtime.manager.create({
    ownerId: clientId,
    cwd: body.cwd ?? runtime.config.defaultCwd,
    name: body.name ?? null,
    model: body.model ?? null,
    permissionMode: body.permission_mode ?? 'default',
    ...(body.prompt === undefined ? {} : { prompt: body.prompt }),
    source: body.source ?? 'api',
    demo: body.demo ?? runtime.config.demo,
  });
  return { session: session.infoFor(clientId) };
});
