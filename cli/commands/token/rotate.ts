import { VibesCommand } from '../../lib/vibes-command.ts';

export default class TokenRotate extends VibesCommand {
  static override summary = 'Replace the token: the old one stops working and every browser is signed out, at once.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> token rotate'];

  async run(): Promise<{ rotated: true }> {
    const { flags } = await this.parse(TokenRotate);
    await this.withApi(flags, (api) => api.rotateToken());
    // The server wrote the new token to $VIBES_HOME/token, where the next client reads it.
    if (!this.jsonEnabled()) this.log('The token was replaced and every browser signed out. Run `vibes pair` to sign a browser in again.');
    return { rotated: true };
  }
}
