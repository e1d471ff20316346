import { resolveSessionId } from '../../lib/ids.ts';
import { sessionIdArg, VibesCommand } from '../../lib/vibes-command.ts';

const CONFIRM_TIMEOUT_MS = 20_000;

export default class SessionsKill extends VibesCommand {
  static override summary = 'End a session: its Claude process stops and every client sees it go.';
  static override enableJsonFlag = true;
  static override args = { id: sessionIdArg() };
  static override examples = ['<%= config.bin %> sessions kill 3f2a9c1b', '<%= config.bin %> sessions kill 3f2a --json'];

  async run(): Promise<{ session_id: string; reason: 'killed' }> {
    const { args, flags } = await this.parse(SessionsKill);
    return this.withStream(flags, async (stream, api) => {
      const session = resolveSessionId(args.id, await stream.sessionList());
      await api.subscribe(session.id);
      const removed = stream.waitFor(
        (event) => event.type === 'session_removed' && event.session_id === session.id,
        CONFIRM_TIMEOUT_MS,
        `session ${session.id} to be removed`,
      );
      // When the kill itself fails, that error is the one to report.
      removed.catch(() => undefined);
      const answer = await api.kill(session.id);
      await removed;
      if (!this.jsonEnabled()) this.log(`Session ${session.id} "${session.title}" terminated (${answer.reason})`);
      return answer;
    });
  }
}
