import { ENDPOINTS, type Endpoint, type RouteName } from '../../protocol/endpoints.ts';
import { CLIENT_ID_HEADER } from '../../protocol/headers.ts';
import type { ErrorCode, RouteResponse } from '../../protocol/index.ts';
import { fillPath, withQuery } from '../../protocol/route-path.ts';
import { ApiCalls, isRawBody, type CallOptions } from '../shared/api-calls.ts';
import { ApiError } from '../shared/api-error.ts';

/**
 * The dashboard's HTTP client: the same calls as ApiClient, but it trusts the server's shapes
 * (typed by lib/protocol at compile time) instead of checking them with zod at run time, which
 * would add some 45 KB gzipped to the phone's first load. Same-origin, so the auth cookie rides along.
 */
export class WebApi extends ApiCalls {
  readonly #fetch: typeof fetch;

  constructor(options: { clientId?: string; fetch?: typeof fetch } = {}) {
    super(options.clientId);
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async call<Name extends RouteName>(name: Name, options: CallOptions<Name> = {}): Promise<RouteResponse<Name>> {
    const { method, path: template }: Endpoint = ENDPOINTS[name];
    const path = withQuery(fillPath(template, options.params ?? {}), options.query);
    const headers: Record<string, string> = {};
    if (this.clientId) headers[CLIENT_ID_HEADER] = this.clientId;
    const raw = isRawBody(options.body);
    if (options.body !== undefined) headers['Content-Type'] = raw ? 'application/octet-stream' : 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(path, {
        method,
        headers,
        cache: 'no-store',
        ...(options.body === undefined ? {} : { body: raw ? (options.body as BodyInit) : JSON.stringify(options.body) }),
      });
    } catch (error) {
      throw new ApiError('NETWORK', 0, `The server could not be reached (${error instanceof Error ? error.message : String(error)})`);
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      if (error && typeof error.code === 'string' && typeof error.message === 'string') {
        throw new ApiError(error.code as ErrorCode, response.status, error.message);
      }
      throw new ApiError(
        response.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL',
        response.status,
        `Unexpected ${response.status} answer from ${method} ${path}`,
      );
    }
    return json as RouteResponse<Name>;
  }
}
