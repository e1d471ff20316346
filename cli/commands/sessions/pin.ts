import * as Flags from '@oclif/core/flags';
import type { SessionInfo } from '../../../lib/protocol/index.ts';
import { pinSession } from '../../../lib/client/shared/organise-calls.ts';
import { findSession } from '../../lib/find-session.ts';
import { sessionIdArg, VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsPin extends VibesCommand {
  static override summary = 'Pin a session to the top of the list on every device (--unpin lets it go).';
  static override enableJsonFlag = true;
  static override args = { id: sessionIdArg('Session id (live or ended), or a unique prefix of one') };
  static override flags = {
    unpin: Flags.boolean({ summary: 'Unpin it instead.' }),
  };
  static override examples = ['<%= config.bin %> sessions pin 3f2a', '<%= config.bin %> sessions pin 3f2a --unpin'];

  async run(): Promise<SessionInfo> {
    const { args, flags } = await this.parse(SessionsPin);
    return this.withStream(flags, async (stream, api) => {
      const session = await findSession(api, stream, args.id);
      const pinned = await pinSession(api, session.id, !flags.unpin);
      if (!this.jsonEnabled()) this.log(`Session ${pinned.id} "${pinned.title}" is ${pinned.pinned ? 'pinned' : 'no longer pinned'}`);
      return pinned;
    });
  }
}
