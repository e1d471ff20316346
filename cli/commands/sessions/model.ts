import * as Args from '@oclif/core/args';
import type { ModelOption, SessionInfo } from '../../../lib/protocol/index.ts';
import { padEnd } from '../../lib/style.ts';
import { resolveSessionId } from '../../lib/ids.ts';
import { sessionIdArg, VibesCommand } from '../../lib/vibes-command.ts';

export default class SessionsModel extends VibesCommand {
  static override summary = "Switch a session's model, live; without MODEL, list the models it offers.";
  static override enableJsonFlag = true;
  static override args = {
    id: sessionIdArg(),
    model: Args.string({ description: 'A model from the list (e.g. sonnet, haiku) or a full model name', ignoreStdin: true }),
  };
  static override examples = ['<%= config.bin %> sessions model 3f2a', '<%= config.bin %> sessions model 3f2a sonnet'];

  async run(): Promise<SessionInfo | { models: ModelOption[] }> {
    const { args, flags } = await this.parse(SessionsModel);
    return this.withStream(flags, async (stream, api) => {
      const session = resolveSessionId(args.id, await stream.sessionList());
      if (args.model === undefined) {
        const models = await api.listModels(session.id);
        if (!this.jsonEnabled()) {
          const width = Math.max(...models.map((model) => model.value.length));
          for (const model of models) {
            const current = model.value === session.model ? this.style.green(' (current)') : '';
            this.log(
              `${padEnd(this.style.bold(model.value), width + 2)}${model.display_name}${current}${this.style.dim(` — ${model.description}`)}`,
            );
          }
        }
        return { models };
      }
      await api.subscribe(session.id);
      const updated = await api.setModel(session.id, args.model, 'cli');
      if (!this.jsonEnabled()) this.log(`Session ${session.id} now uses ${updated.model ?? args.model}`);
      return updated;
    });
  }
}
