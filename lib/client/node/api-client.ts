import { ENDPOINTS, type Endpoint, type RouteName } from '../../protocol/endpoints.ts';
import { CLIENT_ID_HEADER } from '../../protocol/headers.ts';
import type * as Protocol from '../../protocol/index.ts';
import type { ErrorCode, RouteResponse } from '../../protocol/index.ts';
import { fillPath, withQuery } from '../../protocol/route-path.ts';
import { ApiCalls, isRawBody, type CallOptions } from '../shared/api-calls.ts';
import { ApiError } from '../shared/api-error.ts';

export { ApiError };

export interface ApiClientOptions {
  baseUrl: string;
  /** Sent as X-Vibes-Client-Id; required for anything that changes a session. */
  clientId?: string;
  token?: string;
  fetch?: typeof fetch;
  /**
   * Check every answer against its zod schema (the default). Off, answers are trusted as the
   * dashboard trusts them, and zod with the whole protocol's schemas (about half of a quick CLI
   * command's start) is never loaded.
   */
  checkAnswers?: boolean;
}

/** Typed calls to the vibes HTTP API for Node (CLI, tests); answers are checked against their schemas unless told not to. */
export class ApiClient extends ApiCalls {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #checkAnswers: boolean;

  constructor(options: ApiClientOptions) {
    super(options.clientId);
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.#token = options.token;
    this.#fetch = options.fetch ?? fetch;
    this.#checkAnswers = options.checkAnswers ?? true;
  }

  /** Headers every request carries: the token, and the client id when there is one. */
  headers(): Record<string, string> {
    return {
      ...(this.#token ? { Authorization: `Bearer ${this.#token}` } : {}),
      ...(this.clientId ? { [CLIENT_ID_HEADER]: this.clientId } : {}),
    };
  }

  async call<Name extends RouteName>(name: Name, options: CallOptions<Name> = {}): Promise<RouteResponse<Name>> {
    const route: Endpoint = ENDPOINTS[name];
    const path = withQuery(fillPath(route.path, options.params ?? {}), options.query);
    // Every POST route takes a body (routes.ts): `{}` when the caller has nothing to say.
    const raw = isRawBody(options.body);
    const body = raw ? (options.body as BodyInit) : route.method === 'POST' ? JSON.stringify(options.body ?? {}) : undefined;
    const contentType = raw ? 'application/octet-stream' : 'application/json';
    const response = await this.#fetch(`${this.baseUrl}${path}`, {
      method: route.method,
      headers: { ...this.headers(), ...(body === undefined ? {} : { 'Content-Type': contentType }) },
      ...(body === undefined ? {} : { body }),
    });
    const json: unknown = await response.json().catch(() => null);
    const checks = this.#checkAnswers ? await import('../../protocol/index.ts') : null;
    if (!response.ok) {
      const error = errorOf(json, checks);
      if (error) throw new ApiError(error.code, response.status, error.message);
      throw new ApiError('INTERNAL', response.status, `Unexpected ${response.status} answer from ${route.method} ${path}`);
    }
    return (checks ? checks.ROUTES[name].response.parse(json) : json) as RouteResponse<Name>;
  }
}

type ProtocolModule = typeof Protocol;

/** The `{error: {code, message}}` of an error answer, checked with zod when the schemas are loaded. */
function errorOf(json: unknown, checks: ProtocolModule | null): { code: ErrorCode; message: string } | null {
  if (checks) {
    const parsed = checks.ErrorBody.safeParse(json);
    return parsed.success ? parsed.data.error : null;
  }
  const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string'
    ? { code: error.code as ErrorCode, message: error.message }
    : null;
}
