import { EmptyBody } from '../../../../lib/protocol/index.ts';
import { readBody, route } from '../../../../lib/server/route.ts';

/** A new token: the old one, and every browser cookie made from it, stop working at once. */
export const POST = route(async (context) => {
  await readBody(context, EmptyBody);
  return { token: context.runtime.auth.rotate() };
});
