import { route } from '../../../../../lib/server/route.ts';

/** Switches the session's permission mode live; `bypassPermissions` only on a server started with the opt-in. */
export const POST = route('setPermissionMode', async ({ runtime, params, clientId, body }) => {
  const session = await runtime.manager.get(params.id);
  await session.setPermissionMode(body.mode, { clientId, source: body.source ?? 'api' });
  return { session: session.infoFor(clientId) };
});
