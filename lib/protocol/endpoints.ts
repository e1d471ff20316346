// Kept apart from the zod schemas (routes.ts) so the dashboard can call the API without pulling zod in.

/**
 * Where each route of the HTTP API lives: the first half of the route table. routes.ts gives
 * every endpoint its schemas and must cover exactly these names, so a route added here without
 * schemas, or there without a place, does not compile.
 */
export const ENDPOINTS = {
  health: { method: 'GET', path: '/api/health' },
  // Server-Sent Events (events.ts), written by lib/server/sse-hub.ts.
  events: { method: 'GET', path: '/api/events' },
  listSessions: { method: 'GET', path: '/api/sessions' },
  createSession: { method: 'POST', path: '/api/sessions' },
  getSession: { method: 'GET', path: '/api/sessions/:id' },
  sessionEvents: { method: 'GET', path: '/api/sessions/:id/events' },
  subscribe: { method: 'POST', path: '/api/sessions/:id/subscribe' },
  unsubscribe: { method: 'POST', path: '/api/sessions/:id/unsubscribe' },
  sendInput: { method: 'POST', path: '/api/sessions/:id/input' },
  interrupt: { method: 'POST', path: '/api/sessions/:id/interrupt' },
  kill: { method: 'POST', path: '/api/sessions/:id/kill' },
  resume: { method: 'POST', path: '/api/sessions/:id/resume' },
  answerPermission: { method: 'POST', path: '/api/sessions/:id/permissions/:requestId' },
  setPermissionMode: { method: 'POST', path: '/api/sessions/:id/mode' },
  setModel: { method: 'POST', path: '/api/sessions/:id/model' },
  listModels: { method: 'GET', path: '/api/sessions/:id/models' },
  listCommands: { method: 'GET', path: '/api/sessions/:id/commands' },
  listFiles: { method: 'GET', path: '/api/sessions/:id/files' },
  searchFiles: { method: 'GET', path: '/api/sessions/:id/files/search' },
  readFile: { method: 'GET', path: '/api/sessions/:id/files/content' },
  listNodes: { method: 'GET', path: '/api/nodes' },
  // Organising sessions: a name, a pin, the directories to start the next one in.
  renameSession: { method: 'POST', path: '/api/sessions/:id/name' },
  pinSession: { method: 'POST', path: '/api/sessions/:id/pin' },
  recentProjects: { method: 'GET', path: '/api/projects' },
  // Files and images in a prompt (lib/protocol/attachments.ts), served by lib/server/attachment-routes.ts.
  uploadAttachment: { method: 'POST', path: '/api/sessions/:id/attachments' },
  getAttachment: { method: 'GET', path: '/api/sessions/:id/attachments/:attachmentId' },
  // The session's work (lib/protocol/work.ts).
  sessionChanges: { method: 'GET', path: '/api/sessions/:id/changes' },
  sessionFileDiff: { method: 'GET', path: '/api/sessions/:id/changes/diff' },
  turnChanges: { method: 'GET', path: '/api/sessions/:id/turns/:seq/changes' },
  rewind: { method: 'POST', path: '/api/sessions/:id/rewind' },
  // The signed-in browser's own preference: Claude is told it is a phone (issue 29).
  tellClaudeOnPhone: { method: 'POST', path: '/api/devices/current/phone' },
  // Credentials (lib/server/credential-routes.ts).
  rotateToken: { method: 'POST', path: '/api/token/rotate' },
  pairing: { method: 'POST', path: '/api/pairing' },
  signIn: { method: 'POST', path: '/api/sign-in' },
  signOut: { method: 'POST', path: '/api/sign-out' },
  listDevices: { method: 'GET', path: '/api/devices' },
  revokeDevice: { method: 'POST', path: '/api/devices/:id/revoke' },
  notificationSettings: { method: 'GET', path: '/api/notifications' },
  subscribePush: { method: 'POST', path: '/api/notifications/subscription' },
  unsubscribePush: { method: 'POST', path: '/api/notifications/unsubscribe' },
  notifyTest: { method: 'POST', path: '/api/notifications/test' },
  watch: { method: 'POST', path: '/api/notifications/watch' },
} as const satisfies Record<string, Endpoint>;

export interface Endpoint {
  readonly method: 'GET' | 'POST';
  /** A template: `:name` stands for one path segment. */
  readonly path: `/api/${string}`;
}

export type RouteName = keyof typeof ENDPOINTS;

export const EVENT_STREAM_PATH = ENDPOINTS.events.path;
