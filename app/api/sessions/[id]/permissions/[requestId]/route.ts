import { PermissionAnswerBody } from '../../../../../../lib/protocol/index.ts';
import { readBody, requireClientId, route } from '../../../../../../lib/server/route.ts';

export const POST = route<{ id: string; requestId: string }>(async (context) => {
  const clientId = requireClientId(context);
  const answer = await readBody(context, PermissionAnswerBody);
  const session = context.runtime.manager.get(context.params.id);
  session.answerPermission(context.params.requestId, answer, clientId);
  return { session: session.infoFor(clientId) };
});
