import { VibesError } from '../core/errors.ts';
import { DeviceId, type ErrorCode } from '../protocol/index.ts';
import type { Principal } from './auth.ts';
import { deviceCookie, labelFromUserAgent, type UsedCode } from './devices.ts';
import { signInUrls } from './pairing.ts';
import { isForm, parseWith, reply, route, routeReadingBodyLater } from './route.ts';
import { signedOutPage } from './sign-in-page.ts';

/** Sign-in, sign-out, devices, pairing codes and token rotation: who may call each is its `auth` in the route table. */
export const credentialRoutes = {
  /** A pairing code (typed, or with the key of a `vibes pair` link) becomes a device and its cookie. */
  signIn: routeReadingBodyLater('signIn', async ({ runtime, view, header, body: readBody }) => {
    const form = isForm({ header });
    const refuse = (code: ErrorCode, message: string, headers: Record<string, string> = {}) => {
      if (!form) return reply.error(code, message, headers);
      return reply.page(code === 'RATE_LIMITED' ? 429 : 401, signedOutPage({ error: message }), { 'X-Vibes-Error': code, ...headers });
    };
    // Taken as the head arrives, before the body: bodies held back and sent together meet an
    // allowance already spent by their own heads, and cannot all be tried.
    const attempt = runtime.signInThrottle.take(view.address);
    let wrongCodeTried = false;
    try {
      const body = await readBody();
      let used: UsedCode | null;
      if (body.key !== undefined) {
        // A link's key cannot be guessed: judged by it alone, never throttled, so the owner always gets in.
        used = runtime.pairingCodes.consumeWithKey(body.code, body.key);
      } else if (!attempt.allowed) {
        const wait = attempt.retryAfterSeconds;
        return refuse(
          'RATE_LIMITED',
          `Too many wrong pairing codes: try again in ${wait} s, or open the sign-in link \`vibes pair\` prints (a link is not throttled)`,
          { 'Retry-After': String(wait) },
        );
      } else {
        used = runtime.pairingCodes.consume(body.code);
        wrongCodeTried = used === null;
      }
      const signedIn =
        used &&
        (await runtime.auth.devices.signIn(
          body.label ?? labelFromUserAgent(header('user-agent') ?? undefined),
          view.address,
          used.issuedBy,
        ));
      if (!signedIn) {
        return refuse('INVALID_PAIRING_CODE', 'That pairing code is wrong, used or expired: run `vibes pair` for a new one');
      }
      const cookie = deviceCookie(runtime.auth.devices.cookieName(view.secure), signedIn.secret, view.secure);
      if (form) return reply.redirect('/', { 'Set-Cookie': cookie });
      const info = (await runtime.auth.devices.list(signedIn.device.id)).find((listed) => listed.id === signedIn.device.id);
      if (!info) throw new Error('a device just signed in is not listed');
      return reply.json({ device: info }, { 'Set-Cookie': cookie });
    } finally {
      if (attempt.allowed && !wrongCodeTried) attempt.giveBack();
    }
  }),

  signOut: route('signOut', ({ runtime, view, principal }) =>
    // The answer goes out first: revoking closes this device's streams, not this request.
    reply.json(
      { revoked: principal.deviceId },
      { 'Set-Cookie': deviceCookie(runtime.auth.devices.cookieName(view.secure), null, view.secure) },
      () => runtime.auth.devices.revoke(principal.deviceId),
    ),
  ),

  listDevices: route('listDevices', async ({ runtime, principal }) => ({
    devices: await runtime.auth.devices.list(currentDevice(principal)),
  })),

  /** Input from this browser tells Claude it is a phone, or stops telling (issue 29). */
  tellClaudeOnPhone: route('tellClaudeOnPhone', async ({ runtime, principal, body }) => ({
    device: await runtime.auth.devices.setTellClaudeOnPhone(principal.deviceId, body.on),
  })),

  revokeDevice: route('revokeDevice', async ({ runtime, params }) => {
    const id = parseWith(DeviceId, params.id, 'device id');
    if (!(await runtime.auth.devices.revoke(id))) throw new VibesError('NOT_FOUND', `No signed-in device ${id}`);
    return { revoked: id };
  }),

  pairing: route('pairing', ({ runtime, principal }) => {
    // Remembered, so that revoking a device also revokes the devices it brought in.
    const pairing = runtime.pairingCodes.issue(currentDevice(principal));
    return { code: pairing.code, expires_at: pairing.expiresAt, urls: signInUrls(runtime.config, runtime.port, pairing) };
  }),

  /** Only the token holder: a browser never holds the token, and cannot be handed one by rotating. */
  rotateToken: route('rotateToken', async ({ runtime }) => ({ token: await runtime.auth.rotate() })),
};

function currentDevice(principal: Principal): string | null {
  return principal.kind === 'device' ? principal.deviceId : null;
}
