import { EventsPageQuery, type EventsPage } from '../../../../../lib/protocol/index.ts';
import { parseWith, route } from '../../../../../lib/server/route.ts';

/** Pages from the store, so a transcript of any length opens as fast as a short one. */
export const GET = route<{ id: string }>(({ runtime, params, request }): EventsPage => {
  const query = parseWith(EventsPageQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
  return runtime.manager.readEvents(params.id, query.after, query.limit);
});
