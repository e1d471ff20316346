import { route } from '../../../../lib/server/route.ts';

/** A new token: the old one, and every browser cookie made from it, stop working at once. */
export const POST = route('rotateToken', ({ runtime }) => ({ token: runtime.auth.rotate() }));
