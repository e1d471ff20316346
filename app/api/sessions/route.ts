import { route } from '../../../lib/server/route.ts';

// GET (the list) is answered by the custom server: lib/server/server-routes.ts.

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
