import { route } from '../../../../../../lib/server/route.ts';

export const POST = route('answerPermission', async ({ runtime, params, clientId, body, device }) => {
  const session = await runtime.manager.get(params.id);
  session.answerPermission(params.requestId, body, clientId, device ?? undefined);
  return { session: session.infoFor(clientId) };
});
