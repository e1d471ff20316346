import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../../cli/lib/locate.ts';

/** No background server is recorded in a home that does not exist. */
const env = (values: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const all: Record<string, string> = { VIBES_HOME: '/nonexistent/vibes-home', ...values };
  return all as NodeJS.ProcessEnv;
};

describe('where the CLI finds the server', () => {
  it('builds the URL with serverBaseUrl (lib/protocol) for VIBES_HOST/VIBES_PORT and its default, with https when the server is told to serve it', () => {
    expect(resolveTarget(undefined, env({ VIBES_HOST: '::1', VIBES_PORT: '9000' }))).toEqual({
      url: 'http://[::1]:9000',
      source: 'VIBES_HOST/VIBES_PORT',
      host: '::1',
      port: 9000,
    });
    expect(resolveTarget(undefined, env({ VIBES_PORT: '9000', VIBES_TLS_CERT: '/etc/vibes/cert.pem' })).url).toBe('https://127.0.0.1:9000');
    expect(resolveTarget(undefined, env()).url).toBe('http://127.0.0.1:7432');
    expect(resolveTarget('https://[::1]:8443/', env())).toMatchObject({ url: 'https://[::1]:8443', host: '::1', port: 8443 });
  });
});
