import { createOnNode } from '../../../lib/server/cluster/create-on-node.ts';
import { route } from '../../../lib/server/route.ts';

// GET (the list) is answered by the custom server: lib/server/server-routes.ts.

/** The caller becomes owner and subscriber. */
export const POST = route('createSession', async ({ runtime, clientId, deviceId, body }) => {
  const { node, ...rest } = body;
  if (node !== undefined && node !== runtime.cluster?.node) return createOnNode(runtime, node, rest, clientId);
  const session = await runtime.manager.create({
    ownerId: clientId,
    cwd: rest.cwd ?? runtime.config.defaultCwd,
    name: rest.name ?? null,
    model: rest.model ?? null,
    permissionMode: rest.permission_mode ?? 'default',
    ...(rest.prompt === undefined ? {} : { prompt: rest.prompt }),
    source: rest.source ?? 'api',
    onPhone: runtime.auth.devices.tellsClaudeOnPhone(deviceId),
    demo: rest.demo ?? runtime.config.demo,
  });
  return { session: session.infoFor(clientId) };
});
