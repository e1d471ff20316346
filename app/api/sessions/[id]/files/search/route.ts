import { route } from '../../../../../../lib/server/route.ts';
import { sessionFolder } from '../../../../../../lib/server/session-files.ts';

/** Files of the session's directory by name, bounded in time and entries. */
export const GET = route('searchFiles', async ({ runtime, params, query }) =>
  (await sessionFolder(runtime, params.id)).search(query.q, query.limit),
);
