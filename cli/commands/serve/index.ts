import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/base-command.ts';
import { removeServerRecord, vibesHome, writeServerRecord } from '../../lib/locate.ts';
import { LISTENING, originOf, serverArgs, serverEntry, startDetached } from '../../lib/server-control.ts';
import { UserError } from '../../lib/user-error.ts';

const DETACH_TIMEOUT_MS = 30_000;
const PAIRING_URL = /https?:\/\/\S*[?&]code=[\w-]+/;

export default class Serve extends BaseCommand {
  static override summary = 'Run the vibes server: in the foreground, or in the background with --detach.';
  static override description = `In the foreground the server prints its URL and runs until Ctrl-C, which ends every
session's Claude process. With --detach it runs in the background: its pid and URL are kept in
$VIBES_HOME/server.json, its output in $VIBES_HOME/server.log; \`vibes serve status\` and
\`vibes serve stop\` manage it, and the other commands find it there.`;
  static override flags = {
    host: Flags.string({ summary: 'Address to listen on (default: VIBES_HOST or 127.0.0.1).' }),
    port: Flags.integer({ summary: 'Port (default: VIBES_PORT or 7432; 0 picks a free one).', min: 0, max: 65535 }),
    demo: Flags.boolean({ summary: 'Sessions run the fake Claude (no Claude account needed).' }),
    detach: Flags.boolean({ char: 'd', summary: 'Run in the background and return once it listens.' }),
  };
  static override examples = ['<%= config.bin %> serve', '<%= config.bin %> serve --detach', '<%= config.bin %> serve --port 0 --demo'];

  async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    const options = {
      ...(flags.host ? { host: flags.host } : {}),
      ...(flags.port !== undefined ? { port: flags.port } : {}),
      demo: flags.demo,
    };
    if (flags.detach) {
      const home = vibesHome();
      let detached;
      try {
        detached = await startDetached(home, options, DETACH_TIMEOUT_MS);
      } catch (error) {
        throw new UserError((error as Error).message, 'START_FAILED');
      }
      const { record, started } = detached;
      const verb = started ? 'started' : 'already running';
      this.log(`vibes: server ${verb} at ${this.style.cyan(record.url)} (pid ${record.pid})`);
      // A fresh start printed a one-time link; an old one may be spent, so point at `vibes pair`.
      const pairing = started ? PAIRING_URL.exec(readTail(record.log)) : null;
      if (pairing) this.log(`Open the dashboard: ${pairing[0]} (works once, for a few minutes)`);
      else this.log('Run `vibes pair` for a link that signs a browser in.');
      this.log(this.style.dim(`log: ${record.log} · stop it with \`vibes serve stop\``));
      return;
    }
    process.exitCode = await this.foreground(serverArgs(options));
  }

  /** The server as a child with our terminal; server.json points the other commands at it while it runs. */
  foreground(args: string[]): Promise<number> {
    const home = vibesHome();
    const child = spawn(process.execPath, [serverEntry(), ...args], {
      stdio: ['inherit', 'pipe', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
    let buffered = '';
    let recorded = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      process.stdout.write(chunk);
      if (recorded || child.pid === undefined) return;
      buffered += chunk;
      const match = LISTENING.exec(buffered);
      if (!match?.[1]) return;
      recorded = true;
      const url = originOf(match[1]);
      writeServerRecord(home, { pid: child.pid, url, port: Number(new URL(url).port), started_at: Math.floor(Date.now() / 1000), log: '' });
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

function readTail(path: string): string {
  try {
    // A fresh log holds only this start's lines near its end.
    return readFileSync(path, 'utf8').slice(-20_000);
  } catch {
    return '';
  }
}
