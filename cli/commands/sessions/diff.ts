import * as Flags from '@oclif/core/flags';
import type { ApiClient } from '../../../lib/client/node/api-client.ts';
import type { ChangeBase, ChangedFile, ChangesResponse, SessionInfo } from '../../../lib/protocol/index.ts';
import { LIMITS } from '../../../lib/protocol/rules.ts';
import type { Style } from '../../lib/style.ts';
import { resolveSessionId } from '../../lib/ids.ts';
import { sessionIdArg, VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsDiff extends VibesCommand {
  static override summary = "What a session changed in its folder: each file's diff, or a summary with --stat.";
  static override description = `Against the commit the session started on (--base head: against HEAD now), the session's
folder only, untracked files included. Outside a git repository only the files Claude's edit
tools wrote are known. With --json: an array of files, each with its path, status, additions
and deletions.`;
  static override enableJsonFlag = true;
  static override args = { id: sessionIdArg('Session id, or a unique prefix of one (ended sessions too)') };
  static override flags = {
    stat: Flags.boolean({ summary: 'One line per file with its added and removed lines, no diffs.' }),
    base: Flags.string({
      summary: 'What to compare with: the session’s start commit, or HEAD.',
      options: ['start', 'head'],
      default: 'start',
    }),
  };
  static override examples = [
    '<%= config.bin %> sessions diff 3f2a',
    '<%= config.bin %> sessions diff 3f2a --stat',
    '<%= config.bin %> sessions diff 3f2a --json',
  ];

  async run(): Promise<ChangedFile[]> {
    const { args, flags } = await this.parse(SessionsDiff);
    const base = flags.base as ChangeBase;
    return this.withApi(flags, async (api) => {
      const session = await this.find(api, args.id);
      const changes = await api.changes(session.id, base);
      if (this.jsonEnabled()) return changes.files;
      this.log(header(session, changes, this.style));
      if (flags.stat || changes.files.length === 0) this.log(statLines(changes, this.style));
      else for (const file of changes.files) this.log(await patchOf(api, session.id, file, base, this.style));
      return changes.files;
    });
  }

  async find(api: ApiClient, prefix: string): Promise<SessionInfo> {
    const live = await api.listSessions();
    try {
      return resolveSessionId(prefix, live);
    } catch (error) {
      const ended = await api.history({ limit: LIMITS.historyPageMax });
      if (ended.length === 0) throw error;
      return resolveSessionId(prefix, [...live, ...ended]);
    }
  }
}

function header(session: SessionInfo, changes: ChangesResponse, style: Style): string {
  if (changes.source === 'tools') {
    return style.dim(`${session.cwd} is not in a git repository: only the files Claude's edit tools wrote are shown.`);
  }
  const against = changes.base === 'start' ? `the session's start (${short(changes.base_commit)})` : `HEAD (${short(changes.head_commit)})`;
  const scope = changes.scope ? `${changes.scope}/` : 'the repository';
  return style.dim(`Changes in ${scope} against ${against}:`);
}

function statLines(changes: ChangesResponse, style: Style): string {
  if (changes.files.length === 0) return 'No changes.';
  const width = Math.min(60, Math.max(...changes.files.map((file) => file.path.length)));
  const lines = changes.files.map((file) => {
    const counts = file.binary ? style.dim('binary') : `${style.green(`+${file.additions}`)} ${style.red(`-${file.deletions}`)}`;
    const mark = file.by_session ? '' : style.dim('  (not by this session)');
    const renamed = file.old_path ? style.dim(` (from ${file.old_path})`) : '';
    return ` ${file.path.padEnd(width)} | ${counts} ${style.dim(file.status)}${renamed}${mark}`;
  });
  const total = `${changes.files.length} file${changes.files.length === 1 ? '' : 's'} changed, ${changes.additions} insertions(+), ${changes.deletions} deletions(-)`;
  const more = changes.truncated ? style.yellow(' (more files changed than are listed)') : '';
  return [...lines, ` ${total}${more}`].join('\n');
}

async function patchOf(api: ApiClient, id: string, file: ChangedFile, base: ChangeBase, style: Style): Promise<string> {
  const patch = await api.fileDiff(id, file.path, base);
  if (patch.omitted === 'binary') return style.dim(`Binary file ${file.path} changed (${patch.size} bytes)`);
  if (patch.omitted === 'too_large')
    return style.dim(`${file.path}: too large to show (${patch.size} bytes, +${file.additions} -${file.deletions})`);
  if (patch.patch === null) return style.dim(`${file.path}: ${file.status}, +${file.additions} -${file.deletions} (no diff outside git)`);
  return patch.patch
    .replace(/\n$/, '')
    .split('\n')
    .map((line) =>
      line.startsWith('+') && !line.startsWith('+++')
        ? style.green(line)
        : line.startsWith('-') && !line.startsWith('---')
          ? style.red(line)
          : line.startsWith('@@')
            ? style.cyan(line)
            : line,
    )
    .join('\n');
}

function short(commit: string | null): string {
  return commit === null ? 'no commit' : commit.slice(0, 7);
}
