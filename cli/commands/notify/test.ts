import { VibesCommand } from '../../lib/vibes-command.ts';

export default class NotifyTest extends VibesCommand {
  static override summary = 'Send a test notification to every device that turned notifications on, and to the webhook.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> notify test'];

  async run(): Promise<{ devices: number; webhook: boolean }> {
    const { flags } = await this.parse(NotifyTest);
    const result = await this.withApi(flags, (api) => api.notifyTest());
    if (!this.jsonEnabled()) {
      const devices = result.devices === 1 ? '1 device' : `${result.devices} devices`;
      this.log(`Sent to ${devices}${result.webhook ? ' and the webhook (VIBES_NOTIFY_URL)' : ''}.`);
      if (result.devices === 0) {
        this.log('No device has notifications on: open the dashboard over HTTPS, then Devices → Notifications on this device.');
      }
    }
    return result;
  }
}
