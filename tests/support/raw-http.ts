import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request with full control of every header (fetch will not set Host), bounded in time. */
export function rawRequest(
  baseUrl: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    timeoutMs?: number;
    /** For https: the certificate to trust and the name to check it against (the URL may be an address). */
    tls?: { ca: string | Buffer; servername: string };
  },
): Promise<RawResponse> {
  const url = new URL(options.path, baseUrl);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const requestOptions: RequestOptions & { ca?: string | Buffer; servername?: string } = {
    method: options.method ?? 'GET',
    headers: options.headers,
    timeout: options.timeoutMs ?? 10_000,
    ...(options.tls ?? {}),
  };
  return new Promise((resolve, reject) => {
    const req = request(url, requestOptions, (res) => {
      let body = '';
      res.setEncoding('utf8');
      // An event stream that was accepted never ends by itself: its first bytes are enough.
      const isStream = String(res.headers['content-type']).startsWith('text/event-stream');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (isStream) res.destroy();
      });
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      res.on('end', done);
      res.on('close', done);
    });
    req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${options.path} timed out`)));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
