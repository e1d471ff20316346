import { VibesError } from '../../core/errors.ts';
import { ErrorBody, ROUTES, type CreateSessionBody, type RouteResponse } from '../../protocol/index.ts';
import type { Runtime } from '../runtime.ts';
import { NodeUnavailable } from './cluster.ts';

/** Starts a session on another node of the cluster on the caller's behalf; its answer, or its error, is ours. */
export async function createOnNode(
  runtime: Runtime,
  node: string,
  body: Omit<CreateSessionBody, 'node'>,
  clientId: string,
): Promise<RouteResponse<'createSession'>> {
  const { cluster } = runtime;
  if (!cluster) throw new VibesError('VALIDATION_FAILED', 'This server is not part of a cluster: leave out node');
  if (cluster.urlOf(node) === undefined) {
    const known = cluster.nodes().some((state) => state.name === node);
    if (!known) throw new VibesError('NOT_FOUND', `There is no node named ${node} in this cluster`);
    throw new VibesError('NODE_UNAVAILABLE', `The machine ${node} is not answering`);
  }
  try {
    const answer = await cluster.send(node, ROUTES.createSession.path, { method: 'POST', clientId, body });
    const json: unknown = await answer.json();
    if (answer.ok) return json as RouteResponse<'createSession'>;
    const error = ErrorBody.safeParse(json);
    throw error.success
      ? new VibesError(error.data.error.code, error.data.error.message)
      : new VibesError('INTERNAL', `The machine ${node} answered ${answer.status}`);
  } catch (error) {
    if (error instanceof NodeUnavailable) throw new VibesError('NODE_UNAVAILABLE', error.message);
    throw error;
  }
}
