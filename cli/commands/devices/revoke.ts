import * as Args from '@oclif/core/args';
import { VibesCommand } from '../../lib/vibes-command.ts';

export default class DevicesRevoke extends VibesCommand {
  static override summary = 'Sign a browser out: its cookie stops working and its open pages lose their connection at once.';
  static override enableJsonFlag = true;
  static override args = {
    id: Args.string({
      description: 'Device id, as `vibes devices list` shows it, or a unique prefix of one',
      required: true,
      ignoreStdin: true,
    }),
  };
  static override examples = ['<%= config.bin %> devices revoke Xy3kP0aQ'];

  async run(): Promise<{ revoked: string }> {
    const { args, flags } = await this.parse(DevicesRevoke);
    const answer = await this.withApi(flags, async (api) => {
      const matches = (await api.listDevices()).filter((device) => device.id.startsWith(args.id));
      // An id that matches nothing, or more than one, goes to the server as typed: it says which.
      return api.revokeDevice(matches.length === 1 ? matches[0]!.id : args.id);
    });
    if (!this.jsonEnabled()) this.log(`Device ${answer.revoked} is signed out.`);
    return answer;
  }
}
