import { END_SHORT, formatAge, stateLook } from '../../lib/client/shared/labels.ts';
import { contextNearLimit, type SessionInfo } from '../../lib/protocol/index.ts';
import { shortId } from './ids.ts';
import { cliClientPrefix } from './locate.ts';
import { padEnd, truncate, visibleLength, type Style } from './style.ts';

export function stateLabel(session: SessionInfo, style: Style): string {
  const label = stateLook(session).label.toLowerCase();
  switch (session.state) {
    case 'idle':
      return style.blue(`● ${label}`);
    case 'processing':
      return style.green(`● ${label}`);
    case 'waiting_permission':
      return style.yellow(style.bold(`▲ ${label} (${session.pending_permissions.length})`));
    case 'failed':
      return style.red(`✗ ${label}`);
    case 'finished':
      return style.dim(`○ ${label}`);
  }
}

export function age(createdAt: number, now = Date.now() / 1000): string {
  return formatAge(now - createdAt);
}

/** "you" when a vibes CLI on this machine owns it (or the asking client itself), else "other". */
export function ownerLabel(session: SessionInfo): 'you' | 'other' {
  return session.is_owner || session.owner_id.startsWith(cliClientPrefix()) ? 'you' : 'other';
}

/** The cells both tables start with; the title is the name, else the first prompt's first line; ◆ marks a pin. */
const firstCells = (session: SessionInfo, style: Style) => [
  shortId(session.id),
  truncate(`${session.pinned ? '◆ ' : ''}${session.title}`, 32),
  truncate(session.project || '-', 16),
  stateLabel(session, style),
  age(session.created_at),
];
const machineCell = (session: SessionInfo) => truncate(session.node ?? '-', 20);

/** `machines`: whether to show the MACHINE column (default: when the sessions say their machine). */
export function sessionTable(sessions: readonly SessionInfo[], style: Style, machines = withMachines(sessions)): string {
  const header = ['ID', 'TITLE', 'PROJECT', 'STATE', 'AGE', 'CONTEXT', ...(machines ? ['MACHINE'] : []), 'OWNER', 'VIEWERS'];
  const rows = sessions.map((session) => {
    const owner = ownerLabel(session);
    return [
      ...firstCells(session, style),
      contextCell(session, style),
      ...(machines ? [machineCell(session)] : []),
      owner === 'you' ? style.green(owner) : style.dim(owner),
      String(session.subscriber_count),
    ];
  });
  return table(header, rows, style);
}

/** How full the context window is; yellow near the point where Claude compacts; '-' before Claude says. */
export function contextCell(session: SessionInfo, style: Style): string {
  if (!session.context) return '-';
  const figure = `${session.context.percentage}%`;
  return contextNearLimit(session.context) ? style.yellow(style.bold(figure)) : figure;
}

/** Ended sessions: when and why each ended. */
export function historyTable(sessions: readonly SessionInfo[], style: Style, machines = withMachines(sessions)): string {
  const header = ['ID', 'TITLE', 'PROJECT', 'STATE', 'AGE', ...(machines ? ['MACHINE'] : []), 'ENDED', 'WHY'];
  const rows = sessions.map((session) => [
    ...firstCells(session, style),
    ...(machines ? [machineCell(session)] : []),
    session.ended_at === null ? '-' : `${age(session.ended_at)} ago`,
    style.dim(session.end_reason ? END_SHORT[session.end_reason] : '-'),
  ]);
  return table(header, rows, style);
}

/** In a cluster sessions carry the machine they run on; on a single machine the column would say nothing. */
function withMachines(sessions: readonly SessionInfo[]): boolean {
  return sessions.some((session) => session.node !== null);
}

function table(header: string[], rows: string[][], style: Style): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => visible(row[column]))));
  const format = (cells: string[]) =>
    `  ${cells.map((cell, column) => (column === cells.length - 1 ? cell : padEnd(cell, (widths[column] ?? 0) + 2))).join('')}`.trimEnd();
  return [format(header.map((title) => style.bold(title))), ...rows.map(format)].join('\n');
}

const visible = (text: string | undefined) => visibleLength(text ?? '');
