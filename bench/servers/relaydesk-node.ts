// Relay Desk's real signaling app, alone in its process, for `npm run bench -- signaling` and
// `queue`. BENCH_QUEUES: how many queues (default 2: general, printers); REDIS_URL: a node of a
// scale-out tier on that Redis.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../signaling/app.js';
import { loadConfig } from '../../signaling/config.js';
import { serveMemoryProbe } from './child-io.js';

const count = Number(process.env.BENCH_QUEUES ?? 0);
const QUEUES = count > 0 ? Array.from({ length: count }, (_, i) => `q${i}:Queue ${i}`).join(',') : 'general:General,printers:Printers';
// A node of a scale-out tier keeps its durable copy of the accounts in a folder of its own.
const redis = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, NODE_ID: process.env.NODE_ID ?? 'bench', DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-node-')) } : {};
const base = loadConfig({ LOG_LEVEL: 'error', DATA_DIR: '', QUEUES, ...redis });
const config = {
  ...base,
  // A second account for a second set of consoles (a new console of an account resumes that account's sessions).
  analysts: ['bench', 'bench2'].map((id) => ({ id, username: id, displayName: `Bench Analyst ${id}`, password: 'bench-password', queues: base.queues.map((q) => q.id), role: 'admin' as const })),
  ticketRatePerMinute: 1e9,
  loginRatePerMinute: 1e9,
  frameRatePerSecond: 1e6,
  // Thousands of tickets from one address (the load generator): the waiting caps out of the way.
  waitingPerQueueMax: 1e6,
  waitingPerAddressMax: 1e6,
};
const app = await buildApp(config, { logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
serveMemoryProbe((app.server.address() as { port: number }).port);
