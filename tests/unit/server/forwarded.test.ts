import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { viewRequest } from '../../../lib/server/forwarded.ts';

function request(remoteAddress: string, headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { socket: { remoteAddress, encrypted }, headers } as unknown as IncomingMessage;
}

const FORWARDED = {
  host: '127.0.0.1:7432',
  'x-forwarded-host': 'box.tail.ts.net',
  'x-forwarded-proto': 'https',
  'x-forwarded-for': '100.64.0.7',
};

describe('viewRequest', () => {
  it('believes X-Forwarded-* from a trusted proxy address (IPv4-mapped too)', () => {
    expect(viewRequest(request('::ffff:127.0.0.1', FORWARDED), ['127.0.0.1'])).toEqual({
      host: 'box.tail.ts.net',
      secure: true,
      address: '100.64.0.7',
    });
  });

  it('ignores them from anybody else, and when no proxy is configured', () => {
    const own = { host: '127.0.0.1:7432', secure: false, address: '10.0.0.9' };
    expect(viewRequest(request('10.0.0.9', FORWARDED), ['127.0.0.1'])).toEqual(own);
    expect(viewRequest(request('10.0.0.9', FORWARDED), [])).toEqual(own);
  });

  it('takes the last value a proxy appended; without X-Forwarded-Proto the socket decides', () => {
    const view = viewRequest(
      request('127.0.0.1', { host: 'h', 'x-forwarded-for': '6.6.6.6, 100.64.0.8', 'x-forwarded-host': 'evil, box' }, true),
      ['127.0.0.1'],
    );
    expect(view).toEqual({ host: 'box', secure: true, address: '100.64.0.8' });
  });
});
