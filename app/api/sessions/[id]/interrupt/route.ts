import { route } from '../../../../../lib/server/route.ts';

export const POST = route('interrupt', async ({ runtime, params, clientId }) => {
  const session = await runtime.manager.get(params.id);
  await session.interrupt(clientId);
  return { session: session.infoFor(clientId) };
});
