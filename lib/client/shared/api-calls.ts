import type {
  ChangeBase,
  CreateSessionBody,
  DeviceInfo,
  ErrorCode,
  InputSource,
  ModelOption,
  SlashCommand,
  PermissionAnswerBody,
  PermissionMode,
  PushSubscriptionBody,
  PushSubscriptionInfo,
  RouteBody,
  RouteParams,
  RouteQuery,
  RouteResponse,
  SessionInfo,
  SessionState,
} from '../../protocol/index.ts';
import { ENDPOINTS, type Endpoint, type RouteName } from '../../protocol/endpoints.ts';
import { CLIENT_ID_HEADER } from '../../protocol/headers.ts';
import { fillPath, withQuery } from '../../protocol/route-path.ts';
import { ApiError } from './api-error.ts';

/** What the session list and the history may be narrowed to. */
export interface ListFilter {
  q?: string | undefined;
  project?: string | undefined;
  status?: SessionState | undefined;
}

export interface CallOptions<Name extends RouteName> {
  params?: RouteParams<Name>;
  query?: RouteQuery<Name>;
  body?: RouteBody<Name>;
}

/** Most calls that act on a session answer with it. */
const sessionOf = (answer: { session: SessionInfo }) => answer.session;

/** A body of raw bytes (an upload), sent as it is rather than as JSON. */
export function isRawBody(body: unknown): body is Blob | Uint8Array {
  return body instanceof Uint8Array || (typeof Blob !== 'undefined' && body instanceof Blob);
}

/** Where an attachment's bytes are served (an image's src), relative to the server. */
export function attachmentPath(sessionId: string, attachmentId: string): string {
  return fillPath(ENDPOINTS.getAttachment.path, { id: sessionId, attachmentId });
}

/** What a side brings to the one `call()`: how it reaches the server, nothing about the API. */
export interface Transport {
  /** Put before every path: '' for the page's own origin. */
  baseUrl: string;
  fetch: typeof fetch;
  /** Sent with every request, beside the client id (the CLI's token). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * The API's calls, written once over the route table (lib/protocol/endpoints.ts) and typed from it
 * (routes.ts, by type only, so zod stays out of the browser). ApiClient (Node) and WebApi (the
 * dashboard) differ in their Transport; ApiClient may check answers with zod, and adds the few
 * calls the dashboard never makes, which stay out of its first load.
 */
export class ApiCalls {
  clientId: string | undefined;
  readonly #transport: Transport;

  constructor(transport: Transport, clientId: string | undefined) {
    this.#transport = transport;
    this.clientId = clientId;
  }

