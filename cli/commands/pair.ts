import type { PairingCodeResponse } from '../../lib/protocol/index.ts';
import { renderSignIn } from '../lib/sign-in.ts';
import { VibesCommand } from '../lib/vibes-command.ts';

export default class Pair extends VibesCommand {
  static override summary = 'Print a one-time pairing code and its sign-in links, with a QR code for a phone.';
  static override description = `The code signs one browser in, once, within a few minutes; the browser then stays signed in
until it signs out, is revoked (\`vibes devices revoke\`), or is left unused for VIBES_DEVICE_IDLE_DAYS.`;
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> pair', '<%= config.bin %> pair --json'];

  async run(): Promise<PairingCodeResponse> {
    const { flags } = await this.parse(Pair);
    const pairing = await this.withApi(flags, (api) => api.pairing());
    if (!this.jsonEnabled()) this.log(await renderSignIn(pairing, this.style));
    return pairing;
  }
}
