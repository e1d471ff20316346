import { route } from '../../../../../lib/server/route.ts';

/** Starts Claude again on an ended session (`--resume`); the caller owns and subscribes to it. */
export const POST = route('resume', async ({ runtime, params, clientId }) => {
  const session = await runtime.manager.resume(params.id, clientId);
  return { session: session.infoFor(clientId) };
});
