import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLIENT_ID_HEADER, fillPath, ROUTES, withQuery, type RouteName, type RouteSpec } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { tempRepo } from '../support/git-repo.ts';
import { png } from '../support/images.ts';
import { BrowserPushKeys } from '../support/push-service.ts';
import { deviceCookie, pairingCode } from '../support/sign-in.ts';

/**
 * Every route of the table called once for real, its answer checked against the route's status
 * and response schema: the one place a handler that strays from lib/protocol/routes.ts is caught.
 */
// A token file rather than VIBES_TOKEN, so that the token can be rotated.
// Its push subscription names a loopback endpoint: the owner's opt-in.
const vibes = useServer({ tokenFile: true, env: { VIBES_PUSH_ALLOW_PRIVATE: '1' } });

interface Call {
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  clientId?: string;
  /** A signed-in browser's cookie, sent instead of the token. */
  cookie?: string;
  /** Raw bytes instead of a JSON body (uploads). */
  bytes?: Buffer;
}

async function send(name: RouteName, call: Call = {}): Promise<Response> {
  const route: RouteSpec = ROUTES[name];
  const path = withQuery(fillPath(route.path, call.params ?? {}), call.query);
  return vibes.raw(path, {
    method: route.method,
    ...(call.cookie ? { anonymous: true } : {}),
    headers: {
      ...(call.cookie ? { cookie: call.cookie } : {}),
      ...(call.clientId ? { [CLIENT_ID_HEADER]: call.clientId } : {}),
      ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(call.bytes === undefined ? {} : { 'content-type': 'application/octet-stream' }),
    },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    ...(call.bytes === undefined ? {} : { body: new Uint8Array(call.bytes) }),
  });
}

/** One successful call per route; a route added to the table without one here does not compile. */
const CALLS: { [Name in RouteName]: () => Promise<Call> } = {
  health: async () => ({}),
  events: async () => ({ query: { client_id: 'contract-stream' } }),
  listSessions: async () => ({ query: { state: 'ended', limit: 5 } }),
  createSession: async () => ({ clientId: 'alice', body: { name: 'contract', cwd: tmpdir(), prompt: 'hello' } }),
  getSession: async () => ({ params: { id: await newSession() } }),
  sessionEvents: async () => ({ params: { id: await newSession('hello') }, query: { after: 0, limit: 10 } }),
  subscribe: async () => ({ clientId: 'bob', params: { id: await newSession() } }),
  unsubscribe: async () => ({ clientId: 'alice', params: { id: await newSession() } }),
  sendInput: async () => ({ clientId: 'alice', params: { id: await newSession() }, body: { content: 'hello', source: 'cli' } }),
  interrupt: async () => ({ clientId: 'alice', params: { id: await newSession() } }),
  kill: async () => ({ clientId: 'alice', params: { id: await newSession() } }),
  resume: async () => {
    const stream = await vibes.stream({ clientId: 'alice' });
    const id = await newSession('hello');
    // Only a session in which Claude started a conversation can be resumed.
    await stream.waitForEvent('session_updated', (event) => event.session.id === id && event.session.claude_session_id !== null);
    await vibes.client('alice').kill(id);
    return { clientId: 'alice', params: { id } };
  },
  setPermissionMode: async () => ({ clientId: 'alice', params: { id: await newSession() }, body: { mode: 'acceptEdits', source: 'cli' } }),
  setModel: async () => ({ clientId: 'alice', params: { id: await newSession() }, body: { model: 'sonnet', source: 'web' } }),
  listModels: async () => ({ params: { id: await newSession() } }),
  listCommands: async () => ({ params: { id: await newSession() } }),
  listFiles: async () => ({ params: { id: await sessionIn(projectFolder()) }, query: { path: 'src' } }),
  searchFiles: async () => ({ params: { id: await sessionIn(projectFolder()) }, query: { q: 'MAIN', limit: 10 } }),
  readFile: async () => ({ params: { id: await sessionIn(projectFolder()) }, query: { path: 'src/main.ts' } }),
  sessionChanges: async () => ({ params: { id: await newSession() }, query: { base: 'start' } }),
  sessionFileDiff: async () => {
    const cwd = tempRepo({ 'notes.txt': 'hello\n' });
    await writeFile(join(cwd, 'notes.txt'), 'changed\n');
    const id = (await vibes.client('alice').createSession({ cwd })).id;
    return { params: { id }, query: { path: 'notes.txt' } };
  },
  turnChanges: async () => {
    const id = await newSession('hello');
    const { events } = await vibes.client('alice').events(id);
    return { params: { id, seq: String(events.find((entry) => entry.event.type === 'user_input')?.seq ?? 1) } };
  },
  rewind: async () => {
    const id = await newSession('hello');
    // Rewind waits for the turn to end.
    await expect.poll(async () => (await vibes.client('alice').getSession(id)).state).toBe('idle');
    return { clientId: 'alice', params: { id }, body: { dry_run: true } };
  },
  answerPermission: async () => {
    const stream = await vibes.stream({ clientId: 'alice' });
    const id = await newSession('bash');
    const update = await stream.waitForEvent(
      'session_updated',
      (event) => event.session.id === id && event.session.pending_permissions.length > 0,
    );
    const requestId = update.session.pending_permissions[0]?.request_id ?? '';
    return { clientId: 'alice', params: { id, requestId }, body: { behavior: 'deny', message: 'not now' } };
  },
  // Last: it changes the token the harness signs in with.
  rotateToken: async () => ({}),
  pairing: async () => ({}),
  signIn: async () => ({ body: { code: (await pairingCode(vibes.url, vibes.token)).code, label: 'contract phone' } }),
  signOut: async () => ({ cookie: await deviceCookie(vibes.url, vibes.token) }),
  listDevices: async () => ({}),
  tellClaudeOnPhone: async () => ({ cookie: await deviceCookie(vibes.url, vibes.token, 'phone'), body: { on: true } }),
  notificationSettings: async () => ({ cookie: await deviceCookie(vibes.url, vibes.token, 'notified') }),
  subscribePush: async () => ({ cookie: await deviceCookie(vibes.url, vibes.token, 'push'), body: PUSH_SUBSCRIPTION }),
  unsubscribePush: async () => ({ cookie: await deviceCookie(vibes.url, vibes.token, 'push off') }),
  notifyTest: async () => ({}),
  watch: async () => ({ clientId: 'alice', body: { session_id: null, visible: false } }),
  listNodes: async () => ({}),
  renameSession: async () => ({ clientId: 'alice', params: { id: await newSession() }, body: { name: 'renamed' } }),
  pinSession: async () => ({ clientId: 'alice', params: { id: await newSession() }, body: { pinned: true } }),
  recentProjects: async () => ({}),
  uploadAttachment: async () => ({ clientId: 'alice', params: { id: await newSession() }, query: { name: 'dot.png' }, bytes: png(2, 2) }),
  getAttachment: async () => {
    const id = await newSession();
    const { attachment } = await vibes.client('alice').uploadAttachment(id, png(3, 3), 'dot.png');
    return { params: { id, attachmentId: attachment.id } };
  },
  revokeDevice: async () => {
    await deviceCookie(vibes.url, vibes.token, 'to revoke');
    const device = (await vibes.client().listDevices()).find((listed) => listed.label === 'to revoke');
    return { params: { id: device?.id ?? 'none' } };
  },
};

