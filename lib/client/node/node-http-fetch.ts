import { request, type IncomingMessage, type RequestOptions } from 'node:http';

/**
 * Enough of `fetch` for ApiClient, over node:http. A short-lived CLI process pays ~30 ms for its
 * first global `fetch` (undici starts up); node:http answers in a few. Plain http only: anything
 * else goes to the global fetch.
 */
export const nodeHttpFetch: typeof fetch = async (input, init) => {
  // Touching the Request or Headers globals would start undici, the cost this avoids.
  const plain = typeof input === 'string' || input instanceof URL;
  const headers = init?.headers;
  const body = init?.body;
  const simpleHeaders =
    headers === undefined ||
    (typeof headers === 'object' && !Array.isArray(headers) && typeof (headers as { get?: unknown }).get !== 'function');
  const simpleBody = body === undefined || body === null || typeof body === 'string';
  if (!plain || !simpleHeaders || !simpleBody) return fetch(input, init);
  const url = new URL(input);
  if (url.protocol !== 'http:') return fetch(input, init);
  const options: RequestOptions = {
    method: init?.method ?? 'GET',
    headers: (headers ?? {}) as Record<string, string>,
    signal: init?.signal ?? undefined,
  };
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(url, options, resolve);
    req.on('error', (error) => reject(new TypeError('fetch failed', { cause: error })));
    req.end(body ?? undefined);
  });
  const text = await new Promise<string>((resolve, reject) => {
    let data = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (data += chunk));
    response.on('end', () => resolve(data));
    response.on('error', reject);
  });
  const status = response.statusCode ?? 0;
  const answer = {
    ok: status >= 200 && status < 300,
    status,
    statusText: response.statusMessage ?? '',
    url: url.href,
    headers: { get: (name: string) => headerValue(response, name) },
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
  };
  return answer as unknown as Response;
};

function headerValue(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
