import { afterAll, beforeAll } from 'vitest';
import { ApiClient } from '../../lib/client/node/api-client.ts';
import { startServerProcess, type ServerProcess, type ServerProcessOptions } from './server-process.ts';
import { TestEventStream } from './event-stream.ts';

/**
 * One real server for a test file, stopped after it, plus helpers to act as clients.
 * Every stream opened through it is closed at the end.
 */
export function useServer(options: ServerProcessOptions = {}) {
  let server: ServerProcess | undefined;
  const streams: TestEventStream[] = [];
  beforeAll(async () => {
    server = await startServerProcess(options);
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await server?.stop();
  });
  const current = () => {
    if (!server) throw new Error('the server is not running');
    return server;
  };
  return {
    get server() {
      return current();
    },
    get url() {
      return current().url;
    },
    get token() {
      return current().token();
    },
    client(clientId?: string) {
      return new ApiClient({ baseUrl: current().url, token: current().token(), ...(clientId ? { clientId } : {}) });
    },
    async stream(options: { clientId?: string; lastEventId?: string } = {}) {
      const stream = await TestEventStream.open(current().url, {
        ...options,
        headers: { Authorization: `Bearer ${current().token()}` },
      });
      streams.push(stream);
      return stream;
    },
    /** A raw request, signed in unless told otherwise, for what the typed client would never send. */
    raw(path: string, init: RequestInit & { anonymous?: boolean } = {}) {
      const { anonymous, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (!anonymous && !headers.has('authorization')) headers.set('authorization', `Bearer ${current().token()}`);
      return fetch(new URL(path, current().url), { ...rest, headers });
    },
  };
}
