import { compareListed, matchesFilter, sessionFilter } from '../protocol/index.ts';
import { route } from './route.ts';
import { sessionFolder } from './session-files.ts';

/**
 * The sessions and what is in them: the handlers of app/api/sessions (and health, nodes), each
 * parsing nothing itself and calling one core function through the runtime.
 */
export const sessionRoutes = {
  /** Answered from the moment the server listens, while Next is still being prepared. */
  health: route('health', ({ runtime }) => ({
    ok: true,
    version: runtime.version,
    epoch: runtime.topology.bus.epoch,
    uptime_s: Math.floor((Date.now() - runtime.startedAt) / 1000),
    sessions: runtime.manager.list().length,
    allow_bypass: runtime.config.allowBypass,
  })),

  /** The machines of the cluster with their state and live sessions; on a single machine, this one. */
  listNodes: route('listNodes', ({ runtime }) => runtime.topology.nodes()),

  /** The first thing a dashboard or `vibes sessions list` asks for: answered before Next is prepared. */
  listSessions: route('listSessions', async ({ runtime, clientId, query }) => {
    const filter = sessionFilter(query);
    if (query.state === 'ended') {
      const page = { limit: query.limit, filter, ...(query.before === undefined ? {} : { before: query.before }) };
      return { sessions: await runtime.manager.history(page, clientId) };
    }
    return {
      sessions: runtime.sessions
        .list(clientId)
        .filter((session) => matchesFilter(session, filter))
        .sort(compareListed),
    };
  }),

  /** The caller becomes owner and subscriber. */
  createSession: route('createSession', async ({ runtime, clientId, principal, body }) => {
    const { node, ...rest } = body;
    if (node !== undefined && node !== runtime.topology.node) return runtime.topology.createSession(node, rest, clientId, principal);
    const session = await runtime.manager.create({
      ownerId: clientId,
      cwd: rest.cwd ?? runtime.config.defaultCwd,
      name: rest.name ?? null,
      model: rest.model ?? null,
      permissionMode: rest.permission_mode ?? 'default',
      ...(rest.prompt === undefined ? {} : { prompt: rest.prompt }),
      source: rest.source ?? 'api',
      onPhone: principal.kind === 'device' && principal.onPhone,
      demo: rest.demo ?? runtime.config.demo,
    });
    return { session: session.infoFor(clientId) };
  }),

  /** A live session, or an ended one (with `ended_at` set) from the history. */
  getSession: route('getSession', async ({ runtime, params, clientId }) => ({ session: await runtime.manager.info(params.id, clientId) })),

  /** Pages from the store, so a transcript of any length opens as fast as a short one. */
  sessionEvents: route('sessionEvents', ({ runtime, params, query }) => runtime.manager.readEvents(params.id, query.after, query.limit)),

  /**
   * What 500 viewers opening a session do at once: answered before Next. The subscriber gets the
   * session in the answer; everyone else learns of it from a coalesced list update.
   */
  subscribe: route('subscribe', async ({ runtime, params, clientId }) => {
    await runtime.lifecycle.subscribe(params.id, clientId);
    return { session: (await runtime.manager.get(params.id)).infoFor(clientId) };
  }),

  /** Leaving follows the same rules as disconnecting: ownership passes on, an empty session ends. */
  unsubscribe: route('unsubscribe', async ({ runtime, params, clientId }) => {
    const result = await runtime.lifecycle.unsubscribe(params.id, clientId);
    return { was_owner: result.was_owner, session: runtime.manager.find(params.id)?.infoFor(clientId) ?? null };
  }),

  /** 202: the input is taken (or queued behind the running turn); its effects arrive as events. */
  sendInput: route('sendInput', async ({ runtime, params, clientId, principal, body }) => {
    const session = await runtime.manager.get(params.id);
    const onPhone = principal.kind === 'device' && principal.onPhone;
    session.sendInput(body.content, { clientId, source: body.source ?? 'api', onPhone }, body.attachments);
    return { session: session.infoFor(clientId) };
  }),

  interrupt: route('interrupt', async ({ runtime, params, clientId }) => {
    const session = await runtime.manager.get(params.id);
    await session.interrupt(clientId);
    return { session: session.infoFor(clientId) };
  }),

  /** Answers once the agent's process has ended and every client was told. */
  kill: route('kill', async ({ runtime, params, clientId }) => {
    await runtime.manager.kill(params.id, clientId);
    return { session_id: params.id, reason: 'killed' as const };
  }),

  /** Starts Claude again on an ended session (`--resume`); the caller owns and subscribes to it. */
  resume: route('resume', async ({ runtime, params, clientId }) => ({
    session: (await runtime.manager.resume(params.id, clientId)).infoFor(clientId),
  })),

  /** A signed-in browser's answer carries its label, for the transcript's "answered on ...". */
  answerPermission: route('answerPermission', async ({ runtime, params, clientId, body, principal }) => {
    const session = await runtime.manager.get(params.id);
    session.answerPermission(params.requestId, body, clientId, principal.kind === 'device' ? principal.label : undefined);
    return { session: session.infoFor(clientId) };
  }),

  /** Switches the session's permission mode live; `bypassPermissions` only on a server started with the opt-in. */
  setPermissionMode: route('setPermissionMode', async ({ runtime, params, clientId, body }) => {
    const session = await runtime.manager.get(params.id);
    await session.setPermissionMode(body.mode, { clientId, source: body.source ?? 'api' });
    return { session: session.infoFor(clientId) };
  }),

  /** Switches the model Claude uses from its next request on. */
  setModel: route('setModel', async ({ runtime, params, clientId, body }) => {
    const session = await runtime.manager.get(params.id);
    await session.setModel(body.model, { clientId, source: body.source ?? 'api' });
    return { session: session.infoFor(clientId) };
  }),

  /** The models this session's Claude Code offers (its `supportedModels()`). */
  listModels: route('listModels', async ({ runtime, params }) => ({
    models: await (await runtime.manager.get(params.id)).supportedModels(),
  })),

  /** The slash commands this session's Claude Code offers (its `supportedCommands()`); an ended session answers INVALID_STATE. */
  listCommands: route('listCommands', async ({ runtime, params }) => ({
    commands: await (await runtime.manager.get(params.id)).supportedCommands(),
  })),

  /** A folder of the session's directory, read-only and confined to it. */
  listFiles: route('listFiles', async ({ runtime, params, query }) => (await sessionFolder(runtime, params.id)).list(query.path)),

  /** Files of the session's directory by name, bounded in time and entries. */
  searchFiles: route('searchFiles', async ({ runtime, params, query }) =>
    (await sessionFolder(runtime, params.id)).search(query.q, query.limit),
  ),

  /** A file of the session's directory: its text (capped) and language, or `binary`. */
  readFile: route('readFile', async ({ runtime, params, query }) => (await sessionFolder(runtime, params.id)).read(query.path)),

  /** The files changed in the session's folder, against its start commit or HEAD. */
  sessionChanges: route('sessionChanges', ({ runtime, params, query }) => runtime.manager.changes(params.id, query.base)),

  /** One changed file's unified diff (binary and huge files summarised). */
  sessionFileDiff: route('sessionFileDiff', ({ runtime, params, query }) => runtime.manager.fileDiff(params.id, query.path, query.base)),

  turnChanges: route('turnChanges', ({ runtime, params }) => runtime.manager.turnChanges(params.id, params.seq)),

  /** Puts the files back as they were before a message (a dry run shows what would change). */
  rewind: route('rewind', async ({ runtime, params, clientId, body }) => {
    const session = await runtime.manager.get(params.id);
    const result = await session.rewind({ to: body.to ?? null, dryRun: body.dry_run ?? false }, clientId);
    return { ...result, session: session.infoFor(clientId) };
  }),

  /** An empty name clears it: the session is called by its first prompt again. */
  renameSession: route('renameSession', async ({ runtime, params, clientId, body }) => ({
    session: await runtime.manager.rename(params.id, body.name || null, clientId),
  })),

  pinSession: route('pinSession', async ({ runtime, params, clientId, body }) => ({
    session: await runtime.manager.setPinned(params.id, body.pinned, clientId),
  })),

  /** Where sessions ran lately, for starting the next one there. */
  recentProjects: route('recentProjects', async ({ runtime }) => ({ projects: await runtime.manager.recentProjects() })),
};
