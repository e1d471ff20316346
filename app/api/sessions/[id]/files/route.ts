import { route } from '../../../../../lib/server/route.ts';
import { sessionFolder } from '../../../../../lib/server/session-files.ts';

/** A folder of the session's directory, read-only and confined to it. */
export const GET = route('listFiles', async ({ runtime, params, query }) => (await sessionFolder(runtime, params.id)).list(query.path));
