import { route } from '../../../../../lib/server/route.ts';

/** The models this session's Claude Code offers (its `supportedModels()`). */
export const GET = route('listModels', async ({ runtime, params }) => {
  const session = await runtime.manager.get(params.id);
  return { models: await session.supportedModels() };
});
