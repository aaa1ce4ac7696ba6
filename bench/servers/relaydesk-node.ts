// Relay Desk's real signaling app, alone in its process, for `npm run bench -- signaling`.
import { buildApp } from '../../signaling/app.js';
import { loadConfig } from '../../signaling/config.js';
import { serveMemoryProbe } from './child-io.js';

const config = {
  ...loadConfig({ LOG_LEVEL: 'error', DATA_DIR: '' }),
  analysts: [{ id: 'bench', username: 'bench', displayName: 'Bench Analyst', password: 'bench-password', queues: ['general', 'printers'], role: 'admin' as const }],
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
