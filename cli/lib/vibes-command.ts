import * as Args from '@oclif/core/args';
import * as Errors from '@oclif/core/errors';
import * as Flags from '@oclif/core/flags';
import type { ApiClient, ApiError } from '../../lib/client/node/api-client.ts';
import type { EventStream } from '../../lib/client/node/event-stream.ts';
import type { Attachment, SessionInfo } from '../../lib/protocol/index.ts';
import { vibesHome } from '../../lib/local/home.ts';
import { readLastServe } from '../../lib/local/server-record.ts';
import { isLoopbackHost } from '../../lib/protocol/rules.ts';
import { newCliClientId, readToken, resolveTarget, type Target } from './locate.ts';
import { answers, startDetached } from './server-control.ts';
import { cliApi } from './api.ts';
import { BaseCommand } from './base-command.ts';
import { UserError } from './user-error.ts';
import { errorMessage } from '../../lib/protocol/text.ts';

const AUTOSTART_TIMEOUT_MS = 10_000;

/** The session a command acts on: its id, or a unique prefix of one. */
export const sessionIdArg = (description = 'Session id, or a unique prefix of one') =>
  Args.string({ description, required: true, ignoreStdin: true });

/** For the commands that drive a session live (see driveSession). */
export const eventsJsonFlag = () => Flags.boolean({ summary: 'Print each event as one JSON object per line.' });

/**
 * Server discovery, the token, autostart and error wording shared by every command that talks to a server.
 * The client modules (zod, eventsource) load only when a command needs them: oclif imports every
 * command file to list them, and `vibes --version` should not pay for the protocol schemas.
 */
export abstract class VibesCommand extends BaseCommand {
  static override baseFlags = {
    url: Flags.string({
      summary: 'Server URL (default: VIBES_URL, VIBES_HOST/VIBES_PORT, the background server, http://127.0.0.1:7432).',
      helpGroup: 'SERVER',
    }),
    autostart: Flags.boolean({
      summary: 'Start a background server when none answers (off with --no-autostart or VIBES_NO_AUTOSTART=1).',
      allowNo: true,
      helpGroup: 'SERVER',
    }),
  };

  #target: Target | undefined;

  protected target(url: string | undefined): Target {
    this.#target ??= resolveTarget(url);
    return this.#target;
  }

  protected autostartWanted(flag: boolean | undefined): boolean {
    if (flag !== undefined) return flag;
    const env = process.env.VIBES_NO_AUTOSTART;
    return !(env && env !== '0' && env !== 'false');
  }

  /**
   * Runs `use` with a client; when nothing listens, reaches (or starts) the server and tries once more.
   * No health probe first: a quick command pays for one request, not two.
   */
  protected async withApi<T>(flags: { url?: string; autostart?: boolean }, use: (api: ApiClient) => Promise<T>): Promise<T> {
    try {
      return await use(await cliApi(this.target(flags.url).url));
    } catch (error) {
      if (!refused(error)) throw error;
    }
    await this.reachServer(flags);
    return use(await cliApi(this.target(flags.url).url));
  }

  /** Opens the event stream as a fresh CLI client (the id is this process's), after reaching the server. */
  protected async stream(flags: { url?: string; autostart?: boolean }): Promise<{ stream: EventStream; api: ApiClient }> {
    await this.reachServer(flags);
    const { EventStream } = await import('../../lib/client/node/event-stream.ts');
    const { url } = this.target(flags.url);
    const token = readToken();
    const stream = await EventStream.open({ baseUrl: url, clientId: newCliClientId(), ...(token ? { token } : {}) });
    return { stream, api: await cliApi(url, stream.clientId) };
  }

  /** Runs `use` with the event stream open (see `stream`), and closes it after, whatever happens. */
  protected async withStream<T>(
    flags: { url?: string; autostart?: boolean },
    use: (stream: EventStream, api: ApiClient) => Promise<T>,
  ): Promise<T> {
    const { stream, api } = await this.stream(flags);
    try {
      return await use(stream, api);
    } finally {
      stream.close();
    }
  }

