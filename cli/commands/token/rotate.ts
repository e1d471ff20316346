import { renderSignIn } from '../../lib/sign-in.ts';
import { VibesCommand } from '../../lib/vibes-command.ts';

export default class TokenRotate extends VibesCommand {
  static override summary = 'Replace the token: the old one, and every browser signed in with it, stop working.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> token rotate'];

  async run(): Promise<{ urls: string[] }> {
    const { flags } = await this.parse(TokenRotate);
    await this.withApi(flags, (api) => api.rotateToken());
    // The server wrote the new token to $VIBES_HOME/token, where the next client reads it.
    const { urls } = await (await this.client(flags)).pairing();
    if (!this.jsonEnabled()) this.log(`The token was replaced; every browser must sign in again.\n${await renderSignIn(urls, this.style)}`);
    return { urls };
  }
}
