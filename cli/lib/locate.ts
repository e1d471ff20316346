import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { vibesHome } from '../../lib/local/home.ts';
import { isAlive, readServerRecord } from '../../lib/local/server-record.ts';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../lib/protocol/rules.ts';
import { serverBaseUrl } from '../../lib/protocol/server-url.ts';

type Env = NodeJS.ProcessEnv;

/** VIBES_TOKEN wins over the file the server keeps in VIBES_HOME. */
export function readToken(env: Env = process.env): string | undefined {
  if (env.VIBES_TOKEN) return env.VIBES_TOKEN.trim();
  try {
    return readFileSync(join(vibesHome(env), 'token'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export type TargetSource = 'flag' | 'VIBES_URL' | 'VIBES_HOST/VIBES_PORT' | 'server.json' | 'default';

export interface Target {
  url: string;
  source: TargetSource;
  host: string;
  port: number;
}

/** Where the server is: --url, VIBES_URL, VIBES_HOST/VIBES_PORT, the recorded background server, the default. */
export function resolveTarget(flagUrl: string | undefined, env: Env = process.env): Target {
  const explicit = flagUrl ?? env.VIBES_URL;
  // The setting that makes `vibes serve` serve HTTPS tells the CLI to speak it.
  const tls = Boolean(env.VIBES_TLS_CERT);
  if (explicit) return fromUrl(explicit, flagUrl ? 'flag' : 'VIBES_URL');
  if (env.VIBES_HOST || env.VIBES_PORT) {
    const host = env.VIBES_HOST || DEFAULT_HOST;
    const port = Number(env.VIBES_PORT || DEFAULT_PORT);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`VIBES_PORT must be a port number, not "${env.VIBES_PORT}"`);
    return { url: serverBaseUrl({ host, port, tls }), source: 'VIBES_HOST/VIBES_PORT', host, port };
  }
  const record = readServerRecord(vibesHome(env));
  if (record && isAlive(record.pid)) return fromUrl(record.url, 'server.json');
  return { url: serverBaseUrl({ host: DEFAULT_HOST, port: DEFAULT_PORT, tls }), source: 'default', host: DEFAULT_HOST, port: DEFAULT_PORT };
}

function fromUrl(raw: string, source: TargetSource): Target {
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new Error(`"${raw}" is not a server URL (expected e.g. http://127.0.0.1:7432)`);
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return { url: url.origin, source, host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

/**
 * A fresh client id per CLI process, tagged with this machine, so `sessions list` can tell the
 * sessions of terminals here ("you") from the dashboard's and other machines'.
 */
export function newCliClientId(): string {
  return `${cliClientPrefix()}${randomBytes(6).toString('hex')}`;
}

export function cliClientPrefix(): string {
  const machine = createHash('sha256')
    .update(`${hostname()}:${process.getuid?.() ?? ''}`)
    .digest('hex')
    .slice(0, 8);
  return `cli-${machine}-`;
}
