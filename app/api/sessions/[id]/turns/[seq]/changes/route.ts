import { route } from '../../../../../../../lib/server/route.ts';

/** What the turn started by the user_input at `seq` changed. */
export const GET = route('turnChanges', ({ runtime, params }) => runtime.manager.turnChanges(params.id, params.seq));
