import { CreateSessionBody, SessionListQuery } from '../../../lib/protocol/index.ts';
import { created, parseWith, readBody, requireClientId, route } from '../../../lib/server/route.ts';

/** Live sessions, or with `?state=ended` the history: ended sessions, the most recently ended first. */
export const GET = route(({ runtime, clientId, request }) => {
  const query = parseWith(SessionListQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
  if (query.state === 'ended') {
    const page = { limit: query.limit, ...(query.before === undefined ? {} : { before: query.before }) };
    return { sessions: runtime.manager.history(page, clientId) };
  }
  return { sessions: runtime.manager.list().map((session) => session.infoFor(clientId)) };
});

/** The caller becomes owner and subscriber. */
export const POST = route(async (context) => {
  const ownerId = requireClientId(context);
  const body = await readBody(context, CreateSessionBody);
  const session = await context.runtime.manager.create({
    ownerId,
    cwd: body.cwd ?? context.runtime.config.defaultCwd,
    name: body.name ?? null,
    model: body.model ?? null,
    permissionMode: body.permission_mode ?? 'default',
    ...(body.prompt === undefined ? {} : { prompt: body.prompt }),
    source: body.source ?? 'api',
  });
  return created({ session: session.infoFor(ownerId) });
});
