import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type { PermissionMode, SessionInfo } from '../../../lib/protocol/index.ts';
import { PERMISSION_MODE_LABELS } from '../../../lib/protocol/labels.ts';
import { confirmBypass } from '../../lib/confirm.ts';
import { resolveSessionId } from '../../lib/ids.ts';
import { sessionIdArg, VibesCommand } from '../../lib/vibes-command.ts';

const MODES = Object.keys(PERMISSION_MODE_LABELS);

export default class SessionsMode extends VibesCommand {
  static override summary = "Switch a session's permission mode, live: every client sees the change.";
  static override description = `default asks before edits and commands; acceptEdits lets Claude edit files without asking
(commands still ask); plan lets Claude read and plan but change nothing; bypassPermissions
asks for nothing, only on a server started with --allow-bypass, and only after you confirm.`;
  static override enableJsonFlag = true;
  static override args = {
    id: sessionIdArg(),
    mode: Args.string({ description: 'The permission mode', required: true, options: MODES, ignoreStdin: true }),
  };
  static override flags = {
    yes: Flags.boolean({ char: 'y', summary: 'Confirm bypassPermissions without being asked.' }),
  };
  static override examples = ['<%= config.bin %> sessions mode 3f2a acceptEdits', '<%= config.bin %> sessions mode 3f2a plan'];

  async run(): Promise<SessionInfo> {
    const { args, flags } = await this.parse(SessionsMode);
    const mode = args.mode as PermissionMode;
    if (mode === 'bypassPermissions') await confirmBypass(flags.yes);
    return this.withStream(flags, async (stream, api) => {
      const session = resolveSessionId(args.id, await stream.sessionList());
      await api.subscribe(session.id);
      const updated = await api.setPermissionMode(session.id, mode, 'cli');
      if (!this.jsonEnabled()) this.log(`Session ${session.id} is now in ${updated.permission_mode} mode`);
      return updated;
    });
  }
}
