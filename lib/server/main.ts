import { demoAwareAgentFactory } from '../core/agent.ts';
import { createClaudeAgentFactory, fakeClaudePath, resolveClaudeExecutable } from '../core/claude/index.ts';
import { loadConfig } from './config.ts';
import { terminalQr } from '../local/qr.ts';
import { removeServerRecord, writeServerRecord } from '../local/server-record.ts';
import { isLoopbackHost } from '../protocol/index.ts';
import { serverBaseUrl } from '../protocol/server-url.ts';
import { signInUrls } from './pairing.ts';
import { startServer } from './server.ts';
import { errorMessage } from '../protocol/text.ts';

/** `npm start` and `vibes serve`: the server in the foreground until SIGINT or SIGTERM. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  keepServingWithoutOutput();
  const config = loadConfig(argv, env);
  // Claude and every command it runs inherit this environment: vibes' own secret stays out of it.
  const agentEnv = withoutVibesSecrets(env);
  if (env === process.env) for (const name of VIBES_SECRETS) delete process.env[name];
  const claude = { env: agentEnv, allowBypass: config.allowBypass };
  const agentFactory = demoAwareAgentFactory({
    real: createClaudeAgentFactory({ ...claude, executable: config.claudePath ?? resolveClaudeExecutable(agentEnv) }),
    demo: createClaudeAgentFactory({ ...claude, executable: fakeClaudePath() }),
  });
  const server = await startServer(config, agentFactory);
  console.log(`vibes: listening on ${server.url}${config.demo ? ' (new sessions are demo sessions unless they ask for Claude)' : ''}`);
  // The URLs in it may carry passwords: only their redacted form is ever printed.
  if (server.runtime.topology.description) console.log(`vibes: ${server.runtime.topology.description}`);
  if (config.allowBypass)
    console.log('vibes: sessions may bypass permissions (--allow-bypass): Claude can then run anything without asking');
  // How the CLI learns that this server is up and where (never from the output above).
  writeServerRecord(config.home, {
    pid: process.pid,
    url: serverBaseUrl({ host: config.host, port: server.port, tls: Boolean(config.tlsCert) }),
    port: server.port,
    started_at: Math.floor(Date.now() / 1000),
    log: env.VIBES_LOG_FILE ?? '',
  });
  const pairing = server.runtime.pairingCodes.issue();
  const { code, expiresAt } = pairing;
  const [signIn, ...others] = signInUrls(config, server.port, pairing);
  const minutes = Math.round((expiresAt * 1000 - Date.now()) / 60_000);
  console.log(`vibes: sign in a browser with ${signIn} (code ${code}, works once, for ${minutes} min; \`vibes pair\` makes another)`);
  for (const url of others) console.log(`vibes:            or with ${url}`);
  if ((!isLoopbackHost(config.host) || config.publicUrl) && signIn) {
    console.log(`vibes: listening beyond this machine; scan to open vibes on your phone:\n${await terminalQr(signIn)}`);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`vibes: ${signal}, ending sessions and shutting down`);
    removeServerRecord(config.home, process.pid);
    // Each agent is SIGKILLed after its own grace, so a close still running by then is stuck.
    setTimeout(() => {
      console.error(`vibes: shutdown did not finish within ${SHUTDOWN_BOUND_MS / 1000} s; exiting`);
      process.exit(1);
    }, SHUTDOWN_BOUND_MS).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('vibes: shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  await server.ready.catch((error: unknown) => {
    console.error(`vibes: the web app could not be loaded (run \`npm run build\`): ${errorMessage(error)}`);
    process.exit(1);
  });
}

const SHUTDOWN_BOUND_MS = 20_000;

/**
 * A server whose terminal or log pipe went away keeps serving and still shuts down on a signal.
 * Without a listener, a failed write to stdout or stderr is an uncaught error; Next logs those to
 * stderr, which fails again: the process spun on that loop and never reached its shutdown.
 */
function keepServingWithoutOutput(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}

const VIBES_SECRETS = [
  'VIBES_TOKEN',
  'VIBES_REDIS_URL',
  'VIBES_DATABASE_URL',
  'VIBES_TRUSTED_PROXY_SECRET',
  'VIBES_NOTIFY_URL',
  'VIBES_NOTIFY_SECRET',
];

function withoutVibesSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of VIBES_SECRETS) delete copy[name];
  return copy;
}

main(process.argv.slice(2), process.env).catch((error: unknown) => {
  console.error(`vibes: ${errorMessage(error)}`);
  process.exit(1);
});
