import type { z } from 'zod';
import { ENDPOINTS, type Endpoint, type RouteName } from './endpoints.ts';
import {
  CreateSessionBody,
  EmptyBody,
  EventsPageQuery,
  EventStreamQuery,
  InputBody,
  PermissionAnswerBody,
  SessionListQuery,
  SetModeBody,
  SetModelBody,
  ModelListResponse,
  CommandListResponse,
  PinBody,
  RenameBody,
} from './requests.ts';
import {
  EventsPage,
  HealthResponse,
  KillResponse,
  RecentProjectsResponse,
  SessionListResponse,
  SessionResponse,
  TokenRotatedResponse,
  UnsubscribeResponse,
} from './responses.ts';
import { pathPattern, type PathParams } from './route-path.ts';
import {
  NotificationSettingsResponse,
  NotifyTestResponse,
  PushSubscriptionBody,
  PushSubscriptionResponse,
  PushUnsubscribedResponse,
  WatchBody,
  WatchResponse,
} from './notifications.ts';
import { NodeListResponse } from './nodes.ts';
import { AttachmentBytes, AttachmentResponse, AttachmentUploadQuery } from './attachments.ts';
import { ATTACHMENT_LIMITS } from './rules.ts';
import { FileContentQuery, FileContentResponse, FileListQuery, FileListResponse, FileSearchQuery, FileSearchResponse } from './files.ts';
import {
  ChangesQuery,
  ChangesResponse,
  FileDiffQuery,
  FilePatchResponse,
  RewindBody,
  RewindResponse,
  TurnChangesResponse,
} from './work.ts';
import { ServerEvent } from './events.ts';
import {
  DeviceListResponse,
  DeviceResponse,
  DeviceRevokedResponse,
  PairingCodeResponse,
  SignInBody,
  SignInResponse,
  TellClaudeOnPhoneBody,
} from './devices.ts';

export type { RouteName };

export interface RouteSpec extends Endpoint {
  /** The status of a successful answer; 200 when not given. */
  readonly status?: 200 | 201 | 202;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
  /** The caller must name itself in CLIENT_ID_HEADER (anything that acts on a session for it). */
  readonly client?: 'required';
  /** The largest body the route takes, checked from Content-Length and while reading; the server's maxBodyBytes when absent. */
  readonly maxBodyBytes?: number;
  /** Raw bytes with their own Content-Type instead of JSON: the request's body, or the answer. */
  readonly bytes?: 'body' | 'response';
  /** The body may also come as a form (`application/x-www-form-urlencoded`, empty fields left out): the sign-in page posts one. */
  readonly form?: true;
  /** The answer is a text/event-stream of `response`, one frame per event. */
  readonly stream?: true;
  /**
   * Who may call it: `anyone` (no credentials looked at), `token` (the token holder only),
   * `device` (a signed-in browser only); when absent, either of those two. Credentials are checked
   * before the body is read; which of the two they are, once it is parsed (a bad body is told as such).
   */
  readonly auth?: 'anyone' | 'token' | 'device';
  /**
   * Answered by the custom server itself, before Next: what must answer while Next loads (health,
   * the list, subscribing, the event stream), and what needs Node's request (credentials and
   * cookies, streamed bytes). Other routes are handed to Next's handler under app/api.
   */
  readonly serverFirst?: true;
}

/** The body limit of the small credential and notification bodies: a code, a label, a push subscription. */
const SMALL_BODY_BYTES = 4096;
/** Credentials and push settings: small bodies, answered by the custom server with the caller's cookies at hand. */
const CREDENTIALS = { maxBodyBytes: SMALL_BODY_BYTES, serverFirst: true } as const;

/**
 * The HTTP API, one line per route: where it lives (endpoints.ts) and what goes in and out.
 * The handlers (route() in lib/server/*-routes.ts), the Node client (ApiClient) and the dashboard's
 * client (WebApi, by type only) are all checked against it, and tests/api/contract.test.ts calls
 * every route and checks each answer against its schema.
 */
