import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkTimeZone, HoursError, parseQueueHours, type WeeklyHours } from './queue-hours.js';

// Every setting, with its default. The README's configuration table mirrors this file.

export interface QueueConfig {
  id: string;
  name: string;
}

/** An account to create when the account store is empty (the demo admin; test fixtures). */
export interface AnalystConfig {
  id: string;
  username: string;
  displayName: string;
  /** Plain password; hashed with scrypt when the account is created, never stored as is. */
  password: string;
  queues: string[];
  role?: 'admin' | 'analyst';
}

export interface Config {
  port: number;
  host: string;
  /** Origin used in customer links, e.g. https://support.example.com; derived from the request when empty. */
  publicUrl: string;
  queues: QueueConfig[];
  /** Opening hours by queue id (QUEUE_HOURS); a queue not named is always open. */
  queueHours: Map<string, WeeklyHours>;
  /** The time zone QUEUE_HOURS are in (QUEUE_TIMEZONE, an IANA name). */
  queueTimeZone: string;
  /** Accounts created on first start, when the store is empty. */
  analysts: AnalystConfig[];
  /** Where accounts are kept (DATA_DIR/accounts.json); null keeps them in memory only. */
  dataDir: string | null;
  /** Failed sign-ins (per user name, and per address) before the lock-out starts. */
  loginFailuresBeforeLock: number;
  /** First lock-out; it doubles with each further failure, up to 15 minutes. */
  loginLockMs: number;
  /** Requests per minute and per address on sign-in and on ticket creation. */
  loginRatePerMinute: number;
  ticketRatePerMinute: number;
  /** WebSocket frames per second per connection (burst twice that). */
  frameRatePerSecond: number;
  /** True when the demo analyst's password was generated (so the start-up banner prints it). */
  demoPasswordGenerated: boolean;
  /** How long a waiting ticket survives after its customer disconnected (covers a page reload). */
  customerGraceMs: number;
  /** How long a session waits for a member whose connection dropped (network blip, server restart). */
  memberGraceMs: number;
  /** A session member whose page closed its socket on purpose (a closed tab, or a reload): the session waits this long for the page to come back. */
  closedGraceMs: number;
  /** How often every socket is pinged; one that misses a ping is dropped (ws/keepalive.ts). */
  wsPingMs: number;
  /** How long a link an analyst created stays valid before the customer first opens it. */
  linkTtlMs: number;
  /** How long an analyst's sign-in lasts. */
  loginTtlMs: number;
  /** coturn's static-auth-secret; empty disables TURN (peers then use host and STUN candidates only). */
  turnSecret: string;
  /** TURN URLs handed to browsers, turns: on 443 first. */
  turnUrls: string[];
  stunUrls: string[];
  /** Lifetime of the TURN credentials issued to each session member. */
  turnCredentialTtlS: number;
  iceTransportPolicy: 'all' | 'relay';
  /** HTTPS certificate and key (PEM contents), when the server terminates TLS itself. */
  tls: { cert: string; key: string } | null;
  /** Fastify trustProxy: false, or the addresses/CIDRs of the proxies to believe. */
  trustProxy: false | string[];
  /** HSTS (sent when the server terminates TLS) also covers subdomains. */
  hstsIncludeSubdomains: boolean;
  /** scrypt's cost N for new password hashes (a power of two; stored with each hash). */
  passwordScryptN: number;
  /** Waiting tickets one queue holds at most; a new request is refused (queue.full) beyond. */
  /** The issuer authenticator apps show next to the account (TOTP_ISSUER). */
  totpIssuer: string;
  waitingPerQueueMax: number;
  /** Waiting tickets one client address (/64 for IPv6) may have in all queues; beyond, queue.tooManyFromAddress. */
  waitingPerAddressMax: number;
  /** A waiting ticket ends (waitedTooLong) after this long, whoever keeps its socket open. */
  maxWaitMs: number;
  /** Bearer token required on /metrics; empty leaves it open (keep it off the public proxy). */
  metricsToken: string;
  /** On SIGTERM: how long /readyz fails (so load balancers stop sending) before sockets are closed. */
  shutdownGraceMs: number;
  logLevel: string;
  /** Redis for several signaling nodes (tickets, sign-ins, accounts, relays); empty: one node, in memory. */
  redisUrl: string;
  redisPrefix: string;
  /** How long a starting node waits for Redis to answer before it gives up. */
  redisConnectWaitMs: number;
  /** This node's name on the bus (unique per process). */
  nodeId: string;
  /** Directory of the built web bundle. */
  webRoot: string;
  /** Directory of the built helper programs (npm run helper:build). */
  helperDir: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets). */
