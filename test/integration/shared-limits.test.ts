import t, { type Test } from 'tap';
import { startRedis } from '../helpers/redis.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { login, upgradeAnswer } from '../helpers/ws-client.js';

// Two nodes on one real redis-server, as behind a load balancer: the rate limits, the lock-out and
// the known addresses are one budget for both, not one per node.
const redis = await startRedis();
t.teardown(() => redis.stop());
let n = 0;

async function twoNodes(t: Test, overrides: Parameters<typeof startServer>[0] = {}): Promise<[RunningServer, RunningServer]> {
  const shared = { redisUrl: redis.url, redisPrefix: `limits${n++}:`, trustProxy: ['127.0.0.1'], ...overrides };
  const a = await startServer({ ...shared, nodeId: 'a' });
  const b = await startServer({ ...shared, nodeId: 'b' });
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  return [a, b];
}

const signIn = (node: RunningServer, username: string, password: string, from = '198.51.100.1') =>
  fetch(`${node.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ username, password }) }).then((r) => r.status);

t.test('40 concurrent wrong sign-ins for one user over two nodes: LOGIN_FAILURES_BEFORE_LOCK password checks in all', async (t) => {
  const nodes = await twoNodes(t, { loginFailuresBeforeLock: 5, loginLockMs: 60_000 });
  let hashed = 0;
  for (const node of nodes) {
    const accounts = node.app.relay.accounts;
    const authenticate = accounts.authenticate.bind(accounts);
    accounts.authenticate = async (...args: Parameters<typeof authenticate>) => {
      hashed += 1;
      return authenticate(...args);
    };
  }
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(nodes[i % 2], 'bob', `guess-${i}`, `198.51.100.${i + 1}`)));
  t.equal(hashed, 5, 'five password checks over both nodes, not five on each');
  t.equal(answers.filter((s) => s === 429).length, 35, 'the rest locked, on whichever node they came');
  t.equal(await signIn(nodes[0], 'bob', 'bob-password', '192.0.2.9'), 429, 'the right password too, on either node');
  t.equal(await signIn(nodes[1], 'bob', 'bob-password', '192.0.2.9'), 429);
});

t.test('per-address limits count on both nodes: sign-ins, tickets and helper pairings', async (t) => {
  const [a, b] = await twoNodes(t, { loginRatePerMinute: 3, ticketRatePerMinute: 3 });
  const logins = [];
  for (let i = 0; i < 5; i++) logins.push(await signIn(i % 2 ? b : a, 'carol', 'carol-password', '203.0.113.7'));
  t.same(logins, [200, 200, 200, 429, 429], 'three sign-ins a minute from one address, whichever node');
  t.equal(await signIn(b, 'carol', 'carol-password', '203.0.113.8'), 200, 'another address has its own budget');

  const ticket = (node: RunningServer) =>
    fetch(`${node.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '2001:db8:7:7::1' },
      body: JSON.stringify({ queue: 'general', name: 'Ann', email: 'ann@example.com', phone: '+33 1 23 45 67 89' }),
    }).then((r) => r.status);
  t.same([await ticket(a), await ticket(b), await ticket(a), await ticket(b)], [201, 201, 201, 429], 'tickets: three a minute over both nodes');

  const pairing = [];
  for (let i = 0; i < 11; i++) pairing.push((await upgradeAnswer(`${(i % 2 ? b : a).wsUrl}/helper?code=000000`, { 'x-forwarded-for': '192.0.2.200' })).status);
  t.equal(pairing.filter((s) => s === 429).length, 1, 'helper pairings: ten a minute over both nodes, the eleventh refused');
  t.equal(pairing.at(-1), 429);
});

t.test('an address where the owner signed in through one node is known to the other; a new password forgets it', async (t) => {
  const [a, b] = await twoNodes(t, { loginFailuresBeforeLock: 3, loginLockMs: 60_000 });
  t.equal(await signIn(a, 'bob', 'bob-password', '203.0.113.5'), 200, 'bob signs in through node A');
  const attacker = [];
  for (let i = 0; i < 4; i++) attacker.push(await signIn(i % 2 ? a : b, 'bob', `guess-${i}`, `198.51.100.${i + 1}`));
  t.same(attacker, [401, 401, 401, 429], 'an attacker locks the user name through both nodes');
  t.equal(await signIn(b, 'bob', 'bob-password', '203.0.113.5'), 200, 'bob, through node B, from where he signed in on A: not kept out');

  const admin = await login(a.url, 'alice');
  const changed = await fetch(`${b.url}/api/admin/accounts/bob`, { method: 'PATCH', headers: { 'content-type': 'application/json', cookie: admin }, body: JSON.stringify({ password: 'a-new-bob-password' }) });
  t.equal(changed.status, 200, 'an admin sets a new password for bob');
  for (let i = 0; i < 3; i++) await signIn(a, 'bob', `guess-again-${i}`, `198.51.100.${i + 10}`);
  t.equal(await signIn(a, 'bob', 'a-new-bob-password', '203.0.113.5'), 429, 'after the new password, the old address is a stranger again: locked like any other');
});
