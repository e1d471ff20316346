import * as Flags from '@oclif/core/flags';
import { STATE_LOOK } from '../../../lib/client/shared/labels.ts';
import type { SessionInfo, SessionState } from '../../../lib/protocol/index.ts';
import { historyTable, sessionTable } from '../../lib/session-table.ts';
import { VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsList extends VibesCommand {
  static override summary = 'List the active sessions, pinned first (with --all, the ended ones too).';
  static override enableJsonFlag = true;
  static override flags = {
    all: Flags.boolean({ summary: 'Also list ended sessions (the history), the most recently ended first.' }),
    search: Flags.string({
      summary: 'Only sessions whose name, title or folder has these words (with --all, searched over the whole history).',
    }),
    state: Flags.string({ summary: 'Only sessions in this state.', options: Object.keys(STATE_LOOK) }),
    project: Flags.string({ summary: "Only sessions in this folder (a path) or project (its last folder's name)." }),
  };
  static override examples = [
    '<%= config.bin %> sessions list',
    '<%= config.bin %> sessions list --all',
    '<%= config.bin %> sessions list --all --search "release notes"',
    '<%= config.bin %> sessions list --state waiting_permission --project vibes',
    '<%= config.bin %> sessions list --json',
  ];

  async run(): Promise<{ sessions: SessionInfo[]; ended?: SessionInfo[] }> {
    const { flags } = await this.parse(SessionsList);
    const filter = { q: flags.search, project: flags.project, status: flags.state as SessionState | undefined };
    const [sessions, ended, nodes] = await this.withApi(flags, (api) =>
      Promise.all([api.listSessions(filter), flags.all ? api.history(filter) : Promise.resolve(undefined), api.listNodes()]),
    );
    const filtered = filter.q !== undefined || filter.project !== undefined || filter.status !== undefined;
    // One machine (a single server, or a cluster of one node) needs no MACHINE column.
    if (!this.jsonEnabled()) this.log(renderList(sessions, this.style, ended, nodes.nodes.length > 1, filtered));
    return { sessions, ...(ended ? { ended } : {}) };
  }
}

export function renderList(
  sessions: readonly SessionInfo[],
  style: SessionsList['style'],
  ended: readonly SessionInfo[] | undefined,
  machines: boolean,
  filtered = false,
): string {
  const lines: string[] = [];
  if (sessions.length === 0 && filtered) {
    lines.push('No active session matches.');
  } else if (sessions.length === 0) {
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
