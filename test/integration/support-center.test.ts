import t from 'tap';
import type { TicketStatus } from '../../protocol/index.js';
import { ManualClock } from '../../signaling/clock.js';
import { parseQueueHours } from '../../signaling/queue-hours.js';
import { startRedis } from '../helpers/redis.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { until } from '../helpers/until.js';
import { createTicket, login, takenSession, TestClient } from '../helpers/ws-client.js';

// A support center's day over the real server: intake (problem, email or phone), the queues'
// outlook (opening hours, analysts online and available, the estimated wait), the analysts'
// availability, and the customer's rating of the session. Real HTTP and WebSocket clients.

const post = (node: RunningServer, path: string, body: unknown, cookie?: string) =>
  fetch(`${node.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });

/** The customer's socket, and its statuses from now on. */
async function waitingCustomer(node: RunningServer, body: Record<string, unknown> = {}) {
  const ticket = await createTicket(node.url, body);
  const socket = await TestClient.connect(node.wsUrl, { token: ticket.token });
  const first = await socket.next('ticket.status');
  return { ticket, socket, first };
}

const outlookOf = (status: TicketStatus) => status.outlook;

t.test('intake: an email or a phone is enough; the problem reaches the analyst, trimmed', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const cookie = await login(server.url, 'bob');
  const analyst = await TestClient.connect(server.wsUrl, { cookie });
  await analyst.next('queue.snapshot');

  const emailOnly = await post(server, '/api/tickets', { queue: 'general', name: 'Eve', email: 'eve@example.com', problem: '  The VPN drops every hour.  ' });
  t.equal(emailOnly.status, 201, 'email alone');
  const upserted = await analyst.until('queue.ticketUpserted', (f) => f.ticket.name === 'Eve');
  t.equal(upserted.ticket.problem, 'The VPN drops every hour.', 'the analyst reads the problem, trimmed');
  t.equal(upserted.ticket.phone, '');

  const phoneOnly = await post(server, '/api/tickets', { queue: 'general', name: 'Phil', phone: '+33 6 12 34 56 78' });
  t.equal(phoneOnly.status, 201, 'phone alone');
  t.equal((await analyst.until('queue.ticketUpserted', (f) => f.ticket.name === 'Phil')).ticket.problem, '', 'no problem given: empty');

  // An analyst's ticket for a caller: the name alone still does; a contact given must be valid.
  t.equal((await post(server, '/api/analyst/tickets', { queue: 'general', name: 'Caller', problem: 'Printer jam' }, cookie)).status, 201);
  const badContact = await post(server, '/api/analyst/tickets', { queue: 'general', name: 'Caller', email: 'not-an-email' }, cookie);
  t.equal(badContact.status, 400);
  t.equal(((await badContact.json()) as { error: { code: string } }).error.code, 'ticket.invalidEmail');
  const longProblem = await post(server, '/api/analyst/tickets', { queue: 'general', name: 'Caller', problem: 'x'.repeat(501) }, cookie);
  t.equal(((await longProblem.json()) as { error: { code: string } }).error.code, 'ticket.invalidProblem');

  // The session's analyst sees it too.
  const customer = await TestClient.connect(server.wsUrl, { token: ((await post(server, '/api/tickets', { queue: 'general', name: 'Zoe', email: 'z@example.com', problem: 'Mail' }).then((r) => r.json())) as { token: string }).token });
  await customer.next('ticket.status');
  const zoe = await analyst.until('queue.ticketUpserted', (f) => f.ticket.name === 'Zoe' && f.ticket.customerOnline);
  analyst.send({ type: 'ticket.take', ticketId: zoe.ticket.id });
  t.equal((await analyst.next('session.started')).ticket.problem, 'Mail', 'session.started carries the problem');
  await Promise.all([analyst.close(), customer.close()]);
});

t.test('presence: a waiting customer hears analysts come, go away and come back; the analysts see their queues\' teams', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const customer = await waitingCustomer(server);
  t.same(outlookOf(customer.first), { open: true, analystsOnline: 0, analystsAvailable: 0 }, 'no analyst online: no estimate');

  const bob = await TestClient.connect(server.wsUrl, { cookie: await login(server.url, 'bob') });
  await bob.next('queue.snapshot');
  t.same((await bob.next('queue.team')), { type: 'queue.team', status: 'available', queues: [{ queue: 'general', online: 1, available: 1 }] });
  t.match(outlookOf(await customer.socket.next('ticket.status')), { analystsOnline: 1, analystsAvailable: 1 }, 'bob online and available');

  // carol is in printers only: general's customer hears nothing of her.
  const carol = await TestClient.connect(server.wsUrl, { cookie: await login(server.url, 'carol') });
  await carol.next('queue.team');
  t.same(await customer.socket.pending('ticket.status'), [], 'a team change in another queue sends nothing');

  bob.send({ type: 'analyst.status', status: 'away' });
  t.same((await bob.until('queue.team', (f) => f.status === 'away')).queues, [{ queue: 'general', online: 1, available: 0 }]);
  t.match(outlookOf(await customer.socket.next('ticket.status')), { analystsOnline: 1, analystsAvailable: 0 }, 'away: online, not available');
  t.equal(customer.socket.frames.filter((f) => f.type === 'ticket.status').length, 3, 'one status per change');

  // A second console of bob starts away too (his status, not the console's).
  const bob2 = await TestClient.connect(server.wsUrl, { cookie: await login(server.url, 'bob') });
  t.equal((await bob2.next('queue.team')).status, 'away');

  // Refusals: a bad status, a customer posing as an analyst; nothing changes.
  bob.send({ type: 'analyst.status', status: 'asleep' });
  t.equal((await bob.next('error')).code, 'frame.invalid');
  customer.socket.send({ type: 'analyst.status', status: 'available' });
  t.equal((await customer.socket.next('error')).code, 'frame.forbidden');
  t.same(await customer.socket.pending('ticket.status'), [], 'the customer\'s outlook did not move');

  bob2.send({ type: 'analyst.status', status: 'available' });
  t.equal((await bob.until('queue.team', (f) => f.status === 'available')).queues[0].available, 1, 'every console of bob follows');
  t.match(outlookOf(await customer.socket.next('ticket.status')), { analystsAvailable: 1 });

  // In a session, bob is online but not available.
  const other = await waitingCustomer(server, { name: 'Other' });
  bob.send({ type: 'ticket.take', ticketId: customer.ticket.ticketId });
  await bob.next('session.started');
  t.match(outlookOf(await other.socket.until('ticket.status', (s) => s.outlook?.analystsAvailable === 0)), { analystsOnline: 1, analystsAvailable: 0 }, 'in a session: busy');

  await Promise.all([bob.close(), bob2.close()]);
  t.match(outlookOf(await other.socket.until('ticket.status', (s) => s.outlook?.analystsOnline === 0)), { analystsOnline: 0, analystsAvailable: 0 }, 'bob signed off');
  await Promise.all([carol.close(), customer.socket.close(), other.socket.close()]);
});

t.test('the estimated wait follows the queue\'s recent takes, and grows while no one is taken', async (t) => {
  const clock = new ManualClock(Date.parse('2026-12-02T10:00:00Z'));
  const server = await startServer({}, { clock });
  t.teardown(() => server.close());
  const [alice, bob] = await Promise.all(['alice', 'bob'].map(async (name) => {
    const client = await TestClient.connect(server.wsUrl, { cookie: await login(server.url, name) });
    await client.next('queue.snapshot');
    return client;
  }));
  // Both count in the team (TEAM_REPORT_MS) before the customers come: an estimate needs an analyst online.
  await until('both analysts in the team', () => server.app.relay.team.all().length === 2);
  const customers = [];
  for (let i = 0; i < 5; i++) customers.push(await waitingCustomer(server, { name: `C${i}` }));
  t.equal(outlookOf(customers[4].first)!.estimatedMinutes, undefined, 'no takes yet: no estimate');

  alice.send({ type: 'ticket.take', ticketId: customers[0].ticket.ticketId });
  await alice.next('session.started');
  clock.advance(2 * 60_000);
  bob.send({ type: 'ticket.take', ticketId: customers[1].ticket.ticketId });
  await bob.next('session.started');
  // Two takes two minutes apart, the last one now: one take a minute. Place 1 waits ~1 min, place 3 ~3.
  const third = await customers[4].socket.until('ticket.status', (s) => s.position === 3);
  t.equal(third.outlook?.estimatedMinutes, 3, 'place 3: about 3 minutes');
  const first = await customers[2].socket.until('ticket.status', (s) => s.position === 1);
  t.equal(first.outlook?.estimatedMinutes, 1, 'place 1: about 1 minute');

  // Ten minutes with no take: the pace is measured up to now, so the estimate grows.
  clock.advance(10 * 60_000);
  server.app.relay.hub.refreshOutlooks();
  const later = await customers[2].socket.until('ticket.status', (s) => s.outlook?.estimatedMinutes !== 1);
  t.equal(later.outlook?.estimatedMinutes, 6, '12 minutes for 2 takes: 6 minutes a take');
  t.equal(later.position, 1, 'same place, new estimate');
  // The portal's estimate is for a new request at the end of the line (place 4).
  const queues = (await fetch(`${server.url}/api/queues`).then((r) => r.json())) as Array<{ id: string; outlook: { estimatedMinutes?: number } }>;
  t.equal(queues.find((q) => q.id === 'general')!.outlook.estimatedMinutes, 25, '24 minutes, to the 5 beyond 10');

  // Takes older than the window are forgotten: no pace, no estimate.
  clock.advance(31 * 60_000);
  server.app.relay.hub.refreshOutlooks();
  const unknown = await customers[2].socket.until('ticket.status', (s) => s.outlook?.estimatedMinutes === undefined);
  t.equal(unknown.outlook?.analystsOnline, 2);
  await Promise.all([alice.close(), bob.close(), ...customers.map((c) => c.socket.close())]);
});

t.test('opening hours: a closed queue says when it opens, refuses portal requests, and still takes an analyst\'s ticket', async (t) => {
  // Tuesday 2026-12-01, 19:30 in Paris (18:30 UTC): printers opens at 08:00 on weekdays.
  const clock = new ManualClock(Date.parse('2026-12-01T18:30:00Z'));
  const server = await startServer({ queueHours: parseQueueHours('printers=Mon-Fri 08:00-18:00', ['general', 'printers']), queueTimeZone: 'Europe/Paris' }, { clock });
  t.teardown(() => server.close());
  const queues = (await fetch(`${server.url}/api/queues`).then((r) => r.json())) as Array<{ id: string; outlook: { open: boolean; opensAt?: number } }>;
  t.same(queues.find((q) => q.id === 'printers')!.outlook, { open: false, opensAt: Date.parse('2026-12-02T07:00:00Z'), analystsOnline: 0, analystsAvailable: 0 }, 'opens Wednesday 08:00 Paris time');
  t.equal(queues.find((q) => q.id === 'general')!.outlook.open, true, 'a queue without hours is always open');

  const before = server.app.relay.store.all().length;
  const refused = await post(server, '/api/tickets', { queue: 'printers', name: 'Night owl', email: 'owl@example.com' });
  t.equal(refused.status, 503);
  t.ok(refused.headers.get('retry-after'), 'says when to come back');
  t.equal(((await refused.json()) as { error: { code: string } }).error.code, 'queue.closed');
  t.equal(server.app.relay.store.all().length, before, 'nothing created');
  // Concurrent tries are all refused the same way.
  const many = await Promise.all(Array.from({ length: 10 }, () => post(server, '/api/tickets', { queue: 'printers', name: 'Owl', phone: '+33 6 00 00 00 00' })));
  t.same(many.map((r) => r.status), Array(10).fill(503));
  t.equal(server.app.relay.store.all().length, before);

  const cookie = await login(server.url, 'carol');
  t.equal((await post(server, '/api/analyst/tickets', { queue: 'printers', name: 'Caller' }, cookie)).status, 201, 'the analyst on the phone still makes one');

  // Opening time: the queue takes requests; a waiting customer hears the queue open.
  const waiting = await TestClient.connect(server.wsUrl, { token: ((await post(server, '/api/analyst/tickets', { queue: 'printers', name: 'Early' }, cookie).then((r) => r.json())) as { token: string }).token });
  t.match((await waiting.next('ticket.status')).outlook, { open: false, opensAt: Date.parse('2026-12-02T07:00:00Z') });
  clock.advance(12.5 * 60 * 60_000 + 60_000);
  server.app.relay.hub.refreshOutlooks();
  t.match((await waiting.next('ticket.status')).outlook, { open: true }, 'told the queue opened');
  t.equal((await post(server, '/api/tickets', { queue: 'printers', name: 'Morning', email: 'm@example.com' })).status, 201);
  await waiting.close();
});

t.test('a rating: once per session that went ahead, to the analyst\'s console and the counters; the comment is not kept', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const { analyst, customer } = await takenSession(server, true, 'bob');
  customer.send({ type: 'session.end' });
  const ended = await customer.until('ticket.status', (s) => s.state === 'ended');
  const token = ended.ratingToken!;
  t.type(token, 'string', 'the ended status carries a rating token');

  // Bad input changes nothing: the token still works afterwards.
  const badScore = await post(server, '/api/ratings', { token, score: 6 });
  t.equal(badScore.status, 400);
  t.equal(((await badScore.json()) as { error: { code: string } }).error.code, 'request.invalidBody');
  const longComment = await post(server, '/api/ratings', { token, score: 4, comment: 'x'.repeat(501) });
  t.equal(((await longComment.json()) as { error: { code: string } }).error.code, 'rating.invalidComment');
  t.equal((await post(server, '/api/ratings', { token: 'made-up', score: 5 })).status, 404);

  // Ten tries at once with the real token: exactly one counts.
  const tries = await Promise.all(Array.from({ length: 10 }, (_, i) => post(server, '/api/ratings', { token, score: 4, comment: i === 0 ? '  Merci, très clair.  ' : 'again' })));
  const statuses = tries.map((r) => r.status).sort();
  t.same(statuses, [204, ...Array(9).fill(404)], 'one 204, nine 404');
  const rated = await analyst.next('session.rated');
  t.equal(rated.score, 4);
  t.ok(rated.comment === 'Merci, très clair.' || rated.comment === 'again', 'the comment reaches the analyst');
  t.same(await analyst.pending('session.rated'), [], 'told once');
  const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
  t.match(metrics, /relaydesk_ratings_total\{queue="general",score="4"\} 1\b/);
  t.notMatch(metrics, /Merci|again/, 'no comment in the metrics');
  const spent = await post(server, '/api/ratings', { token, score: 1 });
  t.equal(((await spent.json()) as { error: { code: string } }).error.code, 'rating.invalid');

  // A refused session has nothing to rate.
  const refused = await takenSession(server, false, 'alice');
  refused.customer.send({ type: 'consent.reply', allow: false });
  const refusedEnd = await refused.customer.until('ticket.status', (s) => s.state === 'ended');
  t.equal(refusedEnd.ratingToken, undefined, 'no rating for a refused session');
  await Promise.all([analyst.close(), refused.analyst.close()]);
});

t.test('two nodes on Redis: an analyst on one node counts for the customers waiting on the other; a rating crosses too', async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const shared = { redisUrl: redis.url, redisPrefix: 'center:' };
  const a = await startServer({ ...shared, nodeId: 'node-a' });
  const b = await startServer({ ...shared, nodeId: 'node-b' });
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  const customer = await waitingCustomer(a);
  t.match(outlookOf(customer.first), { analystsOnline: 0 });
  const bob = await TestClient.connect(b.wsUrl, { cookie: await login(b.url, 'bob') });
  await bob.next('queue.snapshot');
  t.match(outlookOf(await customer.socket.until('ticket.status', (s) => s.outlook?.analystsOnline === 1)), { analystsAvailable: 1 }, 'bob on node B counts on node A');
  const alice = await TestClient.connect(a.wsUrl, { cookie: await login(a.url, 'alice') });
  t.same((await alice.until('queue.team', (f) => f.queues.some((q) => q.queue === 'general' && q.online === 2))).queues.find((q) => q.queue === 'general'), { queue: 'general', online: 2, available: 2 }, 'alice on A sees bob on B');
  bob.send({ type: 'analyst.status', status: 'away' });
  t.match(outlookOf(await customer.socket.until('ticket.status', (s) => s.outlook?.analystsAvailable === 1)), { analystsOnline: 2 }, 'bob away, told across nodes');

  // bob (node B) takes the customer of node A, the session ends; the rating posted to node A reaches bob on B.
  bob.send({ type: 'ticket.take', ticketId: customer.ticket.ticketId });
  await bob.next('session.started');
  customer.socket.send({ type: 'consent.reply', allow: true });
  await bob.until('session.state', (f) => f.state === 'consented');
  customer.socket.send({ type: 'session.end' });
  const token = (await customer.socket.until('ticket.status', (s) => s.state === 'ended')).ratingToken!;
  t.equal((await post(a, '/api/ratings', { token, score: 5 })).status, 204);
  t.equal((await bob.next('session.rated')).score, 5);
  t.equal((await post(b, '/api/ratings', { token, score: 5 })).status, 404, 'spent on every node');

  // bob signs off on node B: node A's team loses him.
  await bob.close();
  const after = await alice.until('queue.team', (f) => f.queues.some((q) => q.queue === 'general' && q.online === 1));
  t.same(after.queues.find((q) => q.queue === 'general'), { queue: 'general', online: 1, available: 1 }, 'bob gone from the team');
  await alice.close();
});

t.test('the supervisor\'s view: admins only; every queue, analyst and session, never a customer\'s name; today\'s figures also in /metrics', async (t) => {
  const clock = new ManualClock(Date.parse('2026-12-02T09:00:00Z'));
  const server = await startServer({}, { clock });
  t.teardown(() => server.close());
  const view = async (cookie?: string) => {
    const res = await fetch(`${server.url}/api/supervisor`, { headers: cookie ? { cookie } : {} });
    return { status: res.status, body: (await res.json()) as import('../../protocol/index.js').SupervisorView & { error?: { code: string } } };
  };
  t.equal((await view()).body.error?.code, 'auth.required');
  const bobCookie = await login(server.url, 'bob');
  const notAdmin = await view(bobCookie);
  t.same([notAdmin.status, notAdmin.body.error?.code], [403, 'auth.forbidden'], 'an analyst is not a supervisor');

  const admin = await login(server.url, 'alice');
  const empty = await view(admin);
  t.same(empty.body.analysts, [], 'no console open');
  t.same(empty.body.queues[0], { id: 'general', name: 'General support', waiting: 0, longestWaitMs: null, open: true, online: 0, available: 0, today: { takes: 0, sessions: 0, medianTimeToTakeMs: null } });

  const bob = await TestClient.connect(server.wsUrl, { cookie: bobCookie });
  await bob.next('queue.snapshot');
  const first = await waitingCustomer(server, { name: 'Secret Name', email: 'secret@example.com' });
  clock.advance(90_000);
  await waitingCustomer(server, { name: 'Second' });
  clock.advance(30_000);
  // The node reports its analysts to the team within TEAM_REPORT_MS.
  await until('bob in the team', async () => (await view(admin)).body.analysts.length === 1);
  const waiting = await view(admin);
  t.match(waiting.body.queues[0], { waiting: 2, longestWaitMs: 120_000, online: 1, available: 1 });
  t.same(waiting.body.analysts.map((a) => [a.name, a.status]), [['Bob Durand', 'available']]);

  bob.send({ type: 'ticket.take', ticketId: first.ticket.ticketId });
  await bob.next('session.started');
  first.socket.send({ type: 'consent.reply', allow: true });
  await bob.until('session.state', (f) => f.state === 'consented');
  clock.advance(45_000);
  bob.send({ type: 'session.route', route: 'relay' });
  await until('the route in the view', async () => (await view(admin)).body.sessions[0]?.route === 'relay');
  const live = await view(admin);
  t.same(live.body.sessions, [{ id: first.ticket.ticketId, queue: 'general', analystName: 'Bob Durand', state: 'consented', since: Date.parse('2026-12-02T09:02:00Z'), route: 'relay' }]);
  t.same(live.body.analysts.map((a) => [a.name, a.status, a.since]), [['Bob Durand', 'inSession', Date.parse('2026-12-02T09:02:00Z')]], 'in a session since the take');
  t.match(live.body.queues[0], { waiting: 1, longestWaitMs: 75_000, available: 0, today: { takes: 1, sessions: 0, medianTimeToTakeMs: 120_000 } });
  t.notMatch(JSON.stringify(live.body), /Secret Name|secret@example\.com/, 'no customer name or contact');

  bob.send({ type: 'session.end' });
  await bob.until('session.state', (f) => f.state === 'ended');
  await until('bob available again', async () => (await view(admin)).body.analysts[0]?.status === 'available');
  const after = await view(admin);
  t.same(after.body.sessions, []);
  t.match(after.body.queues[0].today, { takes: 1, sessions: 1 });
  const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
  t.match(metrics, /relaydesk_today_takes\{queue="general"\} 1\b/);
  t.match(metrics, /relaydesk_today_sessions\{queue="general"\} 1\b/);
  t.match(metrics, /relaydesk_today_time_to_take_median_seconds\{queue="general"\} 120\b/);
  t.match(metrics, /relaydesk_analysts\{status="available"\} 1\b/);
  t.notMatch(metrics, /relaydesk_today_time_to_take_median_seconds\{queue="printers"\}/, 'no median before the first take');

  // Midnight in QUEUE_TIMEZONE (UTC here): a new day starts at zero.
  clock.advance(15 * 60 * 60_000);
  // (The sign-in of the morning has expired by then: a new one.)
  t.same((await view(await login(server.url, 'alice'))).body.queues[0].today, { takes: 0, sessions: 0, medianTimeToTakeMs: null });
  await bob.close();
});

t.test('hand-over: to a colleague (kept for them 2 minutes) or to a queue; the customer consents again, to the new person; refusals change nothing', async (t) => {
  const clock = new ManualClock(Date.parse('2026-12-02T10:00:00Z'));
  const server = await startServer({}, { clock });
  t.teardown(() => server.close());
  const connectAs = async (name: string) => {
    const client = await TestClient.connect(server.wsUrl, { cookie: await login(server.url, name) });
    await client.next('queue.snapshot');
    return client;
  };
  const [bob, carol, alice] = [await connectAs('bob'), await connectAs('carol'), await connectAs('alice')];
  await until('the three in the team', () => server.app.relay.team.all().length === 3);
  const customer = await waitingCustomer(server, { name: 'Hanna', problem: 'Printer offline' });
  bob.send({ type: 'ticket.take', ticketId: customer.ticket.ticketId });
  await bob.next('session.started');
  customer.socket.send({ type: 'consent.reply', allow: true });
  await bob.until('session.state', (f) => f.state === 'consented');

  // Refusals first: nothing moves.
  const refusals: Array<[Record<string, unknown>, string]> = [
    [{ queue: 'nope' }, 'queue.unknown'],
    [{ queue: 'printers', analystId: 'bob' }, 'transfer.analystUnavailable'],
    [{ queue: 'general', analystId: 'carol' }, 'transfer.analystUnavailable'],
    [{ queue: 'printers', analystId: 'nobody' }, 'transfer.analystUnavailable'],
    [{ queue: 'printers', note: 'x'.repeat(501) }, 'transfer.invalidNote'],
  ];
  for (const [fields, code] of refusals) {
    bob.send({ type: 'session.transfer', ...fields });
    t.equal((await bob.next('error')).code, code, JSON.stringify(fields).slice(0, 60));
  }
  alice.send({ type: 'session.transfer', queue: 'printers' });
  t.equal((await alice.next('error')).code, 'session.notActive', 'only the session\'s analyst');
  customer.socket.send({ type: 'session.transfer', queue: 'printers' });
  t.equal((await customer.socket.next('error')).code, 'frame.forbidden');
  t.equal(server.app.relay.store.get(customer.ticket.ticketId)!.state, 'consented', 'still bob\'s session');

  // To carol, in printers, with a note.
  bob.send({ type: 'session.transfer', queue: 'printers', analystId: 'carol', note: '  Driver reinstalled; still offline.  ' });
  t.same(await bob.until('session.state', (f) => f.state === 'ended'), { type: 'session.state', sessionId: customer.ticket.ticketId, state: 'ended', endReason: 'transferred' }, 'bob hears the session is no longer his');
  const waiting = await customer.socket.until('ticket.status', (s) => s.state === 'waiting');
  t.same(waiting.transfer, { fromName: 'Bob Durand', queueName: 'Printers', toName: 'Carol Petit' }, 'the customer is told who takes over (not the note)');
  t.equal(waiting.queue, 'printers');
  const upsert = await carol.until('queue.ticketUpserted', (f) => f.ticket.id === customer.ticket.ticketId);
  t.same(upsert.ticket.transfer, { fromName: 'Bob Durand', note: 'Driver reinstalled; still offline.', reservedForId: 'carol', reservedForName: 'Carol Petit', reservedUntil: Date.parse('2026-12-02T10:02:00Z') });
  t.equal(upsert.ticket.problem, 'Printer offline');

  // Kept for carol: alice (also in printers) is refused; a stray signal from bob goes nowhere.
  alice.send({ type: 'ticket.take', ticketId: customer.ticket.ticketId });
  t.equal((await alice.next('error')).code, 'ticket.reserved');
  bob.send({ type: 'signal', data: { type: 'offer', sdp: 'v=0' } });
  t.equal((await bob.next('error')).code, 'session.notActive');
  t.same(await customer.socket.pending('signal'), [], 'nothing relayed from the old analyst');

  // Carol and alice at once: carol's take wins (it is kept for her), alice is refused.
  alice.send({ type: 'ticket.take', ticketId: customer.ticket.ticketId });
  carol.send({ type: 'ticket.take', ticketId: customer.ticket.ticketId });
  t.equal((await carol.next('session.started')).ticket.transfer?.note, 'Driver reinstalled; still offline.', 'carol reads bob\'s note');
  t.equal((await alice.next('error')).code, 'ticket.reserved');
  const offered = await customer.socket.until('ticket.status', (s) => s.state === 'offered');
  t.equal(offered.analystName, 'Carol Petit', 'the consent names the new person');
  t.match(offered.transfer, { fromName: 'Bob Durand' });
  t.ok(customer.socket.frames.some((f) => f.type === 'session.ice'), 'fresh ICE servers with the new consent dialog');
  customer.socket.send({ type: 'consent.reply', allow: true });
  await carol.until('session.state', (f) => f.state === 'consented');
  customer.socket.send({ type: 'signal', link: 7, data: { type: 'offer', sdp: 'v=0' } });
  t.match(await carol.next('signal'), { from: 'customer', link: 7 }, 'signals now go to carol');
  t.same(await bob.pending('signal'), [], 'and not to bob');

  // Carol hands it to the queue; past the 2 minutes a reservation no longer holds anyone back.
  carol.send({ type: 'session.transfer', queue: 'general' });
  await carol.until('session.state', (f) => f.state === 'ended');
  const again = await customer.socket.until('ticket.status', (s) => s.state === 'waiting' && s.queue === 'general');
  t.same(again.transfer, { fromName: 'Carol Petit', queueName: 'General support' });
  alice.send({ type: 'ticket.take', ticketId: customer.ticket.ticketId });
  await alice.until('session.started', (f) => f.sessionId === customer.ticket.ticketId);
  t.pass('anyone in the queue may take a session handed to the queue');
  await Promise.all([bob.close(), carol.close(), alice.close(), customer.socket.close()]);
});

t.test('a reservation for a colleague lapses after 2 minutes; colleagues are listed for analysts only', async (t) => {
  const clock = new ManualClock(Date.parse('2026-12-02T10:00:00Z'));
  const server = await startServer({}, { clock });
  t.teardown(() => server.close());
  t.equal((await fetch(`${server.url}/api/analyst/colleagues`)).status, 401);
  const bobCookie = await login(server.url, 'bob');
  const bob = await TestClient.connect(server.wsUrl, { cookie: bobCookie });
  const carol = await TestClient.connect(server.wsUrl, { cookie: await login(server.url, 'carol') });
  const alice = await TestClient.connect(server.wsUrl, { cookie: await login(server.url, 'alice') });
  await Promise.all([bob, carol, alice].map((c) => c.next('queue.snapshot')));
  const colleaguesNow = async () => (await fetch(`${server.url}/api/analyst/colleagues`, { headers: { cookie: bobCookie } }).then((r) => r.json())) as Array<{ id: string; status: string }>;
  await until('both colleagues reported', async () => (await colleaguesNow()).length === 2);
  const colleagues = await colleaguesNow();
  t.same(colleagues.map((c) => [c.id, c.status]), [['alice', 'available'], ['carol', 'available']], 'everyone but bob himself');

  const customer = await waitingCustomer(server);
  bob.send({ type: 'ticket.take', ticketId: customer.ticket.ticketId });
  await bob.next('session.started');
  bob.send({ type: 'session.transfer', queue: 'printers', analystId: 'carol' });
  await customer.socket.until('ticket.status', (s) => s.state === 'waiting');
  clock.advance(2 * 60_000);
  alice.send({ type: 'ticket.take', ticketId: customer.ticket.ticketId });
  await alice.until('session.started', (f) => f.sessionId === customer.ticket.ticketId);
  t.pass('after 2 minutes anyone in the queue may take it');
  await Promise.all([bob.close(), carol.close(), alice.close(), customer.socket.close()]);
});
