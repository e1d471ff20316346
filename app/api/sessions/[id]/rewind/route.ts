import { route } from '../../../../../lib/server/route.ts';

/** Puts the files back as they were before a message (a dry run shows what would change). */
export const POST = route('rewind', async ({ runtime, params, clientId, body }) => {
  const session = await runtime.manager.get(params.id);
  const result = await session.rewind({ to: body.to ?? null, dryRun: body.dry_run ?? false }, clientId);
  return { ...result, session: session.infoFor(clientId) };
});
