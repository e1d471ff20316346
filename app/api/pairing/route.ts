import { signInUrls } from '../../../lib/server/pairing.ts';
import { route } from '../../../lib/server/route.ts';

/** The sign-in links, for `vibes pair` to print with a QR code. */
export const GET = route('pairing', ({ runtime }) => ({
  urls: signInUrls(runtime.config.host, runtime.port, runtime.auth.token),
}));
