import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { NextServer, NextServerOptions, RequestHandler } from 'next/dist/server/next.js';
import type { AgentFactory } from '../core/index.ts';
import { EVENT_STREAM_PATH, ROUTES } from '../protocol/index.ts';
import { DEVICE_LABEL_HEADER } from './route.ts';
import { principalKey } from './auth.ts';
import type { ServerConfig } from './config.ts';
import { handleCredentialRoute, sendHtml } from './credential-routes.ts';
import { viewRequest } from './forwarded.ts';
import { handleNotificationRoute } from './notification-routes.ts';
import { sendHealth } from './health.ts';
import { ERROR_CODE_HEADER, sendError } from './http-errors.ts';
import { projectRoot, projectVersion } from '../local/project-root.ts';
import { RateLimiter } from './rate-limit.ts';
import { handleServerRoute } from './server-routes.ts';
import { handleAttachmentRoute } from './attachment-routes.ts';
import { applyPageCsp, RequestGuard, setBaseHeaders } from './request-guard.ts';
import { signedOutPage } from './sign-in-page.ts';
import { installRuntime } from './runtime-accessor.ts';
import { createRuntime, type Runtime } from './runtime.ts';
import { loadOrCreateToken } from './token.ts';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly runtime: Runtime;
  /** Settles when Next is prepared; until then its requests wait (health and the event stream do not). */
  readonly ready: Promise<void>;
  /** Ends every agent, tells the clients, stops listening. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * How long after listening Next loads when no page asked for it first: long enough for the
 * requests right after a start (a CLI polls for the server every 50 ms), short enough that Next
 * is usually loaded before anyone opens a page.
 */
const NEXT_LOAD_DELAY_MS = 300;

export async function startServer(config: ServerConfig, agentFactory: AgentFactory): Promise<RunningServer> {
  const runtime = await createRuntime(config, agentFactory, loadOrCreateToken(config.home, config.token), projectVersion());
  const guard = new RequestGuard({
    auth: runtime.auth,
    rateLimiter: new RateLimiter({ perSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst }),
    anonymousLimiter: new RateLimiter({ perSecond: config.anonymousRateLimitPerSecond, burst: config.anonymousRateLimitBurst }),
    bindHost: config.host,
    extraHosts: [...config.allowedHosts, ...(config.publicUrl ? [new URL(config.publicUrl).hostname] : [])],
    maxBodyBytes: config.maxBodyBytes,
  });
  installRuntime(runtime);
  // Listen first and load Next only then: loading it is most of a cold start and blocks the event
  // loop, and the routes a client asks first (health, the list, subscribe, the event stream) do
  // not need it. Nor do the first requests after a start, as a rule: a CLI command that started
  // the server, dashboards reconnecting after a restart. So Next loads when a page asks for it,
  // or a moment after listening, and those requests are not kept waiting behind its import.
  let app: NextServer | undefined;
  let listening!: () => void;
  const listened = new Promise<void>((resolve) => (listening = resolve));
  let loadNextNow!: () => void;
  const nextWanted = new Promise<void>((resolve) => {
    loadNextNow = resolve;
    void listened.then(() => setTimeout(resolve, NEXT_LOAD_DELAY_MS).unref());
  });
  let closed = false;
  const nextReady: Promise<RequestHandler> = (async () => {
    await nextWanted;
    // Closed before anything asked for a page: nothing is served any more, so nothing to load.
    if (closed) {
      return async (_req: IncomingMessage, res: ServerResponse) => {
        res.destroy();
      };
    }
    // Next is CommonJS: its module.exports is the factory, which `moduleResolution: nodenext` (the
    // dist build) types as a namespace and `bundler` (typecheck) types as the function.
    const { default: nextModule } = await import('next');
    const next = nextModule as unknown as (options: NextServerOptions) => NextServer;
    app = next({ dev: config.dev, dir: projectRoot(), hostname: config.host, port: config.port, customServer: true, quiet: !config.dev });
    await app.prepare();
    return app.getRequestHandler();
  })();
  nextReady.catch(() => {});

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    setBaseHeaders(res);
    viewRequest(req, config.trustedProxies);
    // Only the server says which device asks (lib/server/route.ts reads it); a client's own is dropped.
    delete req.headers[DEVICE_LABEL_HEADER];
    const url = new URL(req.url ?? '/', 'http://vibes.invalid');
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (isApi) res.setHeader('Cache-Control', 'no-store');
    res.once('finish', () => auditRefusal(req, res));
    const verdict = guard.check(req, url);
    switch (verdict.kind) {
      case 'refuse':
        refuseEarly(req, res);
        return sendError(res, verdict.code, verdict.message, verdict.headers);
      case 'signed-out-page':
        refuseEarly(req, res);
        return sendHtml(res, 401, signedOutPage({ code: url.searchParams.get('code') }), {
          'Cache-Control': 'no-store',
          'X-Vibes-Error': 'UNAUTHORIZED',
        });
      case 'public':
      case 'pass':
        break;
    }
    const principal = verdict.kind === 'pass' ? verdict.principal : null;
    if (principal) connections.signedIn(req.socket);
    if (principal?.kind === 'device') req.headers[DEVICE_LABEL_HEADER] = encodeURIComponent(principal.label);
    if (isApi && handleCredentialRoute(req, res, url, principal, runtime)) return;
    if (isApi && principal && handleNotificationRoute(req, res, url, principal, runtime)) return;
    if (url.pathname === EVENT_STREAM_PATH) {
      if (req.method !== 'GET') return sendError(res, 'METHOD_NOT_ALLOWED', `Use GET for ${EVENT_STREAM_PATH}`, { Allow: 'GET' });
      return runtime.hub.open(req, res, url, principalKey(principal!));
    }
    if (url.pathname === ROUTES.health.path) {
      if (req.method !== ROUTES.health.method)
        return sendError(res, 'METHOD_NOT_ALLOWED', `Use GET for ${ROUTES.health.path}`, { Allow: 'GET' });
      return sendHealth(res, runtime);
    }
    if (isApi && !principal) return sendError(res, 'NOT_FOUND', 'Not found');
    // In a cluster, a request about a session another node runs is answered by that node.
    if (isApi && runtime.cluster?.forward(req, res, url)) return;
    if (isApi && handleAttachmentRoute(req, res, url, runtime)) return;
    if (isApi && handleServerRoute(req, res, url, config.maxBodyBytes)) return;
    if (!isApi && !url.pathname.startsWith('/_next/static/')) applyPageCsp(req, res, config.dev);
    loadNextNow();
    nextReady
      .then((handleWithNext) => handleWithNext(req, res))
      .catch((error: unknown) => {
        console.error('vibes: request failed:', error);
        if (!res.headersSent) sendError(res, 'INTERNAL', 'Internal server error');
        else res.destroy();
      });
  };

  // A cluster node learns its own URL by listening, then joins: a request that comes in between
  // (a CLI reconnecting to a restarted node) waits for the join rather than meet a half-started bus.
  let joined: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | null = null;
  if (runtime.cluster) {
    let resolve = () => {};
    let reject: (error: unknown) => void = () => {};
    const promise = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
    promise.catch(() => {});
    joined = { promise, resolve, reject };
  }
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (!joined) return handle(req, res);
    joined.promise.then(
      () => handle(req, res),
      () => res.destroy(),
    );
  };

  // Checked every second, so a client that sends its head slowly is cut off on time.
  const timeouts = { headersTimeout: config.headersTimeoutMs, requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: 1000 };
  const server =
    config.tlsCert && config.tlsKey
      ? createHttpsServer({ ...timeouts, cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) }, serve)
      : createServer(timeouts, serve);
  const connectionEvent = config.tlsCert ? 'secureConnection' : 'connection';
  const connections = new AnonymousConnections(config.maxAnonymousConnections);
  server.on(connectionEvent, (socket: Socket) => connections.opened(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  runtime.hub.start();
  setImmediate(listening);
  const { port } = server.address() as AddressInfo;
  runtime.port = port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  if (runtime.cluster) {
    try {
      await runtime.cluster.start(config.nodeUrl ?? `http://${host}:${port}`);
      joined?.resolve();
      joined = null;
    } catch (error) {
      joined?.reject(error);
      server.close();
      server.closeAllConnections();
      await runtime.dispose().catch(() => undefined);
      throw error;
    }
  }

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      closed = true;
      loadNextNow();
      server.close();
      await runtime.dispose();
      runtime.hub.stop();
      runtime.presence.dispose();
      server.closeAllConnections();
      await nextReady.catch(() => undefined);
      await app?.close();
      installRuntime(undefined);
    })());

  return { url: `${config.tlsCert ? 'https' : 'http'}://${host}:${port}`, port, runtime, ready: nextReady.then(() => undefined), close };
}

