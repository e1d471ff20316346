import { route } from '../../../lib/server/route.ts';

// GET (the list) is answered by the custom server: lib/server/server-routes.ts.

/** The caller becomes owner and subscriber. */
export const POST = route('createSession', async ({ runtime, clientId, body }) => {
  const { node, ...rest } = body;
  if (node !== undefined && node !== runtime.topology.node) return runtime.topology.createSession(node, rest, clientId);
  const session = await runtime.manager.create({
    ownerId: clientId,
    cwd: rest.cwd ?? runtime.config.defaultCwd,
    name: rest.name ?? null,
    model: rest.model ?? null,
    permissionMode: rest.permission_mode ?? 'default',
    ...(rest.prompt === undefined ? {} : { prompt: rest.prompt }),
    source: rest.source ?? 'api',
    demo: rest.demo ?? runtime.config.demo,
  });
  return { session: session.infoFor(clientId) };
});