function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (!file) return env[name];
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new ConfigError(`${name}_FILE points to "${file}", which cannot be read.`);
  }
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** TURN_URLS when given; else, from TURN_HOST, TLS on 443 (firewall-proof) and UDP 3478. */
function turnUrls(env: NodeJS.ProcessEnv): string[] {
  const explicit = list(env.TURN_URLS);
  if (explicit.length > 0) return explicit;
  const host = env.TURN_HOST;
  return host ? [`turns:${host}:443?transport=tcp`, `turn:${host}:3478?transport=udp`] : [];
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max}, got "${raw}".`);
  }
  return value;
}

/** "general:General support,printers:Printers" → queue list. */
export function parseQueues(raw: string): QueueConfig[] {
  const queues = raw.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const [id, ...rest] = part.split(':');
    const name = rest.join(':').trim() || id;
    if (!/^[a-z0-9-]{1,32}$/.test(id)) {
      throw new ConfigError(`QUEUES: queue id "${id}" must be 1-32 lowercase letters, digits or dashes.`);
    }
    return { id, name };
  });
  if (queues.length === 0) throw new ConfigError('QUEUES must name at least one queue, e.g. "general:General support".');
  return queues;
}

function queueHours(env: NodeJS.ProcessEnv, queues: QueueConfig[]): Pick<Config, 'queueHours' | 'queueTimeZone'> {
  const queueTimeZone = env.QUEUE_TIMEZONE || 'UTC';
  try {
    checkTimeZone(queueTimeZone);
    return { queueHours: parseQueueHours(env.QUEUE_HOURS ?? '', queues.map((q) => q.id)), queueTimeZone };
  } catch (err) {
    if (err instanceof HoursError) throw new ConfigError(err.message);
    throw err;
  }
}

function tls(env: NodeJS.ProcessEnv): Config['tls'] {
  const { TLS_CERT: certPath, TLS_KEY: keyPath } = env;
  if (!certPath && !keyPath) return null;
  if (!certPath || !keyPath) throw new ConfigError('TLS_CERT and TLS_KEY go together: set both paths, or neither.');
  try {
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  } catch (err) {
    throw new ConfigError(`TLS_CERT/TLS_KEY cannot be read: ${(err as Error).message}`);
  }
}

/**
 * "false" (default), or a comma list of the proxies' addresses/CIDRs. "true" is refused: it
 * believes any X-Forwarded-For, so a client could pick the address every rate limit and lock-out
 * keys on. A hop count is refused too: Fastify 5 cannot tell a proxy from a client by counting,
 * so it trusts no hop at all, and the limits would count the proxy as one client.
 */
function trustProxy(raw: string | undefined): Config['trustProxy'] {
  if (!raw || raw === 'false') return false;
  if (raw === 'true') {
    throw new ConfigError('TRUST_PROXY=true would believe any client\'s own X-Forwarded-For (every rate limit keys on that address). Set the addresses of the proxies in front instead, e.g. TRUST_PROXY=127.0.0.1 or TRUST_PROXY=10.0.0.0/8.');
  }
  if (/^\d+$/.test(raw)) {
    throw new ConfigError(`TRUST_PROXY=${raw}: a hop count cannot tell a proxy from a client, so nothing would be believed. Set the addresses of the proxies in front instead, e.g. TRUST_PROXY=127.0.0.1.`);
  }
  return list(raw);
}

/** OWASP's minimum, 2^17, by default; a power of two from 2^14 (tests) to 2^20. */
function scryptN(raw: string | undefined): number {
  if (!raw) return 1 << 17;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 << 14 || n > 1 << 20 || (n & (n - 1)) !== 0) {
    throw new ConfigError('PASSWORD_SCRYPT_N: a power of two from 16384 to 1048576 (default 131072).');
  }
  return n;
}

function nodeId(raw: string | undefined): string {
  if (!raw) return randomBytes(4).toString('hex');
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(raw)) throw new ConfigError('NODE_ID: 1-32 letters, digits, dash or underscore.');
  return raw;
}

function iceTransportPolicy(raw: string | undefined): 'all' | 'relay' {
  if (!raw || raw === 'all') return 'all';
  if (raw === 'relay') return 'relay';
  throw new ConfigError(`ICE_TRANSPORT_POLICY must be "all" or "relay", got "${raw}".`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const queues = parseQueues(env.QUEUES ?? 'general:General support,printers:Printers');
  const demoPassword = secret(env, 'DEMO_PASSWORD') ?? '';
  const turnSecret = secret(env, 'TURN_SECRET');
  if (turnSecret === undefined && (env.TURN_HOST || env.TURN_URLS)) {
    throw new ConfigError('TURN_HOST/TURN_URLS need TURN_SECRET (the same value as static-auth-secret in coturn).');
  }
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    publicUrl: (env.PUBLIC_URL ?? '').replace(/\/+$/, ''),
    queues,
    ...queueHours(env, queues),
    analysts: [
      {
        id: 'demo',
        username: env.DEMO_USER || 'demo',
        displayName: env.DEMO_NAME || 'Demo Analyst',
        // 12 random bytes: 16 characters, well over the 10-character minimum.
        password: demoPassword || randomBytes(12).toString('base64url'),
        queues: queues.map((q) => q.id),
        role: 'admin',
      },
    ],
    dataDir: env.DATA_DIR === '' ? null : env.DATA_DIR ?? 'data',
    loginFailuresBeforeLock: int(env, 'LOGIN_FAILURES_BEFORE_LOCK', 5, 1, 1000),
    loginLockMs: int(env, 'LOGIN_LOCK_MS', 30_000, 1000),
    loginRatePerMinute: int(env, 'LOGIN_RATE_PER_MINUTE', 20, 1),
    ticketRatePerMinute: int(env, 'TICKET_RATE_PER_MINUTE', 10, 1),
    frameRatePerSecond: int(env, 'FRAME_RATE_PER_SECOND', 50, 1),
    demoPasswordGenerated: demoPassword === '',
    customerGraceMs: int(env, 'CUSTOMER_GRACE_MS', 60_000, 0),
    linkTtlMs: int(env, 'LINK_TTL_MS', 30 * 60_000, 1000),
    // Longer than a network change takes (Wi-Fi to a tether, 30 s offline): the session waits it out.
    memberGraceMs: int(env, 'MEMBER_GRACE_MS', 45_000, 0),
    // A reload is back in well under a second; a closed tab must end the session within 10 s (the sweep runs each second).
    closedGraceMs: int(env, 'CLOSED_GRACE_MS', 6_000, 0, 60_000),
    wsPingMs: int(env, 'WS_PING_MS', 25_000, 100, 300_000),
    loginTtlMs: int(env, 'LOGIN_TTL_MS', 12 * 60 * 60_000, 1000),
    turnSecret: turnSecret ?? '',
    turnUrls: turnUrls(env),
    stunUrls: list(env.STUN_URLS),
    turnCredentialTtlS: int(env, 'TURN_CREDENTIAL_TTL_S', 30 * 60, 60, 24 * 3600),
    iceTransportPolicy: iceTransportPolicy(env.ICE_TRANSPORT_POLICY),
    tls: tls(env),
    trustProxy: trustProxy(env.TRUST_PROXY),
    hstsIncludeSubdomains: env.HSTS_INCLUDE_SUBDOMAINS === 'true',
    passwordScryptN: scryptN(env.PASSWORD_SCRYPT_N),
    totpIssuer: (env.TOTP_ISSUER ?? 'Relay Desk').trim() || 'Relay Desk',
    waitingPerQueueMax: int(env, 'WAITING_PER_QUEUE_MAX', 200, 1, 100_000),
    waitingPerAddressMax: int(env, 'WAITING_PER_ADDRESS_MAX', 10, 1, 100_000),
    maxWaitMs: int(env, 'MAX_WAIT_MS', 2 * 60 * 60_000, 60_000),
    metricsToken: secret(env, 'METRICS_TOKEN') ?? '',
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 5000, 0, 120_000),
    logLevel: env.LOG_LEVEL || 'info',
    redisUrl: secret(env, 'REDIS_URL') ?? '',
    redisPrefix: env.REDIS_PREFIX || 'relaydesk:',
    redisConnectWaitMs: int(env, 'REDIS_CONNECT_WAIT_MS', 30_000, 0, 600_000),
    nodeId: nodeId(env.NODE_ID),
    webRoot: env.WEB_ROOT || new URL('../web/dist/', import.meta.url).pathname,
    helperDir: env.HELPER_DIR || new URL('../dist/helper/', import.meta.url).pathname,
  };
}
