import * as Flags from '@oclif/core/flags';
import type { RewindResponse } from '../../../lib/protocol/index.ts';
import { confirmAction } from '../../lib/confirm.ts';
import type { Style } from '../../lib/style.ts';
import { resolveSessionId } from '../../lib/ids.ts';
import { sessionIdArg, VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsRewind extends VibesCommand {
  static override summary = 'Undo what Claude’s edits did to the files since one of your messages (the last one by default).';
  static override description = `Shows which files would change first (a dry run), then asks before rewinding. Only the
changes Claude's edit tools made are undone: what shell commands changed is listed as not
restorable. Claude is told with your next message. The session must be idle (interrupt a
running turn first) and running (resume an ended one first).`;
  static override enableJsonFlag = true;
  static override args = { id: sessionIdArg() };
  static override flags = {
    to: Flags.string({ summary: 'The message id to go back to before (a user_input message_id); the last message when absent.' }),
    'dry-run': Flags.boolean({ summary: 'Only show what would change.' }),
    yes: Flags.boolean({ char: 'y', summary: 'Rewind without being asked.' }),
  };
  static override examples = [
    '<%= config.bin %> sessions rewind 3f2a --dry-run',
    '<%= config.bin %> sessions rewind 3f2a --yes',
    '<%= config.bin %> sessions rewind 3f2a --to 0b6f2c1e-6a1d-4f7e-9c57-2f1e8d7c9a10 --json --yes',
  ];

  async run(): Promise<RewindResponse> {
    const { args, flags } = await this.parse(SessionsRewind);
    return this.withStream(flags, async (stream, api) => {
      const session = resolveSessionId(args.id, await stream.sessionList());
      await api.subscribe(session.id);
      const to = flags.to ? { to: flags.to } : {};
      const preview = await api.rewind(session.id, { ...to, dry_run: true });
      const json = this.jsonEnabled();
      if (!json) this.log(describePreview(preview, this.style));
      if (flags['dry-run'] || !preview.can_rewind) {
        if (!preview.can_rewind) process.exitCode = 1;
        return preview;
      }
      await confirmAction({
        yes: flags.yes,
        warning: `Rewinding puts ${preview.files_changed.length} file${preview.files_changed.length === 1 ? '' : 's'} back as they were`,
        notConfirmed: 'Not confirmed: nothing was rewound.',
      });
      const done = await api.rewind(session.id, { to: preview.to });
      if (!json) this.log(describeDone(done, this.style));
      return done;
    });
  }
}

function describePreview(preview: RewindResponse, style: Style): string {
  if (!preview.can_rewind) return style.red(`Cannot rewind: ${preview.error ?? 'Claude has no checkpoint for that message'}`);
  const lines =
    preview.files_changed.length === 0
      ? ['No file would change.']
      : [
          `Rewinding to before message ${preview.to} would restore ${preview.files_changed.length} file${preview.files_changed.length === 1 ? '' : 's'} (${style.green(`+${preview.insertions}`)} ${style.red(`-${preview.deletions}`)}):`,
          ...preview.files_changed.map((path) => `  ${path}`),
        ];
  if (preview.not_restorable.length > 0) {
    lines.push(
      style.yellow('Changed by other means (shell commands), which undo cannot restore:'),
      ...preview.not_restorable.map((path) => `  ${path}`),
    );
  }
  return lines.join('\n');
}

function describeDone(done: RewindResponse, style: Style): string {
  const skipped = done.skipped_links
    ? style.yellow(` ${done.skipped_links} link${done.skipped_links === 1 ? ' was' : 's were'} left alone.`)
    : '';
  return `${style.green('Rewound')}: ${done.files_changed.length} file${done.files_changed.length === 1 ? '' : 's'} restored.${skipped} Claude will be told with your next message.`;
}
