import * as Flags from '@oclif/core/flags';
import type { SessionInfo } from '../../../lib/protocol/index.ts';
import { historyTable, sessionTable } from '../../lib/session-table.ts';
import { VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsList extends VibesCommand {
  static override summary = 'List the active sessions (with --all, the ended ones too).';
  static override enableJsonFlag = true;
  static override flags = {
    all: Flags.boolean({ summary: 'Also list ended sessions (the history), the most recently ended first.' }),
  };
  static override examples = [
    '<%= config.bin %> sessions list',
    '<%= config.bin %> sessions list --all',
    '<%= config.bin %> sessions list --json',
  ];

  async run(): Promise<{ sessions: SessionInfo[]; ended?: SessionInfo[] }> {
    const { flags } = await this.parse(SessionsList);
    const [sessions, ended, nodes] = await this.withApi(flags, (api) =>
      Promise.all([api.listSessions(), flags.all ? api.history() : Promise.resolve(undefined), api.listNodes()]),
    );
    // One machine (a single server, or a cluster of one node) needs no MACHINE column.
    if (!this.jsonEnabled()) this.log(renderList(sessions, this.style, ended, nodes.nodes.length > 1));
    return { sessions, ...(ended ? { ended } : {}) };
  }
}

export function renderList(
  sessions: readonly SessionInfo[],
  style: SessionsList['style'],
  ended: readonly SessionInfo[] | undefined,
  machines: boolean,
): string {
  const lines: string[] = [];
  if (sessions.length === 0) {
    lines.push(`No active sessions.\n\nStart one with: ${style.cyan('vibes claude "your prompt"')}`);
  } else {
    const waiting = sessions.filter((session) => session.state === 'waiting_permission').length;
    lines.push(
      style.bold(`ACTIVE SESSIONS (${sessions.length})`) + (waiting > 0 ? style.yellow(`  ${waiting} waiting for approval`) : ''),
      '',
      sessionTable(sessions, style, machines),
      '',
      `Use '${style.cyan('vibes sessions attach <id>')}' to connect to a session.`,
      `Use '${style.cyan('vibes sessions kill <id>')}' to terminate a session.`,
    );
  }
  if (ended !== undefined) {
    lines.push('', style.bold(`ENDED SESSIONS (${ended.length})`));
    if (ended.length > 0) {
      lines.push('', historyTable(ended, style, machines), '', `Use '${style.cyan('vibes sessions resume <id>')}' to continue one.`);
    }
  }
  return lines.join('\n');
}
