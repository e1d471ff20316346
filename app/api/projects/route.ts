import { route } from '../../../lib/server/route.ts';

/** Where sessions ran lately, for starting the next one there. */
export const GET = route('recentProjects', ({ runtime }) => ({ projects: runtime.manager.recentProjects() }));
