import {
  CLIENT_ID_HEADER,
  ErrorBody,
  fillPath,
  ROUTES,
  withQuery,
  type RouteName,
  type RouteResponse,
  type RouteSpec,
} from '../../protocol/index.ts';
import { ApiCalls, type CallOptions } from '../shared/api-calls.ts';
import { ApiError } from '../shared/api-error.ts';

export { ApiError };

export interface ApiClientOptions {
  baseUrl: string;
  /** Sent as X-Vibes-Client-Id; required for anything that changes a session. */
  clientId?: string;
  token?: string;
  fetch?: typeof fetch;
}

/** Typed calls to the vibes HTTP API for Node (CLI, tests); every answer is checked against its schema. */
export class ApiClient extends ApiCalls {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ApiClientOptions) {
    super(options.clientId);
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.#token = options.token;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Headers every request carries: the token, and the client id when there is one. */
  headers(): Record<string, string> {
    return {
      ...(this.#token ? { Authorization: `Bearer ${this.#token}` } : {}),
      ...(this.clientId ? { [CLIENT_ID_HEADER]: this.clientId } : {}),
    };
  }

  async call<Name extends RouteName>(name: Name, options: CallOptions<Name> = {}): Promise<RouteResponse<Name>> {
    const route: RouteSpec = ROUTES[name];
    const path = withQuery(fillPath(route.path, options.params ?? {}), options.query);
    // Routes that take a body get `{}` when the caller has nothing to say.
    const body = route.body ? JSON.stringify(options.body ?? {}) : undefined;
    const response = await this.#fetch(`${this.baseUrl}${path}`, {
      method: route.method,
      headers: { ...this.headers(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
    });
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(json);
      if (parsed.success) throw new ApiError(parsed.data.error.code, response.status, parsed.data.error.message);
      throw new ApiError('INTERNAL', response.status, `Unexpected ${response.status} answer from ${route.method} ${path}`);
    }
    return route.response.parse(json) as RouteResponse<Name>;
  }
}
