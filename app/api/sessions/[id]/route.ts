import { route } from '../../../../lib/server/route.ts';

/** A live session, or an ended one (with `ended_at` set) from the history. */
export const GET = route('getSession', async ({ runtime, params, clientId }) => ({
  session: await runtime.manager.info(params.id, clientId),
}));
