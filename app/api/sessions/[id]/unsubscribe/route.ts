import { route } from '../../../../../lib/server/route.ts';

/** Leaving follows the same rules as disconnecting: ownership passes on, an empty session ends. */
export const POST = route('unsubscribe', async ({ runtime, params, clientId }) => {
  const result = await runtime.lifecycle.unsubscribe(params.id, clientId);
  return {
    was_owner: result.was_owner,
    session: runtime.manager.find(params.id)?.infoFor(clientId) ?? null,
  };
});
