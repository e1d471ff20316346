import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { NextServer, NextServerOptions, RequestHandler } from 'next/dist/server/next.js';
import type { AgentFactory } from '../core/index.ts';
import { matchRoute, methodsAt, ROUTES, type RouteMatch } from '../protocol/index.ts';
import { serverBaseUrl } from '../protocol/server-url.ts';
import { Admission } from './admission.ts';
import { principalKey, type Principal } from './auth.ts';
import type { ServerConfig } from './config.ts';
import { TrustedProxy, viewRequest } from './forwarded.ts';
import { handlers } from './handlers.ts';
import { ERROR_CODE_HEADER, refuseEarly, sendError } from './http-errors.ts';
import { projectRoot, projectVersion } from '../local/project-root.ts';
import { RateLimiter } from './rate-limit.ts';
import { inRequestScope, PAGE_HEADERS, writeAnswer } from './route.ts';
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

/** A TLS handshake takes a round trip or two: a socket that has not finished one in this time is closed. */
const TLS_HANDSHAKE_TIMEOUT_MS = 5000;
/**
 * How long a new connection has to send its request before it may be closed to make room for
 * others: a client on the same address as a stranger who renews sockets as fast as it can (the
 * CLI on the machine, browsers behind one NAT or proxy) is read well within it.
 */
const NEWCOMER_GRACE_MS = 1000;
/** Signed-in sockets besides event streams (requests, keep-alive): room for many clients at once. */
const OTHER_SIGNED_IN_SOCKETS = 2048;
/**
 * Connections the kernel queues before the server accepts them: a burst (dashboards reconnecting
 * after a restart) waits here instead of having its SYNs dropped and retried a second later.
 */
const LISTEN_BACKLOG = 2048;