/** A well-formed subscription whose push service (on a closed loopback port) is never reached. */
const PUSH_SUBSCRIPTION = { ...new BrowserPushKeys().subscription('http://127.0.0.1:9/push/contract'), kinds: ['permission'] };

/** The first event of a text/event-stream (its `data:` line), and the stream closed. */
async function firstEvent(response: Response): Promise<unknown> {
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  try {
    for (;;) {
      const data = /^data: (.*)\n/m.exec(text);
      if (data) return JSON.parse(data[1]!);
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before an event: ${JSON.stringify(text)}`);
      text += value;
    }
  } finally {
    await reader.cancel();
  }
}

async function newSession(prompt?: string): Promise<string> {
  return (await vibes.client('alice').createSession(prompt ? { prompt } : {})).id;
}

async function sessionIn(cwd: string): Promise<string> {
  return (await vibes.client('alice').createSession({ cwd })).id;
}

let project: string | undefined;
afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

/** A small folder for the file routes: src/main.ts. */
function projectFolder(): string {
  if (project) return project;
  project = mkdtempSync(join(tmpdir(), 'vibes-contract-'));
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'src', 'main.ts'), 'export const answer = 42;\n');
  return project;
}

describe('every route answers as the route table says', () => {
  const names = (Object.keys(CALLS) as RouteName[]).sort((a, b) => Number(a === 'rotateToken') - Number(b === 'rotateToken'));
  it.each(names)('%s', async (name) => {
    const response = await send(name, await CALLS[name]());
    const route: RouteSpec = ROUTES[name];
    const json: unknown =
      route.bytes === 'response'
        ? new Uint8Array(await response.arrayBuffer())
        : route.stream
          ? await firstEvent(response)
          : await response.json();
    expect({ status: response.status, json }).toMatchObject({ status: route.status ?? 200 });
    const parsed = route.response.safeParse(json);
    expect(parsed.error?.issues ?? [], `${route.method} ${route.path} answered ${JSON.stringify(json)}`).toEqual([]);
  });
});
