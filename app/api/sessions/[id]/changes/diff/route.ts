import { route } from '../../../../../../lib/server/route.ts';

/** One changed file's unified diff (binary and huge files summarised). */
export const GET = route('sessionFileDiff', ({ runtime, params, query }) => runtime.manager.fileDiff(params.id, query.path, query.base));