const SIGNED_OUT_PAGE_HEADERS = { ...PAGE_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };

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
  const trustedProxy = config.trustedProxySecret ? new TrustedProxy(config.trustedProxies, config.trustedProxySecret) : null;
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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    admission.requestStarted(req.socket, res);
    setBaseHeaders(res);
    viewRequest(req, trustedProxy);
    const url = new URL(req.url ?? '/', 'http://vibes.invalid');
    const isApi = url.pathname === '/api' || url.pathname.startsWith('/api/');
    if (isApi) res.setHeader('Cache-Control', 'no-store');
    res.once('finish', () => auditRefusal(req, res));
    const match = isApi ? matchRoute(req.method, url.pathname) : null;
    const verdict = await guard.check(req, url, match);
    switch (verdict.kind) {
      case 'refuse':
        return sendError(res, verdict.code, verdict.message, verdict.headers, refuseEarly(req, res));
      case 'signed-out-page':
        // A page, not a refusal: the sign-in form is what a signed-out browser is meant to get.
        return void writeAnswer(req, res, {
          status: 200,
          headers: SIGNED_OUT_PAGE_HEADERS,
          body: signedOutPage({ code: url.searchParams.get('code'), key: url.searchParams.get('key') }),
        });
      case 'public':
      case 'pass':
        break;
    }
    const principal = verdict.kind === 'pass' ? verdict.principal : null;
    if (principal) admission.signedIn(req.socket);
    if (isApi) {
      if (!match) return sendError(res, 'NOT_FOUND', 'Not found', {}, refuseEarly(req, res));
      if (!match.allowed) {
        const allow = methodsAt(url.pathname).join(', ');
        return sendError(res, 'METHOD_NOT_ALLOWED', `Use ${allow} for ${url.pathname}`, { Allow: allow }, refuseEarly(req, res));
      }
      // In a cluster, a request about a session another node runs is answered by that node.
      if (principal && runtime.topology.forward(req, res, url, principal)) return;
      if (match.spec.serverFirst) return serveFirst(match, req, res, url, principal);
    } else if (!url.pathname.startsWith('/_next/static/')) applyPageCsp(req, res, config.dev);
    loadNextNow();
    nextReady
      .then((handleWithNext) => inRequestScope(req, principal, () => handleWithNext(req, res)))
      .catch((error: unknown) => failed(res, error));
  };

  /** A route the table says the custom server answers itself, with the handler Next would run. */
  const serveFirst = (match: RouteMatch, req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal | null) => {
    // The one route route() does not answer: the hub writes the stream, and owns it until it closes.
    if (match.name === 'events') return runtime.hub.open(req, res, url, principalKey(principal!));
    handlers[match.name].serve(req, res, match.params, principal, url).catch((error: unknown) => failed(res, error));
  };

  // A cluster node learns its own URL by listening, then joins: a request that comes in between
  // (a CLI reconnecting to a restarted node) waits for the join rather than meet a half-started bus.
  let joined = false;
  let joinSucceeded!: () => void;
  let joinFailed!: (error: unknown) => void;
  const joining = new Promise<void>((resolve, reject) => ((joinSucceeded = resolve), (joinFailed = reject)));
  joining.catch(() => {});
  const handleOrFail = (req: IncomingMessage, res: ServerResponse) => {
    // The store did not answer who is asking (a cluster's database away): this request fails, the server goes on.
    handle(req, res).catch((error: unknown) => failed(res, error));
  };
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (joined) return handleOrFail(req, res);
    joining.then(
      () => handleOrFail(req, res),
      () => res.destroy(),
    );
  };

  // Checked every second, so a client that sends its head slowly is cut off on time.
  const timeouts = { headersTimeout: config.headersTimeoutMs, requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: 1000 };
  const server =
    config.tlsCert && config.tlsKey
      ? createHttpsServer(
          {
            ...timeouts,
            handshakeTimeout: Math.min(config.headersTimeoutMs, TLS_HANDSHAKE_TIMEOUT_MS),
            cert: readFileSync(config.tlsCert),
            key: readFileSync(config.tlsKey),
          },
          serve,
        )
      : createServer(timeouts, serve);
  // Counted from the TCP connection, so sockets that never finish a TLS handshake count too.
  const admission = new Admission({
    max: config.maxAnonymousConnections,
    graceMs: NEWCOMER_GRACE_MS,
    overflow: LISTEN_BACKLOG,
    // Anonymous sockets are bounded by the pool and its overflow (plus one turn's accepts, which the
    // backlog bounds), event streams by their cap; this bounds the rest, and no stranger reaches it.
    ceiling: config.maxAnonymousConnections + 2 * LISTEN_BACKLOG + config.maxEventClients + OTHER_SIGNED_IN_SOCKETS,
  });
  server.on('connection', (socket: Socket) => admission.connected(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  runtime.hub.start();
  setImmediate(listening);
  const { port } = server.address() as AddressInfo;
  runtime.port = port;
  // The one place the server's own URL is made: what it prints, what the CLI's record and the nodes list say.
  const url = serverBaseUrl({ host: config.host, port, tls: config.tlsCert !== undefined });
  try {
    await runtime.topology.start(config.nodeUrl ?? url);
    joined = true;
    joinSucceeded();
  } catch (error) {
    joinFailed(error);
    server.close();
    server.closeAllConnections();
    await runtime.dispose().catch(() => undefined);
    throw error;
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

  return { url, port, runtime, ready: nextReady.then(() => undefined), close };
}

function failed(res: ServerResponse, error: unknown): void {
  console.error('vibes: request failed:', error);
  if (!res.headersSent) sendError(res, 'INTERNAL', 'Internal server error');
  else res.destroy();
}

/** One line per refused request: time, address, method and path (never the query), status, code. */
function auditRefusal(req: IncomingMessage, res: ServerResponse): void {
  if (res.statusCode < 400 || res.statusCode >= 500) return;
  // "Is a server there?" (the CLI before it starts one, a supervisor's probe): not worth a line.
  if (res.statusCode === 401 && req.method === 'GET' && req.url === ROUTES.health.path) return;
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
