import { PairingCodeResponse } from '../../lib/protocol/index.ts';

/** A fresh one-time pairing code, made with the token as `vibes pair` does. */
export async function pairingCode(baseUrl: string, token: string): Promise<PairingCodeResponse> {
  const response = await fetch(new URL('/api/pairing', baseUrl), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`POST /api/pairing answered ${response.status}: ${await response.text()}`);
  return PairingCodeResponse.parse(await response.json());
}

/** Signs a new device in and returns its `name=value` cookie, for raw requests as a browser. */
export async function deviceCookie(baseUrl: string, token: string, label = 'test device'): Promise<string> {
  const { code } = await pairingCode(baseUrl, token);
  const response = await fetch(new URL('/api/sign-in', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, label }),
  });
  if (!response.ok) throw new Error(`POST /api/sign-in answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers.get('set-cookie');
  if (!cookie) throw new Error('sign-in set no cookie');
  return cookie.split(';')[0]!;
}
