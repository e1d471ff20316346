import { route } from '../../../../../../lib/server/route.ts';

export const POST = route('answerPermission', ({ runtime, params, clientId, body }) => {
  const session = runtime.manager.get(params.id);
  session.answerPermission(params.requestId, body, clientId);
  return { session: session.infoFor(clientId) };
});
