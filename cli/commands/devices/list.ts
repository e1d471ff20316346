import type { DeviceInfo } from '../../../lib/protocol/index.ts';
import { age } from '../../lib/session-table.ts';
import { padEnd, visibleLength } from '../../lib/style.ts';
import { VibesCommand } from '../../lib/vibes-command.ts';

export default class DevicesList extends VibesCommand {
  static override summary = 'List the browsers signed in to the server: ID, NAME, LAST SEEN, FROM, SIGNED IN.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> devices list', '<%= config.bin %> devices list --json'];

  async run(): Promise<{ devices: DeviceInfo[] }> {
    const { flags } = await this.parse(DevicesList);
    const devices = await this.withApi(flags, (api) => api.listDevices());
    if (!this.jsonEnabled()) {
      if (devices.length === 0) this.log('No browser is signed in. `vibes pair` signs one in.');
      else {
        const rows = [
          ['ID', 'NAME', 'LAST SEEN', 'FROM', 'SIGNED IN'],
          ...devices.map((device) => [
            device.id,
            device.label,
            `${age(device.last_seen_at)} ago`,
            device.address,
            `${age(device.created_at)} ago`,
          ]),
        ];
        const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => visibleLength(row[column]!))));
        for (const [index, row] of rows.entries()) {
          const line = row.map((cell, column) => (column === row.length - 1 ? cell : padEnd(cell, widths[column]!))).join('  ');
          this.log(index === 0 ? this.style.bold(line) : line);
        }
      }
    }
    return { devices };
  }
}
