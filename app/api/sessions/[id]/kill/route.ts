import { route } from '../../../../../lib/server/route.ts';

/** Answers once the agent's process has ended and every client was told. */
export const POST = route('kill', async ({ runtime, params, clientId }) => {
  await runtime.manager.kill(params.id, clientId);
  return { session_id: params.id, reason: 'killed' as const };
});
