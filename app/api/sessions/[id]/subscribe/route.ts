import { route } from '../../../../../lib/server/route.ts';

export const POST = route('subscribe', ({ runtime, params, clientId }) => {
  runtime.lifecycle.subscribe(params.id, clientId);
  return { session: runtime.manager.get(params.id).infoFor(clientId) };
});
