import t from 'tap';
import { startRedis } from '../helpers/redis.js';
import { startServer } from '../helpers/server.js';
import { createTicket, login, TestClient } from '../helpers/ws-client.js';

// Two signaling nodes sharing one real redis-server, as behind a load balancer.
const redis = await startRedis();
// A closed page's session ends after CLOSED_GRACE_MS: short here, so each test starts clean.
const nodeA = await startServer({ redisUrl: redis.url, nodeId: 'a', closedGraceMs: 300 }, { sweepIntervalMs: 50 });
const nodeB = await startServer({ redisUrl: redis.url, nodeId: 'b', closedGraceMs: 300 }, { sweepIntervalMs: 50 });
t.teardown(async () => {
  await nodeA.close();
  await nodeB.close();
  await redis.stop();
});

t.test('a customer on node A and an analyst on node B see each other through a whole session', async (t) => {
  const cookie = await login(nodeA.url, 'alice');
  const analyst = await TestClient.connect(nodeB.wsUrl, { cookie }); // signed in on A, connected to B
  await analyst.next('queue.snapshot');
  const ticket = await createTicket(nodeA.url, { name: 'Cross Node' });
  const customer = await TestClient.connect(nodeA.wsUrl, { token: ticket.token });
  await customer.next('ticket.status');
  const online = await analyst.until('queue.ticketUpserted', (f) => f.ticket.id === ticket.ticketId && f.ticket.customerOnline);
  t.equal(online.ticket.name, 'Cross Node', 'node B shows node A\'s ticket live');

  analyst.send({ type: 'ticket.take', ticketId: ticket.ticketId });
  await analyst.next('session.started');
  t.equal((await customer.until('ticket.status', (f) => f.state === 'offered')).analystName, 'Alice Martin');
  customer.send({ type: 'consent.reply', allow: true });
  await analyst.until('session.state', (f) => f.state === 'consented');
  customer.send({ type: 'signal', data: { type: 'offer', sdp: 'from-A' } });
  t.same((await analyst.next('signal')).data, { type: 'offer', sdp: 'from-A' }, 'relayed A → B');
  analyst.send({ type: 'signal', data: { type: 'answer', sdp: 'from-B' } });
  t.same((await customer.next('signal')).data, { type: 'answer', sdp: 'from-B' }, 'relayed B → A');

  customer.socket.close(1001);
  t.equal((await analyst.until('session.presence', (f) => !f.customer)).analyst, true, 'node B shows the customer away (reconnecting)');
  const closedAt = Date.now();
  const ended = await analyst.until('session.state', (f) => f.state === 'ended', 20_000);
  t.comment(`ended ${Date.now() - closedAt} ms after the close`);
  t.equal(ended.endReason, 'customerClosed', 'the customer\'s page closed on node A ends the session on node B after the grace');
  await analyst.close();
});

t.test('two analysts on two nodes take the same ticket: exactly one wins', async (t) => {
  const [alice, bob] = await Promise.all([
    TestClient.connect(nodeA.wsUrl, { cookie: await login(nodeA.url, 'alice') }),
    TestClient.connect(nodeB.wsUrl, { cookie: await login(nodeB.url, 'bob') }),
  ]);
  await Promise.all([alice.next('queue.snapshot'), bob.next('queue.snapshot')]);
  for (let round = 0; round < 10; round++) {
    const ticket = await createTicket(round % 2 ? nodeA.url : nodeB.url);
    const customer = await TestClient.connect((round % 2 ? nodeB : nodeA).wsUrl, { token: ticket.token });
    await customer.next('ticket.status');
    await Promise.all([alice, bob].map((c) => c.until('queue.ticketUpserted', (f) => f.ticket.id === ticket.ticketId && f.ticket.customerOnline)));
    const marks = [alice.frames.length, bob.frames.length];
    alice.send({ type: 'ticket.take', ticketId: ticket.ticketId });
    bob.send({ type: 'ticket.take', ticketId: ticket.ticketId });
    // Read each analyst's answer from the frames that arrived after the take (no pending waiters left behind).
    const outcomes = await Promise.all([alice, bob].map(async (c, i) => {
      for (let waited = 0; waited < 5000; waited += 20) {
        const answer = c.frames.slice(marks[i]).find((f) =>
          (f.type === 'session.started' && f.sessionId === ticket.ticketId) || (f.type === 'error' && f.ref === 'ticket.take'));
        if (answer) return answer.type === 'error' ? answer.code : 'won';
        await new Promise((r) => setTimeout(r, 20));
      }
      return 'no answer';
    }));
    t.same([...outcomes].sort(), ['ticket.alreadyTaken', 'won'], `round ${round}: one winner`);
    const winner = outcomes[0] === 'won' ? alice : bob;
    winner.send({ type: 'session.end' });
    await customer.closed;
  }
  await Promise.all([alice.close(), bob.close()]);
});

t.test('queue positions, sign-ins and accounts are shared by the nodes', async (t) => {
  const first = await createTicket(nodeA.url, { queue: 'printers' });
  const second = await createTicket(nodeB.url, { queue: 'printers' });
  const c1 = await TestClient.connect(nodeA.wsUrl, { token: first.token });
  const c2 = await TestClient.connect(nodeB.wsUrl, { token: second.token });
  t.equal((await c1.next('ticket.status')).position, 1);
  t.equal((await c2.next('ticket.status')).position, 2);
  c1.send({ type: 'ticket.cancel' });
  t.equal((await c2.until('ticket.status', (f) => f.position === 1)).position, 1, 'B\'s customer moves up when A\'s leaves');
  await c2.close();

  const admin = await login(nodeA.url, 'alice');
  const created = await fetch(`${nodeA.url}/api/admin/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: admin },
    body: JSON.stringify({ username: 'nina', displayName: 'Nina', password: 'nina-password', role: 'analyst', queues: ['general'] }),
  });
  t.equal(created.status, 201);
  await new Promise((r) => setTimeout(r, 200));
  t.ok(await login(nodeB.url, 'nina'), 'an account created on A signs in on B');
  const logout = await fetch(`${nodeB.url}/api/logout`, { method: 'POST', headers: { cookie: admin } });
  t.equal(logout.status, 200);
  t.equal((await fetch(`${nodeA.url}/api/me`, { headers: { cookie: admin } })).status, 401, 'a logout on B signs out on A');
});
