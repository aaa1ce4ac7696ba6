import { randomBytes } from 'node:crypto';

// Every setting, with its default. The README's configuration table mirrors this file.

export interface QueueConfig {
  id: string;
  name: string;
}

export interface AnalystConfig {
  id: string;
  username: string;
  displayName: string;
  /** Plain password from configuration; hashed with scrypt at start-up and then dropped. */
  password: string;
  queues: string[];
}

export interface Config {
  port: number;
  host: string;
  /** Origin used in customer links, e.g. https://support.example.com; derived from the request when empty. */
  publicUrl: string;
  queues: QueueConfig[];
  analysts: AnalystConfig[];
  /** True when the demo analyst's password was generated (so the start-up banner prints it). */
  demoPasswordGenerated: boolean;
  /** How long a waiting ticket survives after its customer disconnected (covers a page reload). */
  customerGraceMs: number;
  /** How long a link an analyst created stays valid before the customer first opens it. */
  linkTtlMs: number;
  /** How long an analyst's sign-in lasts. */
  loginTtlMs: number;
  logLevel: string;
  /** Directory of the built web bundle. */
  webRoot: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const queues = parseQueues(env.QUEUES ?? 'general:General support,printers:Printers');
  const demoPassword = env.DEMO_PASSWORD ?? '';
  return {
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    publicUrl: (env.PUBLIC_URL ?? '').replace(/\/+$/, ''),
    queues,
    analysts: [
      {
        id: 'demo',
        username: env.DEMO_USER || 'demo',
        displayName: env.DEMO_NAME || 'Demo Analyst',
        password: demoPassword || randomBytes(9).toString('base64url'),
        queues: queues.map((q) => q.id),
      },
    ],
    demoPasswordGenerated: demoPassword === '',
    customerGraceMs: int(env, 'CUSTOMER_GRACE_MS', 60_000, 0),
    linkTtlMs: int(env, 'LINK_TTL_MS', 30 * 60_000, 1000),
    loginTtlMs: int(env, 'LOGIN_TTL_MS', 12 * 60 * 60_000, 1000),
    logLevel: env.LOG_LEVEL || 'info',
    webRoot: env.WEB_ROOT || new URL('../web/dist/', import.meta.url).pathname,
  };
}
