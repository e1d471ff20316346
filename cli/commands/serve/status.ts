import { BaseCommand } from '../../lib/base-command.ts';
import { vibesHome } from '../../../lib/local/home.ts';
import { isAlive, readServerRecord } from '../../../lib/local/server-record.ts';
import { cliApi } from '../../lib/api.ts';
import { resolveTarget } from '../../lib/locate.ts';
import { answers } from '../../lib/server-control.ts';
import { apiErrorCode } from '../../lib/vibes-command.ts';

interface Status {
  running: boolean;
  background: boolean;
  url: string;
  pid: number | null;
  version?: string;
  uptime_s?: number;
  sessions?: number;
  token_refused?: boolean;
}

export default class ServeStatus extends BaseCommand {
  static override summary = 'Is a vibes server running? Where, since when, with how many sessions. Exit code 1 when none is.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> serve status', '<%= config.bin %> serve status --json'];

  async run(): Promise<Status> {
    await this.parse(ServeStatus);
    const record = readServerRecord(vibesHome());
    const background = record !== null && isAlive(record.pid);
    const url = background ? record.url : resolveTarget(undefined).url;
    const status: Status = { running: false, background, url, pid: background ? record.pid : null };
    if (await answers(url)) {
      status.running = true;
      try {
        const health = await (await cliApi(url)).health();
        Object.assign(status, { version: health.version, uptime_s: Math.round(health.uptime_s), sessions: health.sessions });
      } catch (error) {
        if (apiErrorCode(error) === 'UNAUTHORIZED') status.token_refused = true;
        else throw error;
      }
    }
    if (!status.running) process.exitCode = 1;
    if (this.jsonEnabled()) return status;

    if (!status.running) {
      this.log(background ? `The background server (pid ${status.pid}) does not answer at ${url}.` : 'No vibes server is running.');
      this.log(this.style.dim('Start one with `vibes serve --detach`.'));
    } else {
      const how = background ? `in the background (pid ${status.pid})` : 'not started by `vibes serve --detach`';
      this.log(`vibes server running at ${this.style.cyan(url)}, ${how}`);
      if (status.token_refused)
        this.log(this.style.yellow('It refuses the token: run `vibes pair` on the server machine, or set VIBES_TOKEN.'));
      else this.log(this.style.dim(`version ${status.version} · up ${status.uptime_s}s · ${status.sessions} session(s)`));
    }
    return status;
  }
}
