import { createClaudeAgentFactory, fakeClaudePath, resolveClaudeExecutable } from '../core/claude/index.ts';
import { loadConfig } from './config.ts';
import { isLoopbackBind, signInUrls, terminalQr } from './pairing.ts';
import { startServer } from './server.ts';

/** `npm start` and `vibes serve`: the server in the foreground until SIGINT or SIGTERM. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(argv, env);
  const executable = config.demo ? fakeClaudePath() : (config.claudePath ?? resolveClaudeExecutable(env));
  const server = await startServer(config, createClaudeAgentFactory({ executable, env, allowBypass: config.allowBypass }));
  console.log(`vibes: listening on ${server.url}${config.demo ? ' (demo: the fake Claude answers)' : ''}`);
  if (config.allowBypass) console.log('vibes: sessions may bypass permissions (--allow-bypass): Claude can then run anything without asking');
  const [signIn, ...others] = signInUrls(config.host, server.port, server.runtime.auth.token);
  console.log(`vibes: sign in a browser with ${signIn}`);
  for (const url of others) console.log(`vibes:            or with ${url}`);
  if (!isLoopbackBind(config.host) && signIn) {
    console.log(`vibes: listening beyond this machine; scan to open vibes on your phone:\n${await terminalQr(signIn)}`);
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`vibes: ${signal}, ending sessions and shutting down`);
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
    console.error(`vibes: the web app could not be loaded (run \`npm run build\`): ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

main(process.argv.slice(2), process.env).catch((error: unknown) => {
  console.error(`vibes: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
