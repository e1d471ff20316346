import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { TrustedProxy, viewRequest, type RequestView } from '../../../lib/server/forwarded.ts';

function request(remoteAddress: string, headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { socket: { remoteAddress, encrypted }, headers } as unknown as IncomingMessage;
}

const SECRET = 'Vq8r2LmZ4xKp7NwT1cYb9HsJ3dFg6AeU';
const proxy = new TrustedProxy(['127.0.0.1'], SECRET);

const FORWARDED = {
  host: '127.0.0.1:7432',
  'x-forwarded-host': 'box.tail.ts.net',
  'x-forwarded-proto': 'https',
  'x-forwarded-for': '100.64.0.7',
};
const FROM_PROXY = { ...FORWARDED, 'x-vibes-proxy-secret': SECRET };

describe('viewRequest', () => {
  it('believes X-Forwarded-* from a trusted proxy address (IPv4-mapped too) that shows the secret', () => {
    expect(viewRequest(request('::ffff:127.0.0.1', { ...FROM_PROXY }), proxy)).toEqual({
      host: 'box.tail.ts.net',
      secure: true,
      address: '100.64.0.7',
    });
  });

  it('ignores them from anybody else, and when no proxy is configured', () => {
    const own = { host: '127.0.0.1:7432', secure: false, address: '10.0.0.9' };
    expect(facts(viewRequest(request('10.0.0.9', { ...FROM_PROXY }), proxy))).toEqual(own);
    expect(facts(viewRequest(request('10.0.0.9', { ...FROM_PROXY }), null))).toEqual(own);
  });

  it("from the proxy's address without the secret (any local process), or with a wrong one, the request is direct", () => {
    const own = { host: '127.0.0.1:7432', secure: false, address: '127.0.0.1' };
    for (const headers of [
      { ...FORWARDED },
      { ...FORWARDED, 'x-vibes-proxy-secret': `${SECRET}x` },
      { ...FORWARDED, 'x-vibes-proxy-secret': '' },
    ]) {
      const req = request('127.0.0.1', headers);
      expect(facts(viewRequest(req, proxy))).toEqual(own);
      // Nothing after this (Next, a route) sees what was not believed.
      expect(Object.keys(req.headers)).toEqual(['host']);
    }
  });

  it('removes the secret before anything else sees the request', () => {
    const req = request('127.0.0.1', { ...FROM_PROXY });
    viewRequest(req, proxy);
    expect(req.headers['x-vibes-proxy-secret']).toBeUndefined();
    const direct = request('10.0.0.9', { ...FROM_PROXY });
    viewRequest(direct, null);
    expect(direct.headers['x-vibes-proxy-secret']).toBeUndefined();
  });

  it("without a proxy, reads the socket's address only when asked, and once", () => {
    let reads = 0;
    const socket = {
      get remoteAddress() {
        reads++;
        return '::ffff:10.0.0.9';
      },
    };
    const view = viewRequest({ socket, headers: { host: 'h' } } as unknown as IncomingMessage, null);
    expect(view.host).toBe('h');
    expect(reads).toBe(0);
    expect([view.address, view.address]).toEqual(['10.0.0.9', '10.0.0.9']);
    expect(reads).toBe(1);
  });

  it('takes the last value a proxy appended; without X-Forwarded-Proto the socket decides', () => {
    const view = viewRequest(
      request(
        '127.0.0.1',
        { host: 'h', 'x-forwarded-for': '6.6.6.6, 100.64.0.8', 'x-forwarded-host': 'evil, box', 'x-vibes-proxy-secret': SECRET },
        true,
      ),
      proxy,
    );
    expect(facts(view)).toEqual({ host: 'box', secure: true, address: '100.64.0.8' });
  });
});

/** The view's three facts, however it keeps them (the socket's address is read on demand). */
function facts(view: RequestView): RequestView {
  return { host: view.host, secure: view.secure, address: view.address };
}
