import { EventsPageQuery, type EventsPage } from '../../../../../lib/protocol/index.ts';
import { parseWith, route } from '../../../../../lib/server/route.ts';

export const GET = route<{ id: string }>(({ runtime, params, request }): EventsPage => {
  const session = runtime.manager.get(params.id);
  const query = parseWith(EventsPageQuery, Object.fromEntries(new URL(request.url).searchParams), 'query');
  return { events: session.entries(query.after, query.limit), last_seq: session.lastSeq };
});
