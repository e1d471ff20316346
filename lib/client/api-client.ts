import { z } from 'zod';
import {
  CLIENT_ID_HEADER,
  ErrorBody,
  EventsPage,
  ModelListResponse,
  SessionInfo,
  SessionListResponse,
  SessionResponse,
  type CreateSessionBody,
  type InputSource,
  type ModelOption,
  type PermissionAnswerBody,
  type PermissionMode,
} from '../protocol/index.ts';
import { ApiError } from './api-error.ts';

export { ApiError };

export interface ApiClientOptions {
  baseUrl: string;
  /** Sent as X-Vibes-Client-Id; required for anything that changes a session. */
  clientId?: string;
  token?: string;
  fetch?: typeof fetch;
}

const Health = z.object({
  ok: z.literal(true),
  version: z.string(),
  epoch: z.string(),
  uptime_s: z.number(),
  sessions: z.number(),
  allow_bypass: z.boolean().default(false),
});
const Unsubscribed = z.object({ was_owner: z.boolean(), session: SessionInfo.nullable() });
const Killed = z.object({ session_id: z.string(), reason: z.literal('killed') });
const Rotated = z.object({ token: z.string() });
const Pairing = z.object({ urls: z.array(z.string()) });

/** Typed calls to the vibes HTTP API; every answer is checked against lib/protocol. */
export class ApiClient {
  readonly baseUrl: string;
  clientId: string | undefined;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.clientId = options.clientId;
    this.#token = options.token;
    this.#fetch = options.fetch ?? fetch;
  }

  health() {
    return this.#call('GET', '/api/health', Health);
  }

  async listSessions(): Promise<SessionInfo[]> {
    return (await this.#call('GET', '/api/sessions', SessionListResponse)).sessions;
  }

  /** Ended sessions, the most recently ended first. */
  async history(page: { limit?: number; before?: number } = {}): Promise<SessionInfo[]> {
    const query = new URLSearchParams({ state: 'ended' });
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    if (page.before !== undefined) query.set('before', String(page.before));
    return (await this.#call('GET', `/api/sessions?${query}`, SessionListResponse)).sessions;
  }

  /** Starts Claude again on an ended session; this client owns and subscribes to it. */
  async resume(id: string): Promise<SessionInfo> {
    return (await this.#call('POST', `${sessionPath(id)}/resume`, SessionResponse)).session;
  }

  async createSession(body: CreateSessionBody): Promise<SessionInfo> {
    return (await this.#call('POST', '/api/sessions', SessionResponse, body)).session;
  }

  async getSession(id: string): Promise<SessionInfo> {
    return (await this.#call('GET', `/api/sessions/${encodeURIComponent(id)}`, SessionResponse)).session;
  }

  events(id: string, page: { after?: number; limit?: number } = {}): Promise<EventsPage> {
    const query = new URLSearchParams();
    if (page.after !== undefined) query.set('after', String(page.after));
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    return this.#call('GET', `/api/sessions/${encodeURIComponent(id)}/events?${query}`, EventsPage);
  }

  async subscribe(id: string): Promise<SessionInfo> {
    return (await this.#call('POST', `${sessionPath(id)}/subscribe`, SessionResponse)).session;
  }

  unsubscribe(id: string) {
    return this.#call('POST', `${sessionPath(id)}/unsubscribe`, Unsubscribed);
  }

  async sendInput(id: string, content: string, source?: InputSource): Promise<SessionInfo> {
    return (await this.#call('POST', `${sessionPath(id)}/input`, SessionResponse, { content, ...(source ? { source } : {}) })).session;
  }

  async interrupt(id: string): Promise<SessionInfo> {
    return (await this.#call('POST', `${sessionPath(id)}/interrupt`, SessionResponse)).session;
  }

  kill(id: string) {
    return this.#call('POST', `${sessionPath(id)}/kill`, Killed);
  }

  async answerPermission(id: string, requestId: string, answer: PermissionAnswerBody): Promise<SessionInfo> {
    const path = `${sessionPath(id)}/permissions/${encodeURIComponent(requestId)}`;
    return (await this.#call('POST', path, SessionResponse, answer)).session;
  }

  /** `bypassPermissions` is refused (BYPASS_NOT_ALLOWED) unless the server was started with the opt-in. */
  async setPermissionMode(id: string, mode: PermissionMode, source?: InputSource): Promise<SessionInfo> {
    return (await this.#call('POST', `${sessionPath(id)}/mode`, SessionResponse, { mode, ...(source ? { source } : {}) })).session;
  }

  async setModel(id: string, model: string, source?: InputSource): Promise<SessionInfo> {
    return (await this.#call('POST', `${sessionPath(id)}/model`, SessionResponse, { model, ...(source ? { source } : {}) })).session;
  }

  /** The models the session's Claude Code offers. */
  async listModels(id: string): Promise<ModelOption[]> {
    return (await this.#call('GET', `${sessionPath(id)}/models`, ModelListResponse)).models;
  }

  /** A new token; the one this client holds stops working. */
  rotateToken() {
    return this.#call('POST', '/api/token/rotate', Rotated);
  }

  /** The sign-in links of the server, for another device. */
  pairing() {
    return this.#call('GET', '/api/pairing', Pairing);
  }

  /** Headers every request carries: the token, and the client id when there is one. */
  headers(): Record<string, string> {
    return {
      ...(this.#token ? { Authorization: `Bearer ${this.#token}` } : {}),
      ...(this.clientId ? { [CLIENT_ID_HEADER]: this.clientId } : {}),
    };
  }

  async #call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const response = await this.#fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...this.headers(), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(json);
      if (parsed.success) throw new ApiError(parsed.data.error.code, response.status, parsed.data.error.message);
      throw new ApiError('INTERNAL', response.status, `Unexpected ${response.status} answer from ${method} ${path}`);
    }
    return schema.parse(json);
  }
}

const sessionPath = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;
