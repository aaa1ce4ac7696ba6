import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createAnalyst, readyStatus, signIn } from '../helpers/api-client.js';
import { startRedis } from '../helpers/redis.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { until } from '../helpers/until.js';
import { createTicket, login, TestClient } from '../helpers/ws-client.js';

// Redis without persistence, as an ops team might run it, and nodes that restart: Redis is a
// cache of the accounts, each node's DATA_DIR holds the durable copy.
const redis = await startRedis();
/** A data folder, removed when the file's tests end. */
const made: string[] = [];
function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-durable-'));
  made.push(dir);
  return dir;
}
const dirs = { a: tmp(), b: tmp() };
const node = (id: 'a' | 'b', port = 0) => startServer({ redisUrl: redis.url, nodeId: id, dataDir: dirs[id] }, {}, port);
let a: RunningServer = await node('a');
let b: RunningServer = await node('b');
t.teardown(async () => {
  await a.close();
  await b.close();
  await redis.stop();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});


const accountsOn = (id: 'a' | 'b') => (JSON.parse(readFileSync(join(dirs[id], 'accounts.json'), 'utf8')) as { accounts: { username: string }[] }).accounts.map((x) => x.username);

t.test('an analyst made on node A survives Redis restarting empty, then node B and node A restarting', async (t) => {
  const admin = await signIn(a.url, 'alice', 'alice-password');
  t.equal(await createAnalyst(a.url, admin.cookie, 'vera', 'vera-password-1'), 201);
  await until('node B knows vera', async () => (await signIn(b.url, 'vera', 'vera-password-1')).status === 200, 10_000, 50);
  t.ok(accountsOn('a').includes('vera') && accountsOn('b').includes('vera'), 'both nodes keep a durable copy');

  await a.close();
  await b.close();
  await redis.restart();
  b = await node('b');
  a = await node('a');
  t.equal((await signIn(a.url, 'vera', 'vera-password-1')).status, 200, 'vera signs in on node A');
  t.equal((await signIn(b.url, 'vera', 'vera-password-1')).status, 200, 'and on node B');
  t.ok(accountsOn('a').includes('vera'), 'node A\'s own file still has her');
});

t.test('a node that was down while an account changed cannot roll the change back', async (t) => {
  await b.close();
  const admin = await signIn(a.url, 'alice', 'alice-password');
  t.equal(await createAnalyst(a.url, admin.cookie, 'walt', 'walt-password-1'), 201, 'walt is made while node B is down');
  await a.close();
  await redis.restart();
  // B's copy is older (no walt) and B starts first, filling the empty store with it.
  b = await node('b');
  t.equal((await signIn(b.url, 'walt', 'walt-password-1')).status, 401, 'node B alone does not know walt yet');
  a = await node('a');
  t.equal((await signIn(a.url, 'walt', 'walt-password-1')).status, 200, 'node A brings its newer copy back');
  await until('node B takes the newer copy', async () => (await signIn(b.url, 'walt', 'walt-password-1')).status === 200, 10_000, 50);
  t.ok(accountsOn('b').includes('walt'), 'and writes it to its own file');
});

t.test('a running node puts its accounts back when Redis restarts empty under it', async (t) => {
  await redis.restart();
  await until('node A refilled the store', async () => (await signIn(b.url, 'vera', 'vera-password-1')).status === 200, 10_000, 50);
  const admin = await signIn(b.url, 'alice', 'alice-password');
  t.equal(await createAnalyst(b.url, admin.cookie, 'xena', 'xena-password-1'), 201, 'a change after the refill');
  await until('node A sees it', async () => (await signIn(a.url, 'xena', 'xena-password-1')).status === 200, 10_000, 50);
  t.equal((await signIn(a.url, 'walt', 'walt-password-1')).status, 200, 'nothing older was lost');
});

t.test('/readyz answers 503 while Redis is unreachable, 200 once it is back', async (t) => {
  t.equal((await readyStatus(a.url)).status, 200);
  await redis.halt();
  await until('readiness fails', async () => (await readyStatus(a.url)).status === 503, 10_000, 50);
  t.match((await readyStatus(a.url)).body, /store-unreachable/);
  t.equal((await fetch(`${a.url}/healthz`)).status, 200, 'liveness stays: the process is fine, only its store is gone');
  await redis.resume();
  await until('readiness is back', async () => (await readyStatus(a.url)).status === 200, 15_000, 50);
  t.pass('ready again');
});

t.test('a waiting ticket lost with an empty Redis leaves every node\'s queue, not stale in a replica', async (t) => {
  const analyst = await TestClient.connect(a.wsUrl, { cookie: await login(a.url, 'alice') });
  t.teardown(() => analyst.close());
  await analyst.next('queue.snapshot');
  const ticket = await createTicket(b.url, { name: 'Lost Lena' });
  await analyst.until('queue.ticketUpserted', (f) => f.ticket.id === ticket.ticketId);
  await redis.restart();
  const removed = await analyst.until('queue.ticketRemoved', (f) => f.ticketId === ticket.ticketId, 15_000);
  t.ok(removed, 'node A drops the ticket Redis no longer has');
  await until('node B dropped it too', () => !b.app.relay.store.get(ticket.ticketId), 10_000, 50);
  t.notOk(a.app.relay.store.get(ticket.ticketId), 'neither replica keeps it');
});

t.test('a node started before Redis waits for it (containers start together), and gives up clearly', async (t) => {
  await redis.halt();
  const starting = startServer({ redisUrl: redis.url, nodeId: 'early', dataDir: tmp() });
  await new Promise((r) => setTimeout(r, 1000));
  await redis.resume();
  const early = await starting;
  t.teardown(() => early.close());
  t.equal((await readyStatus(early.url)).status, 200, 'up and ready once Redis answers');
  await t.rejects(
    startServer({ redisUrl: 'redis://127.0.0.1:1', nodeId: 'never', dataDir: tmp(), redisConnectWaitMs: 600 }),
    /Cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*\(tried for 1 s\)\. Check REDIS_URL/,
    'an unreachable store ends the start with what to check',
  );
});
