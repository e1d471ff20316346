import { Args, Flags } from '@oclif/core';
import { VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsAttach extends VibesCommand {
  static override summary = 'Watch and drive a running session: its transcript live, your lines as input, a / d for approvals.';
  static override description = `Lines you type go to the session (queued while Claude works). When a tool call waits for
approval, "a" allows and "d" denies the oldest waiting request. Ctrl-C interrupts the running turn,
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
    await this.driveSession(flags, async (api, stream) => api.subscribe(this.resolveId(args.id, await stream.sessionList()).id), {
      mode: 'attach',
      promptSent: false,
      history: true,
    });
  }
}
