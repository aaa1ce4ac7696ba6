import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../signaling/app.js';
import { loadConfig, type AnalystConfig, type Config } from '../../signaling/config.js';

export const ANALYSTS: AnalystConfig[] = [
  { id: 'alice', username: 'alice', displayName: 'Alice Martin', password: 'alice-password', queues: ['general', 'printers'], role: 'admin' },
  { id: 'bob', username: 'bob', displayName: 'Bob Durand', password: 'bob-password', queues: ['general'] },
  { id: 'carol', username: 'carol', displayName: 'Carol Petit', password: 'carol-password', queues: ['printers'] },
];

export function testConfig(overrides: Partial<Config> = {}): Config {
  // Accounts in memory; rate limits far above what one test sends from 127.0.0.1 (tests of the
  // limits lower them explicitly).
  return {
    ...loadConfig({ LOG_LEVEL: 'warn', DATA_DIR: '' }),
    analysts: ANALYSTS,
    loginRatePerMinute: 10_000,
    ticketRatePerMinute: 10_000,
    // Cheaper hashes than production's (2^17): tests sign in hundreds of times. The stored
    // parameters and the rehash are tested at production strength (test/unit/signaling/auth).
    passwordScryptN: 1 << 14,
    // A node on Redis keeps its durable copy of the accounts in a DATA_DIR of its own.
    ...(overrides.redisUrl ? { dataDir: nodeDataDir() } : {}),
    ...overrides,
  };
}

function nodeDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-node-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface RunningServer {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

/** The real server, listening on an ephemeral loopback port. */
export async function startServer(overrides: Partial<Config> = {}, options: AppOptions = {}, port = 0): Promise<RunningServer> {
  const app = await buildApp(testConfig(overrides), { logger: false, ...options });
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server did not bind a TCP port');
  const url = `http://127.0.0.1:${address.port}`;
  return { app, url, wsUrl: `ws://127.0.0.1:${address.port}/ws`, close: () => app.close() };
}
