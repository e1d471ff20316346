import { route } from '../../../../../lib/server/route.ts';

/** The files changed in the session's folder, against its start commit or HEAD. */
export const GET = route('sessionChanges', ({ runtime, params, query }) => runtime.manager.changes(params.id, query.base));