/**
 * Connections that have not made a signed-in request are capped: idle or half-sent sockets from
 * whoever can reach the port cannot pile up. The event stream's sockets are signed in.
 */
class AnonymousConnections {
  readonly #max: number;
  readonly #anonymous = new Set<Socket>();

  constructor(max: number) {
    this.#max = max;
  }

  opened(socket: Socket): void {
    if (this.#anonymous.size >= this.#max) {
      socket.destroy();
      return;
    }
    this.#anonymous.add(socket);
    socket.once('close', () => this.#anonymous.delete(socket));
  }

  signedIn(socket: Socket): void {
    this.#anonymous.delete(socket);
  }
}

/** A refused request's body is not read: close the connection once the answer is out. */
function refuseEarly(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) return;
  res.setHeader('Connection', 'close');
  res.once('finish', () => {
    // Take what is still coming for a moment, so the client reads the answer, then hang up.
    req.resume();
    setTimeout(() => req.socket.destroy(), 1000).unref();
  });
}

/** One line per refused request: time, address, method and path (never the query), status, code. */
function auditRefusal(req: IncomingMessage, res: ServerResponse): void {
  if (res.statusCode < 400 || res.statusCode >= 500) return;
  const code = res.getHeader(ERROR_CODE_HEADER) ?? '-';
  // The path as sent (not normalised, so `/.//evil.com/` shows as such), without the query.
  const path = (req.url ?? '')
    .split('?', 1)[0]!
    .replace(/[^\x21-\x7e]/g, '?')
    .slice(0, 200);
  console.log(
    `vibes: refused ${new Date().toISOString()} ${req.socket.remoteAddress ?? '-'} ${req.method ?? '-'} ${path} ${res.statusCode} ${String(code)}`,
  );
}
