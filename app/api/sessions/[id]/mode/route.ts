import { SetModeBody } from '../../../../../lib/protocol/index.ts';
import { readBody, requireClientId, route } from '../../../../../lib/server/route.ts';

/** Switches the session's permission mode live; `bypassPermissions` only on a server started with the opt-in. */
export const POST = route<{ id: string }>(async (context) => {
  const clientId = requireClientId(context);
  const body = await readBody(context, SetModeBody);
  const session = context.runtime.manager.get(context.params.id);
  await session.setPermissionMode(body.mode, { clientId, source: body.source ?? 'api' });
  return { session: session.infoFor(clientId) };
});