  /** One request to the route `name`; rejects with ApiError on an error answer, or `NETWORK` when none came. */
  async call<Name extends RouteName>(name: Name, options: CallOptions<Name> = {}): Promise<RouteResponse<Name>> {
    const { method, path: template }: Endpoint = ENDPOINTS[name];
    const path = withQuery(fillPath(template, options.params ?? {}), options.query);
    const { baseUrl, fetch, headers } = this.#transport;
    const raw = isRawBody(options.body);
    // Every POST route takes a body (routes.ts): `{}` when the caller has nothing to say.
    const body = raw ? (options.body as BodyInit) : method === 'POST' ? JSON.stringify(options.body ?? {}) : undefined;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...headers,
          ...(this.clientId ? { [CLIENT_ID_HEADER]: this.clientId } : {}),
          ...(body === undefined ? {} : { 'Content-Type': raw ? 'application/octet-stream' : 'application/json' }),
        },
        body,
      });
    } catch (error) {
      // fetch says only "fetch failed"; its cause (ECONNREFUSED, ECONNRESET) tells the CLI what happened.
      throw new ApiError('NETWORK', 0, `The server could not be reached (${(error as Error).message})`, {
        cause: (error as Error).cause ?? error,
      });
    }
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) throw apiErrorOf(response.status, json, `${method} ${path}`);
    return json as RouteResponse<Name>;
  }

  /** Live sessions, pinned first; `filter` narrows them as the server matches (lib/protocol/session-filter.ts). */
  async listSessions(filter: ListFilter = {}): Promise<SessionInfo[]> {
    return (await this.call('listSessions', { query: filter })).sessions;
  }

  /** Ended sessions, the most recently ended first; a filter searches the whole history, a page at a time. */
  async history(page: { limit?: number; before?: number } & ListFilter = {}): Promise<SessionInfo[]> {
    return (await this.call('listSessions', { query: { state: 'ended', ...page } })).sessions;
  }

  createSession(body: CreateSessionBody): Promise<SessionInfo> {
    return this.call('createSession', { body }).then(sessionOf);
  }

  /** One page of a session's transcript, after `after` (a seq). */
  events(id: string, page: { after?: number; limit?: number } = {}) {
    return this.call('sessionEvents', { params: { id }, query: page });
  }

  subscribe(id: string): Promise<SessionInfo> {
    return this.call('subscribe', { params: { id } }).then(sessionOf);
  }

  unsubscribe(id: string) {
    return this.call('unsubscribe', { params: { id } });
  }

  /** `attachments`: ids from uploadAttachment, sent with the text (which may then be empty). */
  sendInput(id: string, content: string, source?: InputSource, attachments?: readonly string[]): Promise<SessionInfo> {
    const body = { content, ...(source ? { source } : {}), ...(attachments?.length ? { attachments: [...attachments] } : {}) };
    return this.call('sendInput', { params: { id }, body }).then(sessionOf);
  }

  /** Stores a file or image for the next message; the server reads its type from the bytes, `name` is for display. */
  uploadAttachment(id: string, bytes: Blob | Uint8Array, name: string) {
    return this.call('uploadAttachment', { params: { id }, query: { name }, body: bytes });
  }

  interrupt(id: string): Promise<SessionInfo> {
    return this.call('interrupt', { params: { id } }).then(sessionOf);
  }

  kill(id: string) {
    return this.call('kill', { params: { id } });
  }

  /** Starts Claude again on an ended session; this client owns and subscribes to it. */
  resume(id: string): Promise<SessionInfo> {
    return this.call('resume', { params: { id } }).then(sessionOf);
  }

  answerPermission(id: string, requestId: string, answer: PermissionAnswerBody): Promise<SessionInfo> {
    return this.call('answerPermission', { params: { id, requestId }, body: answer }).then(sessionOf);
  }

  /** `bypassPermissions` is refused (BYPASS_NOT_ALLOWED) unless the server was started with the opt-in. */
  setPermissionMode(id: string, mode: PermissionMode, source?: InputSource): Promise<SessionInfo> {
    return this.call('setPermissionMode', { params: { id }, body: { mode, ...(source ? { source } : {}) } }).then(sessionOf);
  }

  setModel(id: string, model: string, source?: InputSource): Promise<SessionInfo> {
    return this.call('setModel', { params: { id }, body: { model, ...(source ? { source } : {}) } }).then(sessionOf);
  }

  async listModels(id: string): Promise<ModelOption[]> {
    return (await this.call('listModels', { params: { id } })).models;
  }

  /** The slash commands the session's Claude Code offers, with their descriptions and argument hints. */
  async listCommands(id: string): Promise<SlashCommand[]> {
    return (await this.call('listCommands', { params: { id } })).commands;
  }

  /** A folder of the session's directory ('' for the directory itself): its entries, folders first. */
  listFiles(id: string, path = '') {
    return this.call('listFiles', { params: { id }, query: { path } });
  }

  /** Files of the session's directory whose name contains `q` (case-insensitive). */
  searchFiles(id: string, q: string, limit?: number) {
    return this.call('searchFiles', { params: { id }, query: { q, ...(limit === undefined ? {} : { limit }) } });
  }

  /** A file of the session's directory: its text (the first MiB) and language, or `binary`. */
  readFile(id: string, path: string) {
    return this.call('readFile', { params: { id }, query: { path } });
  }

  /** The files changed in the session's folder, against its start (default) or HEAD. */
  changes(id: string, base?: ChangeBase) {
    return this.call('sessionChanges', { params: { id }, query: base ? { base } : {} });
  }

  fileDiff(id: string, path: string, base?: ChangeBase) {
    return this.call('sessionFileDiff', { params: { id }, query: { path, ...(base ? { base } : {}) } });
  }

  turnChanges(id: string, seq: number) {
    return this.call('turnChanges', { params: { id, seq: String(seq) } });
  }

  /** Puts the files back as before message `to` (the last message when absent); `dry_run` only says what would change. */
  rewind(id: string, body: { to?: string; dry_run?: boolean } = {}) {
    return this.call('rewind', { params: { id }, body });
  }

  /** The machines of a cluster (on a single machine: this one), with their state and sessions. */
  listNodes() {
    return this.call('listNodes');
  }

  signOut() {
    return this.call('signOut');
  }

  async listDevices(): Promise<DeviceInfo[]> {
    return (await this.call('listDevices')).devices;
  }

  /** Whether input from the signed-in browser tells Claude the user is on a phone; answers with the device. */
  async tellClaudeOnPhone(on: boolean): Promise<DeviceInfo> {
    return (await this.call('tellClaudeOnPhone', { body: { on } })).device;
  }

  /** Signs a device out: its cookie stops working and its event streams close. */
  revokeDevice(id: string) {
    return this.call('revokeDevice', { params: { id } });
  }

  /** The server's push key and this device's subscription. */
  notificationSettings() {
    return this.call('notificationSettings');
  }

  /** Turns push on for this device (or changes its kinds): the browser's PushSubscription.toJSON(). */
  async subscribePush(body: PushSubscriptionBody): Promise<PushSubscriptionInfo> {
    return (await this.call('subscribePush', { body })).subscription;
  }

  unsubscribePush() {
    return this.call('unsubscribePush');
  }

  /** A test notification to every subscribed device and the webhook. */
  notifyTest() {
    return this.call('notifyTest');
  }

  /** Tells the server which session this page shows and whether it is visible (no notification for it then). */
  watch(sessionId: string | null, visible: boolean) {
    return this.call('watch', { body: { session_id: sessionId, visible } });
  }
}

/**
 * The ApiError an error answer stands for: its `{error: {code, message}}` body, or, when the body
 * is not one (a proxy's page, a crash), a code from the status alone.
 */
export function apiErrorOf(status: number, body: unknown, what: string): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code === 'string' && typeof error.message === 'string') {
    return new ApiError(error.code as ErrorCode, status, error.message);
  }
  return new ApiError(status === 401 ? 'UNAUTHORIZED' : 'INTERNAL', status, `Unexpected ${status} answer from ${what}`);
}
