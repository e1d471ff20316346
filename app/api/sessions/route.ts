import { CreateSessionBody } from '../../../lib/protocol/index.ts';
import { created, readBody, requireClientId, route } from '../../../lib/server/route.ts';

export const GET = route(({ runtime, clientId }) => ({
  sessions: runtime.manager.list().map((session) => session.infoFor(clientId)),
}));

/** The caller becomes owner and subscriber. */
export const POST = route(async (context) => {
  const ownerId = requireClientId(context);
  const body = await readBody(context, CreateSessionBody);
  const session = await context.runtime.manager.create({
    ownerId,
    cwd: body.cwd ?? context.runtime.config.defaultCwd,
    name: body.name ?? null,
    model: body.model ?? null,
    ...(body.prompt === undefined ? {} : { prompt: body.prompt }),
    source: body.source ?? 'api',
  });
  return created({ session: session.infoFor(ownerId) });
});
