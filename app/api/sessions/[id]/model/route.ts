import { SetModelBody } from '../../../../../lib/protocol/index.ts';
import { readBody, requireClientId, route } from '../../../../../lib/server/route.ts';

/** Switches the model Claude uses from its next request on. */
export const POST = route<{ id: string }>(async (context) => {
  const clientId = requireClientId(context);
  const body = await readBody(context, SetModelBody);
  const session = context.runtime.manager.get(context.params.id);
  await session.setModel(body.model, { clientId, source: body.source ?? 'api' });
  return { session: session.infoFor(clientId) };
});
