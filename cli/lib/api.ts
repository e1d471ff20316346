import type { ApiClient } from '../../lib/client/node/api-client.ts';
import { readToken } from './locate.ts';

/**
 * The CLI's client of the server at `url`, with the token. Its transport is node:http (a quick command
 * starts faster than with undici's fetch), and it trusts answers as the dashboard does: checking them
 * would load zod and every schema of the protocol, about half of what a quick command costs to start.
 * Loaded on use, since oclif imports every command file to list them.
 */
export async function cliApi(url: string, clientId?: string): Promise<ApiClient> {
  const [{ ApiClient }, { nodeHttpFetch }] = await Promise.all([
    import('../../lib/client/node/api-client.ts'),
    import('../../lib/client/node/node-http-fetch.ts'),
  ]);
  const token = readToken();
  return new ApiClient({
    baseUrl: url,
    fetch: nodeHttpFetch,
    checkAnswers: false,
    ...(token ? { token } : {}),
    ...(clientId ? { clientId } : {}),
  });
}
