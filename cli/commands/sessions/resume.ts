import { findToDrive } from '../../lib/find-session.ts';
import { eventsJsonFlag, sessionIdArg, VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsResume extends VibesCommand {
  static override summary = 'Continue an ended session: Claude starts again with --resume, then you are attached to it.';
  static override description = `The session keeps its id and transcript; a new Claude process picks up Claude's own session
(--resume with its latest session id). This terminal owns it and is attached as with
\`vibes sessions attach\`. Ended sessions are listed by \`vibes sessions list --all\`.`;
  static override args = { id: sessionIdArg('Id of an ended session, or a unique prefix of one') };
  static override flags = { json: eventsJsonFlag() };
  static override examples = ['<%= config.bin %> sessions resume 3f2a', '<%= config.bin %> sessions resume 3f2a --json'];

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SessionsResume);
    await this.driveSession(
      flags,
      async (api, stream) => {
        const session = await api.resume((await findToDrive(api, stream, args.id, 'ended')).id);
        if (!flags.json) this.log(`Resumed session ${session.id}.`);
        return session;
      },
      { mode: 'attach', promptSent: false, history: true },
    );
  }
}
