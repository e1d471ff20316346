import { route } from '../../../../../lib/server/route.ts';

/** An empty name clears it: the session is called by its first prompt again. */
export const POST = route('renameSession', ({ runtime, params, clientId, body }) => ({
  session: runtime.manager.rename(params.id, body.name || null, clientId),
}));
