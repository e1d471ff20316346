import { route } from '../../../../../lib/server/route.ts';

/** 202: the input is taken (or queued behind the running turn); its effects arrive as events. */
export const POST = route('sendInput', async ({ runtime, params, clientId, body }) => {
  const session = await runtime.manager.get(params.id);
  session.sendInput(body.content, { clientId, source: body.source ?? 'api' }, body.attachments);
  return { session: session.infoFor(clientId) };
});
