import t from 'tap';
import { CLOSE_CODES, LIMITS } from '../../protocol/index.js';
import { MAX_INVALID_FRAMES } from '../../signaling/ws/dispatch.js';
import { startServer } from '../helpers/server.js';
import { createTicket, login, takenSession, TestClient } from '../helpers/ws-client.js';

const server = await startServer({ customerGraceMs: 300, closedGraceMs: 300 }, { sweepIntervalMs: 50 });
t.teardown(() => server.close());
const cookies = {
  alice: await login(server.url, 'alice'),
  bob: await login(server.url, 'bob'),
  carol: await login(server.url, 'carol'),
};
const clients: TestClient[] = [];
t.afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  // A closed page's session lasts CLOSED_GRACE_MS (300 ms here): let it end, or the next test's
  // console would take it up again (the newest console of an analyst takes over their session).
  for (let waited = 0; server.app.relay.store.all().some((x) => x.state !== 'waiting') && waited < 3000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
const analyst = async (name: keyof typeof cookies) => {
  const client = await TestClient.connect(server.wsUrl, { cookie: cookies[name] });
  clients.push(client);
  await client.next('queue.snapshot');
  return client;
};
const customer = async (body: Record<string, unknown> = {}) => {
  const ticket = await createTicket(server.url, body);
  const client = await TestClient.connect(server.wsUrl, { token: ticket.token });
  clients.push(client);
  const status = await client.next('ticket.status');
  return { client, ticket, status };
};
/** A customer and an analyst with a consented session between them. */
const consentedSession = async () => {
  const a = await analyst('alice');
  const c = await customer();
  a.send({ type: 'ticket.take', ticketId: c.ticket.ticketId });
  await a.next('session.started');
  await c.client.next('ticket.status');
  c.client.send({ type: 'consent.reply', allow: true });
  t.equal((await a.next('session.state')).state, 'consented');
  return { a, c };
};

t.test('the upgrade authenticates before any frame: no credentials, a bad token or a foreign origin are refused', async (t) => {
  await t.rejects(TestClient.connect(server.wsUrl), { message: 'upgrade refused: 401' });
  await t.rejects(TestClient.connect(server.wsUrl, { token: 'forged-token' }), { message: 'upgrade refused: 401' });
  await t.rejects(TestClient.connect(server.wsUrl, { cookie: 'rd_login=forged' }), { message: 'upgrade refused: 401' });
  await t.rejects(TestClient.connect(server.wsUrl, { cookie: cookies.alice, origin: 'https://evil.example' }), { message: 'upgrade refused: 403' });
});

t.test('an analyst sees only their queues, live: tickets appear, go offline and disappear', async (t) => {
  const carol = await TestClient.connect(server.wsUrl, { cookie: cookies.carol });
  clients.push(carol);
  const snapshot = await carol.next('queue.snapshot');
  t.same(snapshot.queues.map((q) => q.id), ['printers']);
  t.equal(snapshot.analystName, 'Carol Petit');
  const bob = await analyst('bob');

  const c = await customer({ queue: 'printers', name: 'Printer Pat' });
  const added = await carol.next('queue.ticketUpserted');
  t.equal(added.ticket.name, 'Printer Pat');
  const online = await carol.next('queue.ticketUpserted');
  t.equal(online.ticket.customerOnline, true);
  t.same(await bob.pending('queue.ticketUpserted'), [], 'bob is not in printers and hears nothing');

  c.client.send({ type: 'ticket.cancel' });
  const removed = await carol.next('queue.ticketRemoved');
  t.same(removed, { type: 'queue.ticketRemoved', ticketId: c.ticket.ticketId, reason: 'ended' });
  const status = await c.client.next('ticket.status');
  t.equal(status.state, 'ended');
  t.equal(status.endReason, 'cancelled');
  t.equal((await c.client.closed).code, CLOSE_CODES.ended);
});

t.test('customers see their live position, oldest first, and move up when someone ahead leaves', async (t) => {
  const first = await customer({ name: 'First' });
  const second = await customer({ name: 'Second' });
  t.equal(first.status.position, 1);
  t.equal(second.status.position, 2);
  first.client.send({ type: 'ticket.cancel' });
  const moved = await second.client.next('ticket.status');
  t.equal(moved.position, 1);
});

t.test('take → consent → share: both members follow the session states', async (t) => {
  const a = await analyst('alice');
  const c = await customer();
  a.send({ type: 'ticket.take', ticketId: c.ticket.ticketId });
  const started = await a.next('session.started');
  t.equal(started.sessionId, c.ticket.ticketId);
  t.equal(started.ticket.email, 'ann@example.com');
  const offered = await c.client.next('ticket.status');
  t.equal(offered.state, 'offered');
  t.equal(offered.analystName, 'Alice Martin', 'the consent dialog can name the analyst');

  c.client.send({ type: 'consent.reply', allow: true });
  t.equal((await a.next('session.state')).state, 'consented');
  t.equal((await c.client.next('ticket.status')).state, 'consented');
  c.client.send({ type: 'share.state', sharing: true });
  t.equal((await a.next('session.state')).state, 'live');
  c.client.send({ type: 'share.state', sharing: false });
  t.equal((await a.next('session.state')).state, 'consented');

  a.send({ type: 'session.end' });
  const ended = await a.next('session.state');
  t.same([ended.state, ended.endReason], ['ended', 'analystEnded']);
  t.equal((await c.client.until('ticket.status', (f) => f.state === 'ended')).endReason, 'analystEnded');
  t.equal(server.app.relay.store.get(c.ticket.ticketId), undefined, 'nothing is kept after the end');
});

t.test('refusing consent ends the request on both sides', async (t) => {
  const a = await analyst('alice');
  const c = await customer();
  a.send({ type: 'ticket.take', ticketId: c.ticket.ticketId });
  await a.next('session.started');
  c.client.send({ type: 'consent.reply', allow: false });
  const ended = await a.next('session.state');
  t.same([ended.state, ended.endReason], ['ended', 'refused']);
  t.equal((await c.client.closed).code, CLOSE_CODES.ended);
});

t.test('the consent dialog brings the customer its ICE servers; an offer sent right behind Allow is relayed, one behind a refusal is not', async (t) => {
  const a = await analyst('alice');
  const c = await customer();
  a.send({ type: 'ticket.take', ticketId: c.ticket.ticketId });
  await a.next('session.started');
  const ice = await c.client.next('session.ice');
  t.equal(ice.sessionId, c.ticket.ticketId, 'the customer holds credentials while the dialog shows');
  t.equal((await c.client.next('ticket.status')).state, 'offered');
  t.same(await a.pending('session.ice', 50), [], 'the analyst none before the customer allowed');
  const offer = { type: 'offer', sdp: 'v=0 first offer' };
  c.client.send({ type: 'consent.reply', allow: true });
  c.client.send({ type: 'signal', link: 1, data: offer as never });
  t.equal((await a.next('session.state')).state, 'consented');
  t.ok(await a.next('session.ice'), 'the analyst gets its own with the consent');
  const relayed = await a.next('signal');
  t.same([relayed.from, relayed.link, relayed.data], ['customer', 1, offer], 'the offer reaches the analyst after the consent');
  t.same(await c.client.pending('error', 50), [], 'no refusal');
  t.same(await c.client.pending('session.ice', 50), [], 'no second set of credentials at the consent');

  const a2 = await analyst('bob');
  const c2 = await customer();
  a2.send({ type: 'ticket.take', ticketId: c2.ticket.ticketId });
  await a2.next('session.started');
  c2.client.send({ type: 'consent.reply', allow: false });
  c2.client.send({ type: 'signal', link: 1, data: offer as never });
  t.same((await a2.next('session.state')).state, 'ended');
  t.same(await a2.pending('signal', 100), [], 'nothing relayed after a refusal');
});

t.test('a second analyst grabbing a taken ticket gets ticket.alreadyTaken and the ticket leaves their list', async (t) => {
  const alice = await analyst('alice');
  const bob = await analyst('bob');
  const c = await customer();
  alice.send({ type: 'ticket.take', ticketId: c.ticket.ticketId });
  bob.send({ type: 'ticket.take', ticketId: c.ticket.ticketId });
  await alice.next('session.started');
  const error = await bob.next('error');
  t.equal(error.code, 'ticket.alreadyTaken');
  t.equal(error.ref, 'ticket.take');
  t.ok((await bob.pending('queue.ticketRemoved', 50)).some((f) => f.ticketId === c.ticket.ticketId));
  t.equal(server.app.relay.store.get(c.ticket.ticketId)?.analyst?.id, 'alice');
});

t.test('take is refused for unknown tickets, foreign queues and a second session', async (t) => {
  const carol = await analyst('carol');
  carol.send({ type: 'ticket.take', ticketId: 'does-not-exist' });
  t.equal((await carol.next('error')).code, 'ticket.notFound');
  const c = await customer({ queue: 'general' });
  carol.send({ type: 'ticket.take', ticketId: c.ticket.ticketId });
  t.equal((await carol.next('error')).code, 'ticket.notInYourQueues');
  t.equal(server.app.relay.store.get(c.ticket.ticketId)?.state, 'waiting');

  const alice = await analyst('alice');
  const other = await customer();
  alice.send({ type: 'ticket.take', ticketId: c.ticket.ticketId });
  await alice.next('session.started');
  alice.send({ type: 'ticket.take', ticketId: other.ticket.ticketId });
  t.equal((await alice.next('error')).code, 'session.busy');
  t.equal(server.app.relay.store.get(other.ticket.ticketId)?.state, 'waiting');
});

t.test('signals relay only between the two members, after consent, with the sender stamped by the server', async (t) => {
  const a = await analyst('alice');
  const c = await customer();
  a.send({ type: 'ticket.take', ticketId: c.ticket.ticketId });
  await a.next('session.started');
  c.client.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0' } });
  t.equal((await c.client.next('error')).code, 'session.notActive', 'no signal before consent');
  c.client.send({ type: 'consent.reply', allow: true });
  await a.next('session.state');

  c.client.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0 fake' } });
  t.same(await a.next('signal'), { type: 'signal', from: 'customer', data: { type: 'offer', sdp: 'v=0 fake' } });
  a.send({ type: 'signal', data: { type: 'answer', sdp: 'v=0 answer' } });
  t.same(await c.client.next('signal'), { type: 'signal', from: 'analyst', data: { type: 'answer', sdp: 'v=0 answer' } });
  c.client.send({ type: 'signal', from: 'analyst', data: {} } as never);
  t.equal((await c.client.next('error')).code, 'frame.invalid', 'a client cannot choose its own "from"');
  // The connection number (a new peer connection after one is lost) travels with the signal.
  c.client.send({ type: 'signal', link: 2, data: { type: 'offer', sdp: 'v=0 second' } });
  t.same(await a.next('signal'), { type: 'signal', from: 'customer', link: 2, data: { type: 'offer', sdp: 'v=0 second' } });
  for (const link of [-1, 1.5, '3', 2 ** 60]) {
    c.client.send({ type: 'signal', link, data: {} } as never);
    t.equal((await c.client.next('error')).code, 'frame.invalid', `link ${JSON.stringify(link)} is refused`);
  }

  // Outsiders: another analyst of the same queue, and another customer.
  const bob = await analyst('bob');
  bob.send({ type: 'signal', data: { type: 'offer', sdp: 'intruder' } });
  t.equal((await bob.next('error')).code, 'session.notActive');
  const other = await customer();
  other.client.send({ type: 'signal', data: { type: 'offer', sdp: 'intruder' } });
  t.equal((await other.client.next('error')).code, 'session.notActive');
  t.same(await a.pending('signal'), [], 'the analyst got nothing from outsiders');
  t.same(await c.client.pending('signal'), [], 'the customer got nothing from outsiders');
});

t.test('a closed tab ends the session after CLOSED_GRACE_MS, as closed; the other side sees the member away meanwhile, never "left"', async (t) => {
  const first = await consentedSession();
  const closedAt = Date.now();
  first.c.client.socket.close(1001); // what a browser sends when its tab closes, or reloads
  const away = await first.a.until('session.presence', (f) => !f.customer);
  t.same([away.customer, away.analyst], [false, true], 'the analyst sees the customer away');
  const ended = await first.a.until('session.state', (f) => f.state === 'ended');
  t.same([ended.state, ended.endReason], ['ended', 'customerClosed'], 'then closed, not lost');
  t.ok(Date.now() - closedAt >= 250, `not at once (${Date.now() - closedAt} ms)`);

  const second = await consentedSession();
  second.a.socket.close(1001);
  t.same((await second.c.client.until('session.presence', (f) => !f.analyst)).customer, true, 'the customer sees the analyst away');
  const status = await second.c.client.until('ticket.status', (f) => f.state === 'ended');
  t.equal(status.endReason, 'analystClosed');
  t.equal(server.app.relay.store.get(second.c.ticket.ticketId), undefined);
});

t.test('a reload (close, then the same link again within the grace) keeps the session; both see the member back', async (t) => {
  const { a, c } = await consentedSession();
  c.client.socket.close(1001);
  await a.until('session.presence', (f) => !f.customer);
  const again = await TestClient.connect(server.wsUrl, { token: c.ticket.token });
  clients.push(again);
  t.equal((await again.next('ticket.status')).state, 'consented', 'the reloaded page is back in the session');
  t.same((await again.next('session.presence')), { type: 'session.presence', sessionId: c.ticket.ticketId, customer: true, analyst: true });
  t.ok(await again.next('session.ice'), 'with fresh credentials');
  await a.until('session.presence', (f) => f.customer);
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.equal(server.app.relay.store.get(c.ticket.ticketId)?.state, 'consented', 'still running after the grace');
  again.send({ type: 'signal', link: 5, data: { type: 'offer', sdp: 'after reload' } });
  t.same((await a.next('signal')).data, { type: 'offer', sdp: 'after reload' }, 'signals flow to the analyst again');

  // The analyst's console reloads too.
  a.socket.close(1001);
  await again.until('session.presence', (f) => !f.analyst);
  const console2 = await TestClient.connect(server.wsUrl, { cookie: cookies.alice });
  clients.push(console2);
  t.equal((await console2.next('queue.snapshot')).resumedSessionId, c.ticket.ticketId, 'the reloaded console takes the session up again');
  t.same((await again.until('session.presence', (f) => f.analyst)).customer, true);
});

t.test('a second tab takes over: the customer\'s newest page and the analyst\'s newest console; the older is told it was replaced', async (t) => {
  const { a, c } = await consentedSession();
  const tab2 = await TestClient.connect(server.wsUrl, { token: c.ticket.token });
  clients.push(tab2);
  t.equal((await tab2.next('ticket.status')).state, 'consented');
  t.equal((await c.client.closed).code, CLOSE_CODES.replaced, 'the first tab is replaced');
  const console2 = await TestClient.connect(server.wsUrl, { cookie: cookies.alice });
  clients.push(console2);
  t.equal((await console2.next('queue.snapshot')).resumedSessionId, c.ticket.ticketId, 'the second console has the session');
  t.equal((await a.closed).code, CLOSE_CODES.replaced, 'the first console is replaced');
  tab2.send({ type: 'signal', link: 9, data: { type: 'offer', sdp: 'from tab 2' } });
  t.same((await console2.next('signal')).data, { type: 'offer', sdp: 'from tab 2' }, 'the session runs between the two newest');
  t.equal(server.app.relay.store.get(c.ticket.ticketId)?.state, 'consented');
});

t.test('a waiting customer who disconnects keeps their ticket through the grace, then it expires', async (t) => {
  const a = await analyst('alice');
  const c = await customer();
  await a.until('queue.ticketUpserted', (f) => f.ticket.id === c.ticket.ticketId && f.ticket.customerOnline);
  c.client.socket.terminate();
  const offline = await a.until('queue.ticketUpserted', (f) => f.ticket.id === c.ticket.ticketId && !f.ticket.customerOnline);
  t.equal(offline.ticket.customerOnline, false);
  a.send({ type: 'ticket.take', ticketId: c.ticket.ticketId });
  t.equal((await a.next('error')).code, 'ticket.customerOffline');
  const removed = await a.until('queue.ticketRemoved', (f) => f.ticketId === c.ticket.ticketId, 3000);
  t.equal(removed.reason, 'ended');
  await t.rejects(TestClient.connect(server.wsUrl, { token: c.ticket.token }), { message: 'upgrade refused: 401' }, 'the expired token is refused');
});

t.test('a reload within the grace resumes the same ticket and place', async (t) => {
  const c = await customer();
  c.client.socket.terminate();
  await c.client.closed;
  const again = await TestClient.connect(server.wsUrl, { token: c.ticket.token });
  clients.push(again);
  const status = await again.next('ticket.status');
  t.equal(status.ticketId, c.ticket.ticketId);
  t.equal(status.state, 'waiting');
});

t.test('bad frames get a typed error and change nothing', async (t) => {
  const a = await analyst('alice');
  const c = await customer();
  const before = JSON.stringify(server.app.relay.store.get(c.ticket.ticketId));
  const cases: [string | Buffer, string, boolean?][] = [
    ['{not json', 'frame.invalidJson'],
    [JSON.stringify({ type: 'no.such.type' }), 'frame.invalid'],
    [JSON.stringify({ type: 'consent.reply', allow: 'yes' }), 'frame.invalid'],
    [JSON.stringify({ type: 'consent.reply' }), 'frame.invalid'],
    [JSON.stringify({ type: 'consent.reply', allow: true, extra: 1 }), 'frame.invalid'],
    [JSON.stringify([1, 2]), 'frame.invalid'],
    [JSON.stringify({ type: 'ticket.take', ticketId: c.ticket.ticketId }), 'frame.forbidden'],
    [JSON.stringify({ type: 'consent.reply', allow: true }), 'session.invalidTransition'],
    [JSON.stringify({ type: 'session.end' }), 'session.notActive'],
    [JSON.stringify({ type: 'signal', data: { x: 'y'.repeat(LIMITS.frameMaxBytes) } }), 'frame.tooLarge'],
    [Buffer.from([1, 2, 3]), 'frame.invalid', true],
  ];
  for (const [payload, code, binary] of cases) {
    c.client.sendRaw(payload, binary);
    const error = await c.client.next('error');
    t.equal(error.code, code, `${String(payload).slice(0, 40)} → ${code}`);
    t.ok(error.message.length > 5);
  }
  a.send({ type: 'ticket.take', ticketId: '../../etc' });
  t.equal((await a.next('error')).code, 'frame.invalid', 'ids are validated by pattern');
  t.equal(JSON.stringify(server.app.relay.store.get(c.ticket.ticketId)), before, 'the ticket did not change');
});

t.test('a client that keeps sending bad frames is disconnected with a protocol-violation code', async (t) => {
  const c = await customer();
  for (let i = 0; i < MAX_INVALID_FRAMES; i++) c.client.sendRaw('garbage');
  t.equal((await c.client.closed).code, CLOSE_CODES.protocolViolation);
});

t.test('shutting down tells every connected client with a close code', async (t) => {
  const local = await startServer();
  const cookie = await login(local.url, 'alice');
  const a = await TestClient.connect(local.wsUrl, { cookie });
  const ticket = await createTicket(local.url);
  const c = await TestClient.connect(local.wsUrl, { token: ticket.token });
  await local.close();
  t.equal((await a.closed).code, CLOSE_CODES.shuttingDown);
  t.equal((await c.closed).code, CLOSE_CODES.shuttingDown);
});

t.test('a dropped connection is not a goodbye: the member comes back within the grace and the session goes on', async (t) => {
  const server2 = await startServer({ memberGraceMs: 60_000 });
  t.teardown(() => server2.close());
  const { cookie, analyst, customer, ticket } = await takenSession(server2, true);

  customer.socket.terminate(); // the network drops: no close frame
  await customer.closed;
  t.same(await analyst.pending('session.state', 200), [], 'the analyst\'s session goes on');
  const back = await TestClient.connect(server2.wsUrl, { token: ticket.token });
  t.equal((await back.next('ticket.status')).state, 'consented', 'the customer is back in the same session');
  back.send({ type: 'signal', data: { type: 'candidate', n: 1 } });
  t.same((await analyst.next('signal')).data, { type: 'candidate', n: 1 }, 'relays reach the analyst again');

  analyst.socket.terminate();
  await analyst.closed;
  const again = await TestClient.connect(server2.wsUrl, { cookie });
  const snapshot = await again.next('queue.snapshot');
  t.equal(snapshot.resumedSessionId, ticket.ticketId, 'the analyst\'s console takes the session up again');
  t.equal((await again.next('session.started')).sessionId, ticket.ticketId);
  back.send({ type: 'signal', data: { type: 'candidate', n: 2 } });
  t.same((await again.next('signal')).data, { type: 'candidate', n: 2 });
  await Promise.all([again.close(), back.close()]);
});

t.test('a member whose computer freezes (no close, no answer to pings) is dropped by the keepalive, then the grace ends the session', async (t) => {
  const server2 = await startServer({ memberGraceMs: 300, wsPingMs: 200 }, { sweepIntervalMs: 50 });
  t.teardown(() => server2.close());
  const { analyst, customer } = await takenSession(server2, false);
  // The customer's side stops reading: pings go unanswered, nothing is closed. TCP stays up.
  customer.socket.pause();
  const frozenAt = Date.now();
  const ended = await analyst.until('session.state', (f) => f.state === 'ended', 5000);
  t.equal(ended.endReason, 'customerLeft', 'ended as a member who did not come back');
  // Two ping rounds to notice, then the grace: well under what TCP would take.
  t.ok(Date.now() - frozenAt < 3000, `ended ${Date.now() - frozenAt} ms after the freeze`);
  // The analyst answered every ping meanwhile and is still connected.
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.equal(analyst.socket.readyState, analyst.socket.OPEN, 'a socket that answers pings stays open');
  customer.socket.terminate();
  await analyst.close();
});

t.test('a member who does not come back within the grace ends the session', async (t) => {
  const server2 = await startServer({ memberGraceMs: 300 }, { sweepIntervalMs: 50 });
  t.teardown(() => server2.close());
  const { analyst, customer } = await takenSession(server2, false);
  customer.socket.terminate();
  const ended = await analyst.until('session.state', (f) => f.state === 'ended', 3000);
  t.equal(ended.endReason, 'customerLeft');
  await analyst.close();
});
