import { route } from '../../../../../lib/server/route.ts';

/** 202: the input is taken (or queued behind the running turn); its effects arrive as events. */
export const POST = route('sendInput', ({ runtime, params, clientId, deviceId, body }) => {
  const session = runtime.manager.get(params.id);
  const onPhone = runtime.auth.devices.tellsClaudeOnPhone(deviceId);
  session.sendInput(body.content, { clientId, source: body.source ?? 'api', onPhone }, body.attachments);
  return { session: session.infoFor(clientId) };
});
