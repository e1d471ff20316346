// Throttles keyed by who is asking: the credential when signed in, the address when not, and
// failed sign-ins the way code-server counts them. A server of its own, with small allowances.
import { describe, expect, it } from 'vitest';
import { ErrorBody, type ErrorCode } from '../../lib/protocol/index.ts';
import { useServer } from '../support/api-harness.ts';
import { rawRequest, type RawResponse } from '../support/raw-http.ts';
import { deviceCookie, pairingCode } from '../support/sign-in.ts';

const vibes = useServer({
  env: {
    VIBES_RATE_LIMIT_PER_SECOND: '1',
    VIBES_RATE_LIMIT_BURST: '4',
    VIBES_ANONYMOUS_RATE_LIMIT_PER_SECOND: '1',
    VIBES_ANONYMOUS_RATE_LIMIT_BURST: '40',
  },
});

const host = () => new URL(vibes.url).host;

function post(path: string, headers: Record<string, string>, body = '{}'): Promise<RawResponse> {
  return rawRequest(vibes.url, {
    method: 'POST',
    path,
    headers: { host: host(), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
    body,
  });
}

function codeOf(response: RawResponse): ErrorCode | null {
  return response.status >= 400 ? ErrorBody.parse(JSON.parse(response.body)).error.code : null;
}

describe('throttles', () => {
  it('limits POSTs per device, not per client id the caller picks; another device keeps its own allowance', async () => {
    const greedy = await deviceCookie(vibes.url, vibes.token);
    const patient = await deviceCookie(vibes.url, vibes.token);
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        codeOf(await post('/api/sessions/none/subscribe', { cookie: greedy, 'x-vibes-client-id': `id-${i}` })),
      ),
    );
    // The burst is 4 and the bucket refills one a second: at most that many more got through.
    const allowed = answers.filter((code) => code === 'NOT_FOUND').length;
    expect(allowed).toBeGreaterThanOrEqual(4);
    expect(allowed).toBeLessThanOrEqual(4 + Math.ceil((Date.now() - started) / 1000));
    expect(answers.filter((code) => code === 'RATE_LIMITED').length).toBe(20 - allowed);
    expect(codeOf(await post('/api/sessions/none/subscribe', { cookie: patient, 'x-vibes-client-id': 'id-0' }))).toBe('NOT_FOUND');
  });

  it('limits failed sign-ins like code-server; once throttled even the right code is refused, and no device is made', async () => {
    const before = (await vibes.client().listDevices()).length;
    const answers: (ErrorCode | null)[] = [];
    for (let i = 0; i < 16; i++) answers.push(codeOf(await post('/api/sign-in', {}, '{"code":"AAAA-AAAA"}')));
    expect(answers.slice(0, 14)).toEqual(Array(14).fill('INVALID_PAIRING_CODE'));
    expect(answers.slice(14)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    const { code } = await pairingCode(vibes.url, vibes.token);
    const refused = await post('/api/sign-in', {}, JSON.stringify({ code }));
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['set-cookie']).toBeUndefined();
    expect((await vibes.client().listDevices()).length).toBe(before);
  });

  it('limits requests that are not signed in, per address: 401s turn into 429s, and signed-in callers are not slowed', async () => {
    const answers: (ErrorCode | null)[] = [];
    for (let i = 0; i < 45; i++) answers.push(codeOf(await rawRequest(vibes.url, { path: '/api/sessions', headers: { host: host() } })));
    expect(answers).toContain('UNAUTHORIZED');
    expect(answers.at(-1)).toBe('RATE_LIMITED');
    const page = await rawRequest(vibes.url, { path: '/', headers: { host: host() } });
    expect(page.status).toBe(429);
    expect(
      (await rawRequest(vibes.url, { path: '/api/sessions', headers: { host: host(), authorization: `Bearer ${vibes.token}` } })).status,
    ).toBe(200);
  });
});
