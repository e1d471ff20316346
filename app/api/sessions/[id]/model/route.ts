import { route } from '../../../../../lib/server/route.ts';

/** Switches the model Claude uses from its next request on. */
export const POST = route('setModel', async ({ runtime, params, clientId, body }) => {
  const session = await runtime.manager.get(params.id);
  await session.setModel(body.model, { clientId, source: body.source ?? 'api' });
  return { session: session.infoFor(clientId) };
});