  /**
   * The live terminal view shared by `claude`, `attach` and `resume`: opens the stream, joins a
   * session through `join` (create, subscribe or resume; events that arrive meanwhile are kept),
   * then drives it until it ends or the user leaves, and sets the exit code.
   */
  protected async driveSession(
    flags: { url?: string; autostart?: boolean; json: boolean },
    join: (api: ApiClient, stream: EventStream) => Promise<SessionInfo>,
    view: { mode: 'claude' | 'attach'; promptSent: boolean; history: boolean; attachments?: Attachment[] },
  ): Promise<void> {
    const { bufferEvents, runSessionConsole } = await import('./session-console.ts');
    process.exitCode = await this.withStream(flags, async (stream, api) => {
      const early = bufferEvents(stream);
      const session = await join(api, stream);
      early.stop();
      return runSessionConsole({ stream, api, earlier: early.events, session, json: flags.json, style: this.style, ...view });
    });
  }

  async reachServer(flags: { url?: string; autostart?: boolean }): Promise<void> {
    const target = this.target(flags.url);
    if (await answers(target.url, 2_000)) return;
    // Only a server on this machine can be started from here.
    if (!this.autostartWanted(flags.autostart) || !isLoopbackHost(target.host)) throw unreachable(target);
    // The way the user last ran `vibes serve` (its address unless one is given now, and demo or not).
    const home = vibesHome();
    const last = readLastServe(home);
    const place = target.source === 'default' && last ? { host: last.host ?? target.host, port: last.port ?? target.port } : target;
    const demo = Boolean(last?.demo) || envFlag(process.env.VIBES_DEMO);
    const where =
      place.port === target.port && place.host === target.host ? '' : ` on ${place.host}:${place.port}, where \`vibes serve\` last ran`;
    this.logToStderr(this.style.dim(`vibes: no server at ${target.url}, starting one in the background${where}…`));
    let log: string;
    try {
      const { record } = await startDetached(home, { host: place.host, port: place.port, demo }, AUTOSTART_TIMEOUT_MS);
      this.#target = { ...target, url: record.url, host: place.host, port: record.port };
      log = record.log;
    } catch (error) {
      throw new UserError(`Could not start a vibes server: ${errorMessage(error)}`, 'UNREACHABLE');
    }
    const mode = demo
      ? 'new sessions are demos (the fake Claude answers), as with your last `vibes serve --demo`'
      : 'new sessions run your Claude (`vibes claude --demo` tries the demo)';
    this.logToStderr(
      this.style.dim(
        `vibes: started a server in the background at ${this.#target.url}: ${mode}. Log: ${log}. Stop it with \`vibes serve stop\`.`,
      ),
    );
  }

  protected override explain(error: Error): Error {
    return explain(error, this.#target);
  }
}

const envFlag = (value: string | undefined) => value !== undefined && ['1', 'true', 'yes'].includes(value);

function unreachable(target: Target): UserError {
  const hint =
    target.source === 'flag' || target.source === 'VIBES_URL'
      ? 'Check the URL, or start the server there with `vibes serve`.'
      : 'Start one with `vibes serve --detach` (or `vibes serve` in another terminal), or let the CLI start it: drop --no-autostart / VIBES_NO_AUTOSTART.';
  return new UserError(`No vibes server answers at ${target.url}. ${hint}`, 'UNREACHABLE');
}

/** Turns what can go wrong talking to the server into a sentence that says what to do. */
export function explain(error: Error, target: Target | undefined): Error {
  if (error instanceof UserError || error instanceof Errors.ExitError) return error;
  const code = apiErrorCode(error);
  if (code === 'UNAUTHORIZED') {
    return new UserError('The server refused the token: run `vibes pair` on the server machine, or set VIBES_TOKEN.', code);
  }
  if (code === 'NOT_FOUND') return new UserError(`${error.message}. Run \`vibes sessions list\` to see the active sessions.`, code);
  if (code === 'BYPASS_NOT_ALLOWED') return new UserError(error.message, code);
  if (code && code !== 'NETWORK') return new UserError(`The server said ${code}: ${error.message}`, code);
  const cause = (error as { cause?: { code?: string } }).cause;
  if (target && (code === 'NETWORK' || refused(error) || cause?.code === 'ECONNRESET' || error.message === 'fetch failed')) {
    return new UserError(
      `Lost the vibes server at ${target.url} (${cause?.code ?? error.message}). Is it still running? \`vibes serve status\` tells.`,
      'UNREACHABLE',
    );
  }
  return error;
}

/** ApiError recognised by shape, so this module need not load the client to check. */
export function apiErrorCode(error: unknown): ApiError['code'] | null {
  return error instanceof Error && error.name === 'ApiError' ? (error as ApiError).code : null;
}

function refused(error: unknown): boolean {
  return (error as { cause?: { code?: string } } | null)?.cause?.code === 'ECONNREFUSED';
}
