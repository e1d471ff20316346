import type { SessionInfo } from '../../../lib/protocol/index.ts';
import { sessionTable } from '../../lib/session-table.ts';
import { VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsList extends VibesCommand {
  static override summary = 'List the active sessions.';
  static override enableJsonFlag = true;
  static override examples = ['<%= config.bin %> sessions list', '<%= config.bin %> sessions list --json'];

  async run(): Promise<{ sessions: SessionInfo[] }> {
    const { flags } = await this.parse(SessionsList);
    const sessions = await this.withApi(flags, (api) => api.listSessions());
    if (!this.jsonEnabled()) this.log(renderList(sessions, this.style));
    return { sessions };
  }
}

export function renderList(sessions: readonly SessionInfo[], style: SessionsList['style']): string {
  if (sessions.length === 0) {
    return `No active sessions.\n\nStart one with: ${style.cyan('vibes claude "your prompt"')}`;
  }
  const waiting = sessions.filter((session) => session.state === 'waiting_permission').length;
  return [
    style.bold(`ACTIVE SESSIONS (${sessions.length})`) + (waiting > 0 ? style.yellow(`  ${waiting} waiting for approval`) : ''),
    '',
    sessionTable(sessions, style),
    '',
    `Use '${style.cyan('vibes sessions attach <id>')}' to connect to a session.`,
    `Use '${style.cyan('vibes sessions kill <id>')}' to terminate a session.`,
  ].join('\n');
}
