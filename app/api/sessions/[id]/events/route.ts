import { route } from '../../../../../lib/server/route.ts';

/** Pages from the store, so a transcript of any length opens as fast as a short one. */
export const GET = route('sessionEvents', ({ runtime, params, query }) => runtime.manager.readEvents(params.id, query.after, query.limit));
