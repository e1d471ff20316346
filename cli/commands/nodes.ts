import type { NodeListResponse } from '../../lib/protocol/index.ts';
import { age } from '../lib/session-table.ts';
import { padEnd } from '../lib/style.ts';
import { VibesCommand } from '../lib/vibes-command.ts';

export default class Nodes extends VibesCommand {
  static override summary = 'List the machines of a vibes cluster: NAME, STATE, SESSIONS, UP FOR, URL.';
  static override description = `In a cluster (servers joined through VIBES_REDIS_URL and VIBES_DATABASE_URL) every
node is listed, with whether it is up or lost and how many live sessions run there; the node
that answered is marked with *. On a single machine the one server is listed.
\`vibes claude --on NAME\` starts a session on a given node.`;
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> nodes', '<%= config.bin %> nodes --json'];

  async run(): Promise<NodeListResponse> {
    const { flags } = await this.parse(Nodes);
    const answer = await this.withApi(flags, (api) => api.listNodes());
    if (!this.jsonEnabled()) {
      const rows = [
        ['NAME', 'STATE', 'SESSIONS', 'UP FOR', 'URL'],
        ...answer.nodes.map((node) => [
          `${node.name}${node.self ? ' *' : ''}`,
          node.state,
          String(node.sessions),
          node.state === 'up' ? age(node.started_at) : `lost ${age(node.last_seen_at)} ago`,
          node.url,
        ]),
      ];
      const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
      for (const [index, row] of rows.entries()) {
        const line = row.map((cell, column) => (column === row.length - 1 ? cell : padEnd(cell, widths[column]!))).join('  ');
        this.log(index === 0 ? this.style.bold(line) : line);
      }
      if (!answer.cluster) this.log('A single machine: set VIBES_REDIS_URL and VIBES_DATABASE_URL on each server to join a cluster.');
    }
    return answer;
  }
}
