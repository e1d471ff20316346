import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicOnlyLookup } from '../../../lib/server/push-endpoint.ts';

// A real request through the push sender's DNS check, at a stand-in that must receive nothing.
describe('publicOnlyLookup', () => {
  let server: Server;
  let port = 0;
  let received = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      received++;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a name that resolves to a loopback address: the connection is never made', async () => {
    const error = await new Promise<Error>((resolve) => {
      const sent = request({ host: 'localhost', port, method: 'POST', lookup: publicOnlyLookup }, () => resolve(new Error('answered')));
      sent.on('error', resolve);
      sent.end('{}');
    });
    expect(error.name).toBe('NonPublicAddressError');
    expect(error.message).toMatch(/resolves to a loopback address/);
    expect(received).toBe(0);
  });

  it('answers both forms of lookup (one address, or all) with the refusal', async () => {
    for (const all of [false, true]) {
      const error = await new Promise<Error | null>((resolve) => publicOnlyLookup('localhost', { all }, (caught) => resolve(caught)));
      expect(error?.name).toBe('NonPublicAddressError');
    }
  });
});