export const ROUTES = {
  health: { ...ENDPOINTS.health, response: HealthResponse, serverFirst: true },
  // The one route not answered through route(): the SSE hub writes the stream (docs/architecture.md).
  events: { ...ENDPOINTS.events, query: EventStreamQuery, response: ServerEvent, stream: true, serverFirst: true },
  listNodes: { ...ENDPOINTS.listNodes, response: NodeListResponse },
  renameSession: { ...ENDPOINTS.renameSession, body: RenameBody, response: SessionResponse, client: 'required' },
  pinSession: { ...ENDPOINTS.pinSession, body: PinBody, response: SessionResponse, client: 'required' },
  recentProjects: { ...ENDPOINTS.recentProjects, response: RecentProjectsResponse },
  uploadAttachment: {
    ...ENDPOINTS.uploadAttachment,
    status: 201,
    query: AttachmentUploadQuery,
    body: AttachmentBytes,
    bytes: 'body',
    // The largest kind (a PDF) and a little room: each kind's own cap is checked as the bytes arrive.
    maxBodyBytes: ATTACHMENT_LIMITS.pdfBytes + 1024,
    response: AttachmentResponse,
    client: 'required',
    serverFirst: true,
  },
  getAttachment: { ...ENDPOINTS.getAttachment, bytes: 'response', response: AttachmentBytes, serverFirst: true },
  listSessions: { ...ENDPOINTS.listSessions, query: SessionListQuery, response: SessionListResponse, serverFirst: true },
  createSession: { ...ENDPOINTS.createSession, status: 201, body: CreateSessionBody, response: SessionResponse, client: 'required' },
  getSession: { ...ENDPOINTS.getSession, response: SessionResponse },
  sessionEvents: { ...ENDPOINTS.sessionEvents, query: EventsPageQuery, response: EventsPage },
  subscribe: { ...ENDPOINTS.subscribe, body: EmptyBody, response: SessionResponse, client: 'required', serverFirst: true },
  unsubscribe: { ...ENDPOINTS.unsubscribe, body: EmptyBody, response: UnsubscribeResponse, client: 'required' },
  sendInput: { ...ENDPOINTS.sendInput, status: 202, body: InputBody, response: SessionResponse, client: 'required' },
  interrupt: { ...ENDPOINTS.interrupt, body: EmptyBody, response: SessionResponse, client: 'required' },
  kill: { ...ENDPOINTS.kill, body: EmptyBody, response: KillResponse, client: 'required' },
  resume: { ...ENDPOINTS.resume, body: EmptyBody, response: SessionResponse, client: 'required' },
  answerPermission: { ...ENDPOINTS.answerPermission, body: PermissionAnswerBody, response: SessionResponse, client: 'required' },
  setPermissionMode: { ...ENDPOINTS.setPermissionMode, body: SetModeBody, response: SessionResponse, client: 'required' },
  setModel: { ...ENDPOINTS.setModel, body: SetModelBody, response: SessionResponse, client: 'required' },
  listModels: { ...ENDPOINTS.listModels, response: ModelListResponse },
  listCommands: { ...ENDPOINTS.listCommands, response: CommandListResponse },
  listFiles: { ...ENDPOINTS.listFiles, query: FileListQuery, response: FileListResponse },
  searchFiles: { ...ENDPOINTS.searchFiles, query: FileSearchQuery, response: FileSearchResponse },
  readFile: { ...ENDPOINTS.readFile, query: FileContentQuery, response: FileContentResponse },
  sessionChanges: { ...ENDPOINTS.sessionChanges, query: ChangesQuery, response: ChangesResponse },
  sessionFileDiff: { ...ENDPOINTS.sessionFileDiff, query: FileDiffQuery, response: FilePatchResponse },
  turnChanges: { ...ENDPOINTS.turnChanges, response: TurnChangesResponse },
  rewind: { ...ENDPOINTS.rewind, body: RewindBody, response: RewindResponse, client: 'required' },
  tellClaudeOnPhone: { ...ENDPOINTS.tellClaudeOnPhone, body: TellClaudeOnPhoneBody, response: DeviceResponse, auth: 'device' },
  rotateToken: { ...ENDPOINTS.rotateToken, body: EmptyBody, response: TokenRotatedResponse, auth: 'token', ...CREDENTIALS },
  pairing: { ...ENDPOINTS.pairing, body: EmptyBody, response: PairingCodeResponse, ...CREDENTIALS },
  signIn: { ...ENDPOINTS.signIn, body: SignInBody, form: true, response: SignInResponse, auth: 'anyone', ...CREDENTIALS },
  signOut: { ...ENDPOINTS.signOut, body: EmptyBody, response: DeviceRevokedResponse, auth: 'device', ...CREDENTIALS },
  listDevices: { ...ENDPOINTS.listDevices, response: DeviceListResponse, ...CREDENTIALS },
  revokeDevice: { ...ENDPOINTS.revokeDevice, body: EmptyBody, response: DeviceRevokedResponse, ...CREDENTIALS },
  notificationSettings: { ...ENDPOINTS.notificationSettings, response: NotificationSettingsResponse, ...CREDENTIALS },
  subscribePush: {
    ...ENDPOINTS.subscribePush,
    body: PushSubscriptionBody,
    response: PushSubscriptionResponse,
    auth: 'device',
    ...CREDENTIALS,
  },
  unsubscribePush: { ...ENDPOINTS.unsubscribePush, body: EmptyBody, response: PushUnsubscribedResponse, auth: 'device', ...CREDENTIALS },
  notifyTest: { ...ENDPOINTS.notifyTest, body: EmptyBody, response: NotifyTestResponse, ...CREDENTIALS },
  watch: { ...ENDPOINTS.watch, body: WatchBody, response: WatchResponse, client: 'required', ...CREDENTIALS },
} as const satisfies { [Name in RouteName]: RouteSpec };

