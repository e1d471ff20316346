import { route } from '../../../lib/server/route.ts';
import { listNodes } from '../../../lib/server/cluster/nodes.ts';

/** The machines of the cluster with their state and live sessions; on a single machine, this one. */
export const GET = route('listNodes', ({ runtime }) => listNodes(runtime));
