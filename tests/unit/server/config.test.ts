import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../../lib/protocol/index.ts';
import { redactUrl } from '../../../lib/server/cluster/topology.ts';
import { loadConfig } from '../../../lib/server/config.ts';

describe('the server configuration', () => {
  it('listens on this machine only by default, keeping its state in ~/.vibes', () => {
    const config = loadConfig([], { HOME: '/home/ada' });
    expect(config).toMatchObject({
      host: DEFAULT_HOST,
      port: DEFAULT_PORT,
      home: join('/home/ada', '.vibes'),
      demo: false,
      store: 'sqlite',
    });
    expect(config.disconnectGraceMs).toBeGreaterThanOrEqual(60_000);
  });

  it('takes flags over the environment', () => {
    const config = loadConfig(['--port', '0', '--demo'], { HOME: '/h', VIBES_PORT: '9000', VIBES_HOME: '/state', VIBES_DEMO: '0' });
    expect(config).toMatchObject({ port: 0, demo: true, home: '/state' });
  });

  it('reads lists and numbers from the environment', () => {
    const config = loadConfig([], { HOME: '/h', VIBES_ALLOWED_HOSTS: 'box.local, vibes.example ', VIBES_DISCONNECT_GRACE_MS: '1500' });
    expect(config.allowedHosts).toEqual(['box.local', 'vibes.example']);
    expect(config.disconnectGraceMs).toBe(1500);
  });

  it('refuses bad values with what is wrong, never echoing the token', () => {
    expect(() => loadConfig([], { HOME: '/h', VIBES_PORT: '70000' })).toThrow(/Invalid vibes configuration: port/);
    expect(() => loadConfig([], { HOME: '/h', VIBES_DEMO: 'maybe' })).toThrow(/demo/);
    expect(() => loadConfig([], { HOME: '/h', VIBES_TOKEN: 'short-secret' })).toThrow(/at least 32 characters/);
    expect(() => loadConfig([], { HOME: '/h', VIBES_TOKEN: 'short-secret' })).not.toThrow(/short-secret/);
  });
});

describe('a trusted proxy', () => {
  const secret = 'Vq8r2LmZ4xKp7NwT1cYb9HsJ3dFg6AeU';

  it('is trusted only with a shared secret, which must be strong and is never echoed', () => {
    expect(loadConfig([], { HOME: '/h', VIBES_TRUSTED_PROXY: '127.0.0.1', VIBES_TRUSTED_PROXY_SECRET: secret })).toMatchObject({
      trustedProxies: ['127.0.0.1'],
      trustedProxySecret: secret,
    });
    expect(() => loadConfig([], { HOME: '/h', VIBES_TRUSTED_PROXY: '127.0.0.1' })).toThrow(
      /VIBES_TRUSTED_PROXY needs VIBES_TRUSTED_PROXY_SECRET.*every local process/,
    );
    expect(() => loadConfig([], { HOME: '/h', VIBES_TRUSTED_PROXY_SECRET: secret })).toThrow(
      /VIBES_TRUSTED_PROXY \(the proxy addresses\) is not/,
    );
    const weak = () => loadConfig([], { HOME: '/h', VIBES_TRUSTED_PROXY: '127.0.0.1', VIBES_TRUSTED_PROXY_SECRET: 'proxy-secret' });
    expect(weak).toThrow(/VIBES_TRUSTED_PROXY_SECRET must be at least 32 characters/);
    expect(weak).not.toThrow(/proxy-secret/);
  });
});

describe('cluster configuration', () => {
  const urls = { VIBES_REDIS_URL: 'redis://:hunter2@db:6379', VIBES_DATABASE_URL: 'postgres://vibes:hunter2@db/vibes' };

  it('is a cluster node with both URLs, a single machine with neither, and refuses one alone', () => {
    expect(loadConfig([], { HOME: '/h', ...urls, VIBES_NODE_NAME: 'laptop' })).toMatchObject({
      nodeName: 'laptop',
      redisUrl: urls.VIBES_REDIS_URL,
    });
    expect(loadConfig([], { HOME: '/h' }).redisUrl).toBeUndefined();
    expect(() => loadConfig([], { HOME: '/h', VIBES_REDIS_URL: urls.VIBES_REDIS_URL })).toThrow(/needs both/);
    expect(() => loadConfig([], { HOME: '/h', ...urls, VIBES_NODE_NAME: 'no spaces' })).toThrow(/node name/);
  });

  it('an invalid URL is refused without echoing it', () => {
    let message = '';
    try {
      loadConfig([], { HOME: '/h', VIBES_REDIS_URL: 'not a url hunter2', VIBES_DATABASE_URL: urls.VIBES_DATABASE_URL });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/redisUrl/);
    expect(message).not.toContain('hunter2');
  });

  it('URLs are printed with their passwords replaced', () => {
    expect(redactUrl(urls.VIBES_REDIS_URL)).toBe('redis://:***@db:6379');
    expect(redactUrl(urls.VIBES_DATABASE_URL)).toBe('postgres://***:***@db/vibes');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
