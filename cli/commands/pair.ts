import { renderSignIn } from '../lib/sign-in.ts';
import { VibesCommand } from '../lib/vibes-command.ts';

export default class Pair extends VibesCommand {
  static override summary = 'Print the sign-in links of the running server, with a QR code for a phone.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> pair', '<%= config.bin %> pair --json'];

  async run(): Promise<{ urls: string[] }> {
    const { flags } = await this.parse(Pair);
    const { urls } = await this.withApi(flags, (api) => api.pairing());
    if (!this.jsonEnabled()) this.log(await renderSignIn(urls, this.style));
    return { urls };
  }
}
