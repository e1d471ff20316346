import { route } from '../../../../../lib/server/route.ts';

export const POST = route('pinSession', ({ runtime, params, clientId, body }) => ({
  session: runtime.manager.setPinned(params.id, body.pinned, clientId),
}));
