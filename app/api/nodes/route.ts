import { route } from '../../../lib/server/route.ts';

/** The machines of the cluster with their state and live sessions; on a single machine, this one. */
export const GET = route('listNodes', ({ runtime }) => runtime.topology.nodes());
