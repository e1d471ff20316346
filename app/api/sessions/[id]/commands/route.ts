import { route } from '../../../../../lib/server/route.ts';

/** The slash commands this session's Claude Code offers (its `supportedCommands()`); an ended session answers INVALID_STATE. */
export const GET = route('listCommands', async ({ runtime, params }) => {
  const session = await runtime.manager.get(params.id);
  return { commands: await session.supportedCommands() };
});
