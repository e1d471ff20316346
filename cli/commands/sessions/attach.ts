import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import type { ApiClient } from '../../../lib/client/node/api-client.ts';
import type { EventStream } from '../../../lib/client/node/event-stream.ts';
import { END_SHORT } from '../../../lib/client/shared/labels.ts';
import type { SessionInfo } from '../../../lib/protocol/index.ts';
import { LIMITS } from '../../../lib/protocol/rules.ts';
import { shortId } from '../../lib/ids.ts';
import { UserError } from '../../lib/user-error.ts';
import { VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsAttach extends VibesCommand {
  static override summary = 'Watch and drive a running session: its transcript live, your lines as input, a / d for approvals.';
  static override description = `Lines you type go to the session (queued while Claude works). When a tool call waits for
approval, "a" allows and "d" denies the oldest waiting request. \`:attach PATH\` sends a file or an
image (PNG, JPEG, GIF, WebP, PDF, text) with your next line; \`:attach\` lists them, \`:detach\`
drops them. Ctrl-C interrupts the running turn,
a second Ctrl-C leaves; Ctrl-D leaves too. When the session ends, the reason is printed and the
command exits.`;
  static override args = {
    id: Args.string({ description: 'Session id, or a unique prefix of one', required: true, ignoreStdin: true }),
  };
  static override flags = {
    json: Flags.boolean({ summary: 'Print each event as one JSON object per line.' }),
  };
  static override examples = ['<%= config.bin %> sessions attach 3f2a', '<%= config.bin %> sessions attach 3f2a --json'];

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SessionsAttach);
    await this.driveSession(flags, async (api, stream) => api.subscribe((await this.#findLive(api, stream, args.id)).id), {
      mode: 'attach',
      promptSent: false,
      history: true,
    });
  }

  /** A live session; an ended one is pointed to `resume`, which is what the user wants then. */
  async #findLive(api: ApiClient, stream: EventStream, prefix: string): Promise<SessionInfo> {
    try {
      return this.resolveId(prefix, await stream.sessionList());
    } catch (error) {
      if (!(error instanceof UserError) || error.code !== 'NOT_FOUND') throw error;
      let ended: SessionInfo;
      try {
        ended = this.resolveId(prefix, await api.history({ limit: LIMITS.historyPageMax }));
      } catch {
        throw error;
      }
      const why = ended.end_reason ? ` (${END_SHORT[ended.end_reason]})` : '';
      throw new UserError(
        `Session ${shortId(ended.id)} has ended${why}. Continue it with \`vibes sessions resume ${shortId(ended.id)}\`.`,
        'INVALID_STATE',
      );
    }
  }
}
