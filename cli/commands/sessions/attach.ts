import { Args, Flags } from '@oclif/core';
import { bufferEvents, runSessionConsole } from '../../lib/session-console.ts';
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
    const { stream, api } = await this.stream(flags);
    let code = 1;
    try {
      const early = bufferEvents(stream);
      const found = this.resolveId(args.id, await stream.sessionList());
      const session = await api.subscribe(found.id);
      early.stop();
      code = await runSessionConsole({
        stream,
        api,
        earlier: early.events,
        session,
        mode: 'attach',
        json: flags.json,
        style: this.style,
        promptSent: false,
        history: true,
      });
    } finally {
      stream.close();
    }
    process.exitCode = code;
  }
}
