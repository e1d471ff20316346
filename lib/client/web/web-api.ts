import { ApiCalls } from '../shared/api-calls.ts';

/**
 * The dashboard's HTTP client: the same calls as ApiClient, but it trusts the server's shapes
 * (typed by lib/protocol at compile time) instead of checking them with zod at run time, which
 * would add some 45 KB gzipped to the phone's first load. Same-origin, so the auth cookie rides
 * along; every API answer says `Cache-Control: no-store`, so the browser keeps none of them.
 */
export class WebApi extends ApiCalls {
  constructor(options: { clientId?: string; fetch?: typeof fetch } = {}) {
    super({ baseUrl: '', fetch: options.fetch ?? fetch }, options.clientId);
  }
}
