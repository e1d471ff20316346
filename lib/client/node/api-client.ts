import type { RouteName } from '../../protocol/endpoints.ts';
import { ApiCalls } from '../shared/api-calls.ts';
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
  readonly baseUrl: string;

  constructor(options: ApiClientOptions) {
    const baseUrl = options.baseUrl.replace(/\/$/, '');
    super(
      {
        baseUrl,
        fetch: options.fetch ?? fetch,
        headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
        ...(options.checkAnswers === false ? {} : { check: checkAnswer }),
      },
      options.clientId,
    );
    this.baseUrl = baseUrl;
  }
}

async function checkAnswer(name: RouteName, body: unknown): Promise<unknown> {
  const { ROUTES } = await import('../../protocol/routes.ts');
  return ROUTES[name].response.parse(body);
}
