import { findToDrive } from '../../lib/find-session.ts';
import { eventsJsonFlag, sessionIdArg, VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsAttach extends VibesCommand {
  static override summary = 'Watch and drive a running session: its transcript live, your lines as input, a / d for approvals.';
  static override description = `Lines you type go to the session (queued while Claude works). When a tool call waits for
approval, "a" allows and "d" denies the oldest waiting request. \`:attach PATH\` sends a file or an
image (PNG, JPEG, GIF, WebP, PDF, text) with your next line; \`:attach\` lists them, \`:detach\`
drops them. Ctrl-C interrupts the running turn,
a second Ctrl-C leaves; Ctrl-D leaves too. When the session ends, the reason is printed and the
command exits.`;
  static override args = { id: sessionIdArg() };
  static override flags = { json: eventsJsonFlag() };
  static override examples = ['<%= config.bin %> sessions attach 3f2a', '<%= config.bin %> sessions attach 3f2a --json'];

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SessionsAttach);
    await this.driveSession(flags, async (api, stream) => api.subscribe((await findToDrive(api, stream, args.id, 'live')).id), {
      mode: 'attach',
      promptSent: false,
      history: true,
    });
  }
}
