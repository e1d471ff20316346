import { route } from '../../../../../../lib/server/route.ts';
import { sessionFolder } from '../../../../../../lib/server/session-files.ts';

/** A file of the session's directory: its text (capped) and language, or `binary`. */
export const GET = route('readFile', async ({ runtime, params, query }) => (await sessionFolder(runtime, params.id)).read(query.path));
