import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../../lib/client/node/api-client.ts';
import { ApiError } from '../../../lib/client/shared/api-error.ts';
import { WebApi } from '../../../lib/client/web/web-api.ts';

interface Sent {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records what the client sent and answers with `answer` (or fails as an unreachable server does). */
function recorder(answer: { status: number; body: string } | Error) {
  const sent: Sent[] = [];
  const fetch = (async (input: string | URL, init?: RequestInit) => {
    sent.push({ url: String(input), method: init?.method, headers: { ...(init?.headers as Record<string, string>) }, body: init?.body });
    if (answer instanceof Error) throw answer;
    return new Response(answer.body, { status: answer.status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { sent, fetch };
}

const SESSION = JSON.stringify({ session: { id: 's 1' } });

describe("the clients' one call()", () => {
  it('the dashboard and the CLI send the same request, built from the route table; only the transport differs', async () => {
    const web = recorder({ status: 200, body: SESSION });
    const node = recorder({ status: 200, body: SESSION });
    await new WebApi({ clientId: 'tab-1', fetch: web.fetch }).answerPermission('s 1', 'r/2', { behavior: 'allow' });
    await new ApiClient({
      baseUrl: 'http://127.0.0.1:7432/',
      clientId: 'tab-1',
      token: 't0k',
      fetch: node.fetch,
      checkAnswers: false,
    }).answerPermission('s 1', 'r/2', { behavior: 'allow' });
    const request = {
      method: 'POST',
      body: JSON.stringify({ behavior: 'allow' }),
      headers: expect.objectContaining({ 'x-vibes-client-id': 'tab-1', 'Content-Type': 'application/json' }),
    };
    expect(web.sent).toEqual([{ ...request, url: '/api/sessions/s%201/permissions/r%2F2' }]);
    expect(node.sent).toEqual([{ ...request, url: 'http://127.0.0.1:7432/api/sessions/s%201/permissions/r%2F2' }]);
    expect(node.sent[0]?.headers.Authorization).toBe('Bearer t0k');
    expect(web.sent[0]?.headers.Authorization).toBeUndefined();
  });

  it('a GET carries its query and no body; a POST with nothing to say sends {}', async () => {
    const api = recorder({ status: 200, body: JSON.stringify({ sessions: [] }) });
    const client = new WebApi({ fetch: api.fetch });
    await client.history({ limit: 5 });
    await client.unsubscribe('a');
    expect(api.sent.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      { url: '/api/sessions?state=ended&limit=5', method: 'GET', body: undefined },
      { url: '/api/sessions/a/unsubscribe', method: 'POST', body: '{}' },
    ]);
    expect(api.sent[0]?.headers).toEqual({});
  });

  it("an error answer becomes the one ApiError with the server's stable code", async () => {
    const body = JSON.stringify({ error: { code: 'NOT_SUBSCRIBED', message: 'Subscribe first' } });
    for (const client of [
      new WebApi({ fetch: recorder({ status: 403, body }).fetch }),
      new ApiClient({ baseUrl: 'http://x', fetch: recorder({ status: 403, body }).fetch }),
    ]) {
      const error = await client.kill('a').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ code: 'NOT_SUBSCRIBED', status: 403, message: 'Subscribe first' });
    }
  });

  it('an answer that is not an error body gets a code from its status', async () => {
    const signedOut = new WebApi({ fetch: recorder({ status: 401, body: '<html>' }).fetch });
    await expect(signedOut.listSessions()).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    const crashed = new WebApi({ fetch: recorder({ status: 502, body: 'Bad gateway' }).fetch });
    await expect(crashed.listSessions()).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'Unexpected 502 answer from GET /api/sessions',
    });
  });

  it('no answer at all is NETWORK, keeping the reason (a refused connection) as its cause', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const client = new ApiClient({
      baseUrl: 'http://127.0.0.1:9',
      fetch: recorder(new TypeError('fetch failed', { cause: refused })).fetch,
    });
    const error = await client.health().catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'NETWORK',
      status: 0,
      message: 'The server could not be reached (fetch failed)',
    });
    expect((error as ApiError).cause).toBe(refused);
  });

  it('the Node client checks answers against their schemas unless told not to', async () => {
    const wrong = JSON.stringify({ session: { id: 1 } });
    await expect(
      new ApiClient({ baseUrl: 'http://x', fetch: recorder({ status: 200, body: wrong }).fetch }).getSession('a'),
    ).rejects.toThrow();
    const trusting = new ApiClient({ baseUrl: 'http://x', fetch: recorder({ status: 200, body: wrong }).fetch, checkAnswers: false });
    await expect(trusting.getSession('a')).resolves.toEqual({ id: 1 });
  });
});
