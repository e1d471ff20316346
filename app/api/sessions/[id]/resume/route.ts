import { EmptyBody } from '../../../../../lib/protocol/index.ts';
import { readBody, requireClientId, route } from '../../../../../lib/server/route.ts';

/** Starts Claude again on an ended session (`--resume`); the caller owns and subscribes to it. */
export const POST = route<{ id: string }>(async (context) => {
  const clientId = requireClientId(context);
  await readBody(context, EmptyBody);
  const session = await context.runtime.manager.resume(context.params.id, clientId);
  return { session: session.infoFor(clientId) };
});
