import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type { ApiClient } from '../../../lib/client/node/api-client.ts';
import type { SessionInfo } from '../../../lib/protocol/index.ts';
import { LIMITS } from '../../../lib/protocol/rules.ts';
import { shortId } from '../../lib/ids.ts';
import { UserError } from '../../lib/user-error.ts';
import { VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsResume extends VibesCommand {
  static override summary = 'Continue an ended session: Claude starts again with --resume, then you are attached to it.';
  static override description = `The session keeps its id and transcript; a new Claude process picks up Claude's own session
(--resume with its latest session id). This terminal owns it and is attached as with
\`vibes sessions attach\`. Ended sessions are listed by \`vibes sessions list --all\`.`;
  static override args = {
    id: Args.string({ description: 'Id of an ended session, or a unique prefix of one', required: true, ignoreStdin: true }),
  };
  static override flags = {
    json: Flags.boolean({ summary: 'Print each event as one JSON object per line.' }),
  };
  static override examples = ['<%= config.bin %> sessions resume 3f2a', '<%= config.bin %> sessions resume 3f2a --json'];

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SessionsResume);
    await this.driveSession(
      flags,
      async (api) => {
        const session = await api.resume((await this.#findEnded(api, args.id)).id);
        if (!flags.json) this.log(`Resumed session ${session.id}.`);
        return session;
      },
      { mode: 'attach', promptSent: false, history: true },
    );
  }

  async #findEnded(api: ApiClient, prefix: string): Promise<SessionInfo> {
    try {
      return this.resolveId(prefix, await api.history({ limit: LIMITS.historyPageMax }));
    } catch (error) {
      const wanted = prefix.trim().toLowerCase();
      const live = wanted === '' ? undefined : (await api.listSessions()).find((session) => session.id.startsWith(wanted));
      if (live)
        throw new UserError(
          `Session ${live.id} is running: attach to it with \`vibes sessions attach ${shortId(live.id)}\`.`,
          'INVALID_STATE',
        );
      throw error;
    }
  }
}
