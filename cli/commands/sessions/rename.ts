import * as Args from '@oclif/core/args';
import type { SessionInfo } from '../../../lib/protocol/index.ts';
import { renameSession } from '../../../lib/client/shared/organise-calls.ts';
import { findSession } from '../../lib/find-session.ts';
import { sessionIdArg, VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsRename extends VibesCommand {
  static override summary = 'Name a session, on every device; an empty name ("") goes back to its first prompt.';
  static override enableJsonFlag = true;
  static override args = {
    id: sessionIdArg('Session id (live or ended), or a unique prefix of one'),
    name: Args.string({ description: 'The name to show instead of the first prompt; "" clears it', required: true, ignoreStdin: true }),
  };
  static override examples = ['<%= config.bin %> sessions rename 3f2a "Release notes"', '<%= config.bin %> sessions rename 3f2a ""'];

  async run(): Promise<SessionInfo> {
    const { args, flags } = await this.parse(SessionsRename);
    return this.withStream(flags, async (stream, api) => {
      const session = await findSession(api, stream, args.id);
      const renamed = await renameSession(api, session.id, args.name.trim() === '' ? null : args.name);
      if (!this.jsonEnabled()) {
        this.log(
          renamed.name === null
            ? `Session ${renamed.id} has no name: it is "${renamed.title}" again`
            : `Session ${renamed.id} is now "${renamed.title}"`,
        );
      }
      return renamed;
    });
  }
}
