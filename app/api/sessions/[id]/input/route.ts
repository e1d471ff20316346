import { InputBody } from '../../../../../lib/protocol/index.ts';
import { readBody, requireClientId, route } from '../../../../../lib/server/route.ts';

export const POST = route<{ id: string }>(async (context) => {
  const clientId = requireClientId(context);
  const body = await readBody(context, InputBody);
  const session = context.runtime.manager.get(context.params.id);
  session.sendInput(body.content, { clientId, source: body.source ?? 'api' });
  return Response.json({ session: session.infoFor(clientId) }, { status: 202 });
});
