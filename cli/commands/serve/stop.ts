import { BaseCommand } from '../../lib/base-command.ts';
import { vibesHome } from '../../../lib/local/home.ts';
import { stopRecorded } from '../../lib/server-control.ts';

export default class ServeStop extends BaseCommand {
  static override summary = 'Stop the background server (it ends its sessions first).';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> serve stop'];

  async run(): Promise<{ stopped: boolean; pid: number | null; url: string | null }> {
    await this.parse(ServeStop);
    const result = await stopRecorded(vibesHome());
    if (!this.jsonEnabled()) {
      if (!result.wasRunning) this.log('No background vibes server is running.');
      else this.log(`Stopped the vibes server at ${result.record?.url} (pid ${result.record?.pid})${result.forced ? ', forcibly' : ''}.`);
    }
    return { stopped: result.wasRunning, pid: result.record?.pid ?? null, url: result.record?.url ?? null };
  }
}
