import { spawn } from 'node:child_process';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../lib/base-command.ts';
import { vibesHome } from '../../../lib/local/home.ts';
import { removeServerRecord, writeLastServe } from '../../../lib/local/server-record.ts';
import { SERVER_NODE_ARGS, serverEnv } from '../../../lib/local/server-launch.ts';
import { serverArgs, serverEntry, startDetached } from '../../lib/server-control.ts';
import { cliApi } from '../../lib/api.ts';
import { UserError } from '../../lib/user-error.ts';
import { errorMessage } from '../../../lib/protocol/text.ts';

const DETACH_TIMEOUT_MS = 30_000;

export default class Serve extends BaseCommand {
  static override summary = 'Run the vibes server: in the foreground, or in the background with --detach.';
  static override description = `In the foreground the server prints its URL and runs until Ctrl-C, which ends every
session's Claude process. With --detach it runs in the background: its pid and URL are kept in
$VIBES_HOME/server.json, its output in $VIBES_HOME/server.log; \`vibes serve status\` and
\`vibes serve stop\` manage it, and the other commands find it there.`;
  static override flags = {
    host: Flags.string({ summary: 'Address to listen on (default: VIBES_HOST or 127.0.0.1).' }),
    port: Flags.integer({ summary: 'Port (default: VIBES_PORT or 7432; 0 picks a free one).', min: 0, max: 65535 }),
    demo: Flags.boolean({
      summary: 'New sessions are demo sessions (the fake Claude answers; no Claude account needed) unless they ask for Claude.',
    }),
    detach: Flags.boolean({ char: 'd', summary: 'Run in the background and return once it listens.' }),
    'tls-cert': Flags.string({ summary: 'Serve HTTPS with this certificate chain (PEM file); needs --tls-key.', dependsOn: ['tls-key'] }),
    'tls-key': Flags.string({ summary: 'The private key (PEM file) of --tls-cert.', dependsOn: ['tls-cert'] }),
  };
  static override examples = ['<%= config.bin %> serve', '<%= config.bin %> serve --detach', '<%= config.bin %> serve --port 0 --demo'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    const options = {
      ...(flags.host ? { host: flags.host } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      demo: flags.demo,
      ...(flags['tls-cert'] ? { tlsCert: flags['tls-cert'] } : {}),
      ...(flags['tls-key'] ? { tlsKey: flags['tls-key'] } : {}),
    };
    writeLastServe(vibesHome(), options);
    if (flags.detach) {
      const home = vibesHome();
      let detached;
      try {
        detached = await startDetached(home, options, DETACH_TIMEOUT_MS);
      } catch (error) {
        throw new UserError(errorMessage(error), 'START_FAILED');
      }
      const { record, started } = detached;
      const verb = started ? 'started' : 'already running';
      this.log(`vibes: server ${verb} at ${this.style.cyan(record.url)} (pid ${record.pid})`);
      // Asked of the server: a fresh one-time code, whether it just started or was already running.
      const pairing = await signInUrl(record.url);
      if (pairing) this.log(`Open the dashboard: ${pairing} (works once, for a few minutes)`);
      else this.log('Run `vibes pair` for a link that signs a browser in.');
      this.log(this.style.dim(`log: ${record.log} · stop it with \`vibes serve stop\``));
      return;
    }
    process.exitCode = await this.foreground(serverArgs(options));
  }

  /** The server as a child with our terminal; it writes server.json itself, which we clear if it dies without doing so. */
  foreground(args: string[]): Promise<number> {
    const home = vibesHome();
    const child = spawn(process.execPath, [...SERVER_NODE_ARGS, serverEntry(), ...args], {
      stdio: 'inherit',
      env: serverEnv({ ...process.env, NEXT_TELEMETRY_DISABLED: '1' }),
    });
    const forward = (signal: NodeJS.Signals) => () => {
      if (child.exitCode === null) child.kill(signal);
    };
    const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => [signal, forward(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    return new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        for (const [name, handler] of handlers) process.off(name, handler);
        if (child.pid !== undefined) removeServerRecord(home, child.pid);
        resolve(code ?? (signal ? 128 + 2 : 1));
      });
    });
  }
}

/** A fresh one-time sign-in link, asked of the server (the token authorises the question). */
async function signInUrl(url: string): Promise<string | undefined> {
  try {
    return (await (await cliApi(url)).pairing()).urls[0];
  } catch {
    return undefined;
  }
}
