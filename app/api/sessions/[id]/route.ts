import { route } from '../../../../lib/server/route.ts';

export const GET = route<{ id: string }>(({ runtime, params, clientId }) => ({
  session: runtime.manager.get(params.id).infoFor(clientId),
}));
