import type { RouteName } from '../../protocol/endpoints.ts';
import type { RouteResponse, SessionInfo } from '../../protocol/index.ts';
import { ApiCalls, type CallOptions } from '../shared/api-calls.ts';
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

/** Typed calls to the vibes HTTP API for Node (CLI, tests), with a bearer token; answers are checked against their schemas unless told not to. */
export class ApiClient extends ApiCalls {
  readonly #checkAnswers: boolean;

  constructor(options: ApiClientOptions) {
    const headers: Record<string, string> = options.token ? { Authorization: `Bearer ${options.token}` } : {};
    super({ baseUrl: options.baseUrl.replace(/\/$/, ''), fetch: options.fetch ?? fetch, headers }, options.clientId);
    this.#checkAnswers = options.checkAnswers ?? true;
  }

  override async call<Name extends RouteName>(name: Name, options?: CallOptions<Name>): Promise<RouteResponse<Name>> {
    const answer = await super.call(name, options);
    if (!this.#checkAnswers) return answer;
    const { ROUTES } = await import('../../protocol/routes.ts');
    return ROUTES[name].response.parse(answer) as RouteResponse<Name>;
  }

  // The calls only Node clients make, kept out of the dashboard's first load.

  health() {
    return this.call('health');
  }

  async getSession(id: string): Promise<SessionInfo> {
    return (await this.call('getSession', { params: { id } })).session;
  }

  /** A new token; the one this client holds stops working. */
  rotateToken() {
    return this.call('rotateToken');
  }

  /** A one-time pairing code and the sign-in links that carry it, for another device. */
  pairing() {
    return this.call('pairing');
  }
}
