import { EmptyBody } from '../../../../../lib/protocol/index.ts';
import { readBody, requireClientId, route } from '../../../../../lib/server/route.ts';

export const POST = route<{ id: string }>(async (context) => {
  const clientId = requireClientId(context);
  await readBody(context, EmptyBody);
  context.runtime.lifecycle.subscribe(context.params.id, clientId);
  return { session: context.runtime.manager.get(context.params.id).infoFor(clientId) };
});
