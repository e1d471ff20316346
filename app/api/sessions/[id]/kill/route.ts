import { EmptyBody } from '../../../../../lib/protocol/index.ts';
import { readBody, requireClientId, route } from '../../../../../lib/server/route.ts';

/** Answers once the agent's process has ended and every client was told. */
export const POST = route<{ id: string }>(async (context) => {
  const clientId = requireClientId(context);
  await readBody(context, EmptyBody);
  await context.runtime.manager.kill(context.params.id, clientId);
  return { session_id: context.params.id, reason: 'killed' };
});
