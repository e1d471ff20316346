import { EmptyBody } from '../../../../../lib/protocol/index.ts';
import { readBody, requireClientId, route } from '../../../../../lib/server/route.ts';

/** Leaving follows the same rules as disconnecting: ownership passes on, an empty session ends. */
export const POST = route<{ id: string }>(async (context) => {
  const clientId = requireClientId(context);
  await readBody(context, EmptyBody);
  const result = await context.runtime.lifecycle.unsubscribe(context.params.id, clientId);
  return {
    was_owner: result.was_owner,
    session: context.runtime.manager.find(context.params.id)?.infoFor(clientId) ?? null,
  };
});