export type Routes = typeof ROUTES;
export type RouteParams<Name extends RouteName> = PathParams<Routes[Name]['path']>;
export type RouteResponse<Name extends RouteName> = z.infer<Routes[Name]['response']>;
/** What a client sends: the schema's input (defaults may be left out). */
export type RouteBody<Name extends RouteName> = Routes[Name] extends { body: infer Body extends z.ZodType } ? z.input<Body> : never;
/** What a handler receives, parsed. */
export type ParsedBody<Name extends RouteName> = Routes[Name] extends { body: infer Body extends z.ZodType } ? z.output<Body> : undefined;
/** What a client may put in the query string: any of the parsed fields. */
export type RouteQuery<Name extends RouteName> = Routes[Name] extends { query: infer Query extends z.ZodType }
  ? Partial<z.output<Query>>
  : never;
export type ParsedQuery<Name extends RouteName> = Routes[Name] extends { query: infer Query extends z.ZodType }
  ? z.output<Query>
  : undefined;
/** The caller's client id as a handler sees it: checked present where the route requires it. */
export type RouteClientId<Name extends RouteName> = Routes[Name] extends { client: 'required' } ? string : string | null;

/** A request's route by the table, its path parameters decoded; `allowed` false when only the method is wrong. */
export interface RouteMatch {
  name: RouteName;
  spec: RouteSpec;
  params: Record<string, string>;
  allowed: boolean;
}

const PATTERNS = (Object.entries(ROUTES) as [RouteName, RouteSpec][]).map(([name, spec]) => ({
  name,
  spec,
  pattern: pathPattern(spec.path),
  keys: [...spec.path.matchAll(/:([A-Za-z]+)/g)].map((key) => key[1]!),
}));

/** HEAD is answered as its GET without the body. Null when no route lives at the path (or a capture does not decode). */
export function matchRoute(method: string | undefined, pathname: string): RouteMatch | null {
  const wanted = method === 'HEAD' ? 'GET' : method;
  let found: RouteMatch | null = null;
  for (const { name, spec, pattern, keys } of PATTERNS) {
    const captures = pattern.exec(pathname);
    if (!captures) continue;
    const allowed = spec.method === wanted;
    if (found && !allowed) continue;
    const params: Record<string, string> = {};
    try {
      keys.forEach((key, index) => (params[key] = decodeURIComponent(captures[index + 1]!)));
    } catch {
      return null;
    }
    found = { name, spec, params, allowed };
    if (allowed) break;
  }
  return found;
}

/** The methods a path takes, for a 405's Allow header. */
export function methodsAt(pathname: string): string[] {
  return PATTERNS.filter(({ pattern }) => pattern.test(pathname)).map(({ spec }) => spec.method);
}
