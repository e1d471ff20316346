import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { vibesHome } from '../local/home.ts';
import { DEFAULT_HOST, DEFAULT_PORT } from '../protocol/index.ts';
import { tokenProblem } from './token.ts';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

/** A secret given in the environment: long and irregular enough; the message never holds it. */
const strongSecret = (name: string) =>
  z.string().superRefine((secret, context) => {
    const problem = tokenProblem(secret, name);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Everything the server reads from its flags and environment, validated once at start. */
export const ServerConfig = z.object({
  host: z.string().min(1).default(DEFAULT_HOST),
  /** 0 picks a free port; the real one is printed. */
  port: intFrom(0, 65535).default(DEFAULT_PORT),
  home: z.string().min(1),
  /** Overrides which `claude` runs in sessions that are not demo sessions. */
  claudePath: z.string().min(1).optional(),
  /** What a new session is when its request does not say: a demo (the fake Claude answers) or Claude. */
  demo: flag.default(false),
  /** Lets sessions run in `bypassPermissions` (no approval for anything). Off unless asked for. */
  allowBypass: flag.default(false),
  dev: flag.default(false),
  /** Where sessions run when a request names no cwd. */
  defaultCwd: z.string().min(1),
  /** How long a client whose stream dropped keeps its sessions; a sleeping phone must not lose them. */
  disconnectGraceMs: intFrom(0, 7 * 24 * 3600 * 1000).default(300_000),
  replayRingSize: intFrom(16, 10_000_000).default(10_000),
  maxSessions: intFrom(1, 10_000).default(100),
  maxEventClients: intFrom(1, 100_000).default(1_000),
  /** Event streams one signed-in browser may hold (a tab holds one); the token holder is bounded only by the total. */
  maxEventClientsPerDevice: intFrom(1, 100_000).default(32),
  /** A client that does not read is dropped past this many unsent bytes, or when its socket
   * stays full this long; it catches up or resyncs when it returns. */
  clientBufferBytes: intFrom(16 * 1024, 1024 ** 3).default(32 * 1024 * 1024),
  clientStallMs: intFrom(100, 600_000).default(15_000),
  pingMs: intFrom(100, 3_600_000).default(15_000),
  maxBodyBytes: intFrom(1024, 64 * 1024 * 1024).default(1024 * 1024),
  /** POSTs per second per client, on average, and how many may come at once. */
  rateLimitPerSecond: intFrom(1, 100_000).default(20),
  rateLimitBurst: intFrom(1, 100_000).default(100),
  /** Host names to answer to besides loopback and the bind address (comma-separated in the environment). */
  allowedHosts: z.array(z.string().min(1)).default([]),
  /** Overrides the token file; never printed by the server. */
  token: strongSecret('VIBES_TOKEN').optional(),
  /** Anything not signed in, per address: pages, API calls, sign-in attempts. */
  anonymousRateLimitPerSecond: intFrom(1, 100_000).default(5),
  anonymousRateLimitBurst: intFrom(1, 100_000).default(60),
  /** A signed-in browser unused this long is signed out. */
  deviceIdleDays: z.coerce.number().positive().max(3650).default(30),
  /** How long a pairing code can be used (once). */
  pairingCodeTtlSeconds: intFrom(10, 86_400).default(300),
  /** The whole request head must arrive within this; the body within requestTimeoutMs. */
  headersTimeoutMs: intFrom(1000, 600_000).default(10_000),
  requestTimeoutMs: intFrom(1000, 3_600_000).default(30_000),
  /** Open connections that have not (yet) made a signed-in request; past it a newcomer replaces the oldest idle one. */
  maxAnonymousConnections: intFrom(1, 100_000).default(1024),
  /** The database file stops growing here: past it, writes fail rather than fill the disk. */
  maxDatabaseMb: intFrom(16, 1024 * 1024).default(2048),
  /** `sqlite`: $VIBES_HOME/vibes.db. `memory` keeps nothing across restarts: for tests and benchmarks. */
  store: z.enum(['sqlite', 'memory']).default('sqlite'),
  /** Ended sessions older than this many days are deleted (at start and hourly); 0 keeps them all. */
  retentionDays: z.coerce.number().nonnegative().max(100_000).default(0),
  /** How often the retention and the devices' idle limit are applied (besides at start). */
  sweepMs: intFrom(100, 86_400_000).default(3_600_000),
  /** Serve HTTPS with this certificate chain and key (PEM files). */
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  /** Addresses of a TLS-terminating proxy in front of vibes: only they may set X-Forwarded-Proto/Host/For, */
  trustedProxies: z.array(z.string().min(1)).default([]),
  /** and only with this secret in X-Vibes-Proxy-Secret (any local process can connect from loopback). */
  trustedProxySecret: strongSecret('VIBES_TRUSTED_PROXY_SECRET').optional(),
  /** Where users reach vibes (e.g. https://box.tailnet.ts.net): its host is answered to; links use it. */
  publicUrl: z
    .url({ protocol: /^https?$/ })
    .transform((value) => new URL(value).origin)
    .optional(),
  /** A webhook that gets every notification too (JSON, or ntfy's headers form). */
  notifyUrl: z.url({ protocol: /^https?$/ }).optional(),
  notifyFormat: z.enum(['json', 'ntfy']).default('json'),
  /** Signs every webhook call: X-Vibes-Signature, an HMAC-SHA256 over the time and the body. */
  notifySecret: strongSecret('VIBES_NOTIFY_SECRET').optional(),
  /** Devices may register http:// push endpoints on loopback or private addresses (a self-hosted push service, tests). */
  pushAllowPrivate: flag.default(false),
  /** "Turn finished" is sent only for turns at least this long. */
  notifyTurnSeconds: z.coerce.number().nonnegative().max(86_400).default(30),
  /** Who runs this server, for push services (`mailto:` or `https:`). */
  vapidSubject: z
    .string()
    .regex(/^(mailto:|https:\/\/)\S+$/, 'a mailto: or https:// URL')
    .default('mailto:vibes@example.com'),
  /** Cluster mode when both are set: Redis carries events, presence and heartbeats; PostgreSQL is the store. */
  redisUrl: z.url().optional(),
  databaseUrl: z.url().optional(),
  /** Prefix of this cluster's Redis keys: several clusters can share one Redis. */
  redisPrefix: z
    .string()
    .regex(/^[A-Za-z0-9:._-]{1,64}$/)
    .default('vibes:'),
  /** This node's name in a cluster; the host name when not given. */
  nodeName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'a node name is 1 to 63 letters, digits, dots, _ or -')
    .optional(),
  /** Where the other nodes reach this one; http://<host>:<port> when not given. */
  nodeUrl: z.url().optional(),
  heartbeatMs: intFrom(100, 60_000).default(1000),
  nodeLostMs: intFrom(500, 600_000).default(5000),
  forwardTimeoutMs: intFrom(100, 600_000).default(10_000),
});
export type ServerConfig = z.infer<typeof ServerConfig>;

type Env = Record<string, string | undefined>;

/** Flags win over environment variables, which win over defaults. */
export function loadConfig(argv: readonly string[], env: Env): ServerConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      demo: { type: 'boolean' },
      dev: { type: 'boolean' },
      'allow-bypass': { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
    },
    strict: true,
  });
  const raw = {
    host: values.host ?? env.VIBES_HOST,
    port: values.port ?? env.VIBES_PORT,
    home: vibesHome(env),
    claudePath: env.VIBES_CLAUDE_PATH || undefined,
    demo: values.demo === undefined ? env.VIBES_DEMO : String(values.demo),
    dev: values.dev === undefined ? env.VIBES_DEV : String(values.dev),
    allowBypass: values['allow-bypass'] === undefined ? env.VIBES_ALLOW_BYPASS : String(values['allow-bypass']),
    defaultCwd: resolve(env.VIBES_DEFAULT_CWD || process.cwd()),
    disconnectGraceMs: env.VIBES_DISCONNECT_GRACE_MS,
    replayRingSize: env.VIBES_REPLAY_RING_SIZE,
    maxSessions: env.VIBES_MAX_SESSIONS,
    maxEventClients: env.VIBES_MAX_EVENT_CLIENTS,
    maxEventClientsPerDevice: env.VIBES_MAX_EVENT_CLIENTS_PER_DEVICE,
    clientBufferBytes: env.VIBES_CLIENT_BUFFER_BYTES,
    clientStallMs: env.VIBES_CLIENT_STALL_MS,
    pingMs: env.VIBES_PING_MS,
    maxBodyBytes: env.VIBES_MAX_BODY_BYTES,
    rateLimitPerSecond: env.VIBES_RATE_LIMIT_PER_SECOND,
    rateLimitBurst: env.VIBES_RATE_LIMIT_BURST,
    allowedHosts: list(env.VIBES_ALLOWED_HOSTS),
    token: env.VIBES_TOKEN || undefined,
    anonymousRateLimitPerSecond: env.VIBES_ANONYMOUS_RATE_LIMIT_PER_SECOND,
    anonymousRateLimitBurst: env.VIBES_ANONYMOUS_RATE_LIMIT_BURST,
    deviceIdleDays: env.VIBES_DEVICE_IDLE_DAYS,
    pairingCodeTtlSeconds: env.VIBES_PAIRING_CODE_TTL_S,
    headersTimeoutMs: env.VIBES_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.VIBES_REQUEST_TIMEOUT_MS,
    maxAnonymousConnections: env.VIBES_MAX_ANONYMOUS_CONNECTIONS,
    maxDatabaseMb: env.VIBES_MAX_DATABASE_MB,
    store: env.VIBES_STORE || undefined,
    retentionDays: env.VIBES_RETENTION_DAYS || undefined,
    sweepMs: env.VIBES_SWEEP_MS || undefined,
    tlsCert: values['tls-cert'] ?? (env.VIBES_TLS_CERT || undefined),
    tlsKey: values['tls-key'] ?? (env.VIBES_TLS_KEY || undefined),
    trustedProxies: list(env.VIBES_TRUSTED_PROXY),
    trustedProxySecret: env.VIBES_TRUSTED_PROXY_SECRET || undefined,
    publicUrl: env.VIBES_PUBLIC_URL || undefined,
    notifyUrl: env.VIBES_NOTIFY_URL || undefined,
    notifyFormat: env.VIBES_NOTIFY_FORMAT || undefined,
    notifySecret: env.VIBES_NOTIFY_SECRET || undefined,
    pushAllowPrivate: env.VIBES_PUSH_ALLOW_PRIVATE,
    notifyTurnSeconds: env.VIBES_NOTIFY_TURN_S || undefined,
    vapidSubject: env.VIBES_VAPID_SUBJECT || undefined,
    redisUrl: env.VIBES_REDIS_URL || undefined,
    databaseUrl: env.VIBES_DATABASE_URL || undefined,
    redisPrefix: env.VIBES_REDIS_PREFIX || undefined,
    nodeName: env.VIBES_NODE_NAME || undefined,
    nodeUrl: env.VIBES_NODE_URL || undefined,
    heartbeatMs: env.VIBES_HEARTBEAT_MS || undefined,
    nodeLostMs: env.VIBES_NODE_LOST_MS || undefined,
    forwardTimeoutMs: env.VIBES_FORWARD_TIMEOUT_MS || undefined,
  };
  if ((raw.tlsCert === undefined) !== (raw.tlsKey === undefined)) throw invalid('HTTPS needs both --tls-cert and --tls-key');
  const parsed = ServerConfig.safeParse(Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)));
  // zod echoes no input values for these checks, so a bad VIBES_TOKEN is never printed.
  if (!parsed.success) throw invalid(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  if ((parsed.data.redisUrl === undefined) !== (parsed.data.databaseUrl === undefined)) {
    throw invalid('a cluster needs both VIBES_REDIS_URL and VIBES_DATABASE_URL');
  }
  const { trustedProxies, trustedProxySecret } = parsed.data;
  if (trustedProxies.length > 0 && trustedProxySecret === undefined) {
    throw invalid(
      'VIBES_TRUSTED_PROXY needs VIBES_TRUSTED_PROXY_SECRET, a secret the proxy adds as the X-Vibes-Proxy-Secret header ' +
        '(make one with `openssl rand -base64 32`): every local process can connect from ' +
        "the proxy's address and claim any X-Forwarded-For or X-Forwarded-Proto. Without a proxy that can add a header " +
        '(Tailscale Serve), leave VIBES_TRUSTED_PROXY unset: see "Reaching vibes over HTTPS" in docs/notifications.md',
    );
  }
  if (trustedProxies.length === 0 && trustedProxySecret !== undefined) {
    throw invalid('VIBES_TRUSTED_PROXY_SECRET is set but VIBES_TRUSTED_PROXY (the proxy addresses) is not');
  }
  return parsed.data;
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function invalid(problem: string): Error {
  return new Error(`Invalid vibes configuration: ${problem}`);
}
