import { ApiCalls } from '../shared/api-calls.ts';

/**
 * The dashboard's HTTP client: the same calls as ApiClient, but it trusts the server's shapes
 * (typed by lib/protocol at compile time) instead of checking them with zod at run time, which
 * would add some 45 KB gzipped to the phone's first load. Same-origin, so the auth cookie rides along.
 */
export class WebApi extends ApiCalls {
  constructor(options: { clientId?: string; fetch?: typeof fetch } = {}) {
    const send = options.fetch ?? fetch;
    super({ baseUrl: '', fetch: (input, init) => send(input, { ...init, cache: 'no-store' }) }, options.clientId);
  }
}
