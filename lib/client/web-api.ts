import type {
  CreateSessionBody,
  ErrorCode,
  EventsPage,
  InputSource,
  ModelOption,
  PermissionAnswerBody,
  PermissionMode,
  SessionInfo,
} from '../protocol/index.ts';
import { CLIENT_ID_HEADER } from '../protocol/headers.ts';
import { ApiError } from './api-error.ts';

/**
 * The dashboard's HTTP client: same calls as ApiClient, but it trusts the server's shapes
 * (typed by lib/protocol at compile time) instead of checking them with zod at run time, which
 * would add some 45 KB gzipped to the phone's first load. Same-origin, so the auth cookie rides along.
 */
export class WebApi {
  clientId: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: { clientId?: string; fetch?: typeof fetch } = {}) {
    this.clientId = options.clientId;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async listSessions(): Promise<SessionInfo[]> {
    return (await this.#call<{ sessions: SessionInfo[] }>('GET', '/api/sessions')).sessions;
  }

  async history(): Promise<SessionInfo[]> {
    return (await this.#call<{ sessions: SessionInfo[] }>('GET', '/api/sessions?state=ended')).sessions;
  }

  async getSession(id: string): Promise<SessionInfo> {
    return (await this.#call<{ session: SessionInfo }>('GET', sessionPath(id))).session;
  }

  async resume(id: string): Promise<SessionInfo> {
    return (await this.#call<{ session: SessionInfo }>('POST', `${sessionPath(id)}/resume`)).session;
  }

  async createSession(body: CreateSessionBody): Promise<SessionInfo> {
    return (await this.#call<{ session: SessionInfo }>('POST', '/api/sessions', body)).session;
  }

  events(id: string, page: { after?: number; limit?: number } = {}): Promise<EventsPage> {
    const query = new URLSearchParams();
    if (page.after !== undefined) query.set('after', String(page.after));
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    return this.#call('GET', `${sessionPath(id)}/events?${query}`);
  }

  async subscribe(id: string): Promise<SessionInfo> {
    return (await this.#call<{ session: SessionInfo }>('POST', `${sessionPath(id)}/subscribe`)).session;
  }

  async sendInput(id: string, content: string, source?: InputSource): Promise<SessionInfo> {
    const body = { content, ...(source ? { source } : {}) };
    return (await this.#call<{ session: SessionInfo }>('POST', `${sessionPath(id)}/input`, body)).session;
  }

  async interrupt(id: string): Promise<SessionInfo> {
    return (await this.#call<{ session: SessionInfo }>('POST', `${sessionPath(id)}/interrupt`)).session;
  }

  kill(id: string): Promise<{ session_id: string; reason: 'killed' }> {
    return this.#call('POST', `${sessionPath(id)}/kill`);
  }

  async answerPermission(id: string, requestId: string, answer: PermissionAnswerBody): Promise<SessionInfo> {
    const path = `${sessionPath(id)}/permissions/${encodeURIComponent(requestId)}`;
    return (await this.#call<{ session: SessionInfo }>('POST', path, answer)).session;
  }

  /** `bypassPermissions` is refused (BYPASS_NOT_ALLOWED) unless the server was started with the opt-in. */
  async setPermissionMode(id: string, mode: PermissionMode, source?: InputSource): Promise<SessionInfo> {
    const body = { mode, ...(source ? { source } : {}) };
    return (await this.#call<{ session: SessionInfo }>('POST', `${sessionPath(id)}/mode`, body)).session;
  }

  async setModel(id: string, model: string, source?: InputSource): Promise<SessionInfo> {
    const body = { model, ...(source ? { source } : {}) };
    return (await this.#call<{ session: SessionInfo }>('POST', `${sessionPath(id)}/model`, body)).session;
  }

  async listModels(id: string): Promise<ModelOption[]> {
    return (await this.#call<{ models: ModelOption[] }>('GET', `${sessionPath(id)}/models`)).models;
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.clientId) headers[CLIENT_ID_HEADER] = this.clientId;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(path, {
        method,
        headers,
        cache: 'no-store',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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
      throw new ApiError(response.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL', response.status, `Unexpected ${response.status} answer from ${method} ${path}`);
    }
    return json as T;
  }
}

const sessionPath = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;
