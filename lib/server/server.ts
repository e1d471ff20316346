import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextServer, NextServerOptions, RequestHandler } from 'next/dist/server/next.js';
import type { AgentFactory } from '../core/index.ts';
import { EVENT_STREAM_PATH, ROUTES } from '../protocol/index.ts';
import { Auth } from './auth.ts';
import type { ServerConfig } from './config.ts';
import { sendHealth } from './health.ts';
import { sendError } from './http-errors.ts';
import { projectRoot, projectVersion } from '../local/project-root.ts';
import { RateLimiter } from './rate-limit.ts';
import { applyPageCsp, RequestGuard, setBaseHeaders, signInCookie, SIGNED_OUT_PAGE } from './request-guard.ts';
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

export async function startServer(config: ServerConfig, agentFactory: AgentFactory): Promise<RunningServer> {
  const auth = new Auth({ home: config.home, ...loadOrCreateToken(config.home, config.token) });
  const runtime = createRuntime(config, agentFactory, auth, projectVersion());
  const guard = new RequestGuard({
    auth,
    rateLimiter: new RateLimiter({ perSecond: config.rateLimitPerSecond, burst: config.rateLimitBurst }),
    bindHost: config.host,
    extraHosts: config.allowedHosts,
    maxBodyBytes: config.maxBodyBytes,
  });
  installRuntime(runtime);
  // Listen first and prepare Next behind it: a client's first request (the CLI waits on health)
  // does not pay for loading Next, which is most of a cold start.
  let app: NextServer | undefined;
  const nextReady: Promise<RequestHandler> = (async () => {
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
    const url = new URL(req.url ?? '/', 'http://vibes.invalid');
    const verdict = guard.check(req, url);
    switch (verdict.kind) {
      case 'refuse':
        return sendError(res, verdict.code, verdict.message, verdict.headers);
      case 'sign-in':
        res.writeHead(303, { 'Set-Cookie': signInCookie(auth), Location: verdict.location, 'Cache-Control': 'no-store' });
        return res.end();
      case 'signed-out-page':
        res.writeHead(401, {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
          'Cache-Control': 'no-store',
        });
        return res.end(SIGNED_OUT_PAGE);
      case 'pass':
        break;
    }
    if (url.pathname === EVENT_STREAM_PATH) {
      if (req.method !== 'GET') return sendError(res, 'METHOD_NOT_ALLOWED', `Use GET for ${EVENT_STREAM_PATH}`, { Allow: 'GET' });
      return runtime.hub.open(req, res, url);
    }
    if (url.pathname === ROUTES.health.path) {
      if (req.method !== ROUTES.health.method) return sendError(res, 'METHOD_NOT_ALLOWED', `Use GET for ${ROUTES.health.path}`, { Allow: 'GET' });
      return sendHealth(res, runtime);
    }
    if (!url.pathname.startsWith('/api/') && !url.pathname.startsWith('/_next/static/')) applyPageCsp(req, res, config.dev);
    nextReady
      .then((handleWithNext) => handleWithNext(req, res))
      .catch((error: unknown) => {
        console.error('vibes: request failed:', error);
        if (!res.headersSent) sendError(res, 'INTERNAL', 'Internal server error');
        else res.destroy();
      });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  runtime.hub.start();
  const { port } = server.address() as AddressInfo;
  runtime.port = port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      server.close();
      await runtime.dispose();
      runtime.hub.stop();
      runtime.presence.dispose();
      server.closeAllConnections();
      await nextReady.catch(() => undefined);
      await app?.close();
      installRuntime(undefined);
    })());

  return { url: `http://${host}:${port}`, port, runtime, ready: nextReady.then(() => undefined), close };
}
