import type {
  ChangeBase,
  CreateSessionBody,
  DeviceInfo,
  InputSource,
  ModelOption,
  SlashCommand,
  PermissionAnswerBody,
  PermissionMode,
  PushSubscriptionBody,
  PushSubscriptionInfo,
  RouteBody,
  RouteName,
  RouteParams,
  RouteQuery,
  RouteResponse,
  SessionInfo,
} from '../../protocol/index.ts';
import { ENDPOINTS } from '../../protocol/endpoints.ts';
import { fillPath } from '../../protocol/route-path.ts';

export interface CallOptions<Name extends RouteName> {
  params?: RouteParams<Name>;
  query?: RouteQuery<Name>;
  body?: RouteBody<Name>;
}

/** A body of raw bytes (an upload), sent as it is rather than as JSON. */
export function isRawBody(body: unknown): body is Blob | Uint8Array {
  return body instanceof Uint8Array || (typeof Blob !== 'undefined' && body instanceof Blob);
}

/** Where an attachment's bytes are served (an image's src), relative to the server. */
export function attachmentPath(sessionId: string, attachmentId: string): string {
  return fillPath(ENDPOINTS.getAttachment.path, { id: sessionId, attachmentId });
}

/**
 * The API's calls, written once over the route table (lib/protocol/routes.ts). ApiClient (Node,
 * answers checked with zod) and WebApi (the dashboard, zod-free) differ only in `call`.
 */
export abstract class ApiCalls {
  clientId: string | undefined;

  constructor(clientId: string | undefined) {
    this.clientId = clientId;
  }

  /** One request to the route `name`; rejects with ApiError on an error answer. */
  abstract call<Name extends RouteName>(name: Name, options?: CallOptions<Name>): Promise<RouteResponse<Name>>;

  health() {
    return this.call('health');
  }

  async listSessions(): Promise<SessionInfo[]> {
    return (await this.call('listSessions')).sessions;
  }

  /** Ended sessions, the most recently ended first. */
  async history(page: { limit?: number; before?: number } = {}): Promise<SessionInfo[]> {
    return (await this.call('listSessions', { query: { state: 'ended', ...page } })).sessions;
  }

  async createSession(body: CreateSessionBody): Promise<SessionInfo> {
    return (await this.call('createSession', { body })).session;
  }

  async getSession(id: string): Promise<SessionInfo> {
    return (await this.call('getSession', { params: { id } })).session;
  }

  /** One page of a session's transcript, after `after` (a seq). */
  events(id: string, page: { after?: number; limit?: number } = {}) {
    return this.call('sessionEvents', { params: { id }, query: page });
  }

  async subscribe(id: string): Promise<SessionInfo> {
    return (await this.call('subscribe', { params: { id } })).session;
  }

  unsubscribe(id: string) {
    return this.call('unsubscribe', { params: { id } });
  }

  /** `attachments`: ids from uploadAttachment, sent with the text (which may then be empty). */
  async sendInput(id: string, content: string, source?: InputSource, attachments?: readonly string[]): Promise<SessionInfo> {
    const body = { content, ...(source ? { source } : {}), ...(attachments?.length ? { attachments: [...attachments] } : {}) };
    return (await this.call('sendInput', { params: { id }, body })).session;
  }

  /** Stores a file or image for the next message; the server reads its type from the bytes, `name` is for display. */
  uploadAttachment(id: string, bytes: Blob | Uint8Array, name: string) {
    return this.call('uploadAttachment', { params: { id }, query: { name }, body: bytes });
  }

  async interrupt(id: string): Promise<SessionInfo> {
    return (await this.call('interrupt', { params: { id } })).session;
  }

  kill(id: string) {
    return this.call('kill', { params: { id } });
  }

  /** Starts Claude again on an ended session; this client owns and subscribes to it. */
  async resume(id: string): Promise<SessionInfo> {
    return (await this.call('resume', { params: { id } })).session;
  }

  async answerPermission(id: string, requestId: string, answer: PermissionAnswerBody): Promise<SessionInfo> {
    return (await this.call('answerPermission', { params: { id, requestId }, body: answer })).session;
  }

  /** `bypassPermissions` is refused (BYPASS_NOT_ALLOWED) unless the server was started with the opt-in. */
  async setPermissionMode(id: string, mode: PermissionMode, source?: InputSource): Promise<SessionInfo> {
    return (await this.call('setPermissionMode', { params: { id }, body: { mode, ...(source ? { source } : {}) } })).session;
  }

  async setModel(id: string, model: string, source?: InputSource): Promise<SessionInfo> {
    return (await this.call('setModel', { params: { id }, body: { model, ...(source ? { source } : {}) } })).session;
  }

  /** The models the session's Claude Code offers. */
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

  /** One changed file's unified diff. */
  fileDiff(id: string, path: string, base?: ChangeBase) {
    return this.call('sessionFileDiff', { params: { id }, query: { path, ...(base ? { base } : {}) } });
  }

  /** What the turn started by the user_input at `seq` changed. */
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

  /** A new token; the one this client holds stops working. */
  rotateToken() {
    return this.call('rotateToken');
  }

  /** A one-time pairing code and the sign-in links that carry it, for another device. */
  pairing() {
    return this.call('pairing');
  }

  /** Trades a pairing code for a device session (the answer sets its cookie). */
  async signIn(code: string, label?: string): Promise<DeviceInfo> {
    return (await this.call('signIn', { body: { code, ...(label ? { label } : {}) } })).device;
  }

  /** Signs this browser out. */
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
