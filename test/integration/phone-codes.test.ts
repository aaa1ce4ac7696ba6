import t from 'tap';
import { PHONE_CODE_TTL_MS } from '../../protocol/index.js';
import { ManualClock } from '../../signaling/clock.js';
import { PHONE_CODE_TRIES_PER_MINUTE, PHONE_CODE_TRIES_PER_MINUTE_TOTAL, PHONE_CODES } from '../../signaling/short-codes.js';
import { startRedis } from '../helpers/redis.js';
import { startServer, type RunningServer } from '../helpers/server.js';
import { login, TestClient } from '../helpers/ws-client.js';

// The 6-digit codes an analyst reads to a caller: the real server over HTTP, one node and two on a
// real redis-server. Each test uses addresses of its own (x-forwarded-for, trusted from loopback),
// so the per-address budget of one test does not spill into the next.

const clock = new ManualClock(Date.now());
const server = await startServer({ trustProxy: ['127.0.0.1'] }, { clock });
t.teardown(() => server.close());
let addressCounter = 0;
const newAddress = () => `198.18.${Math.floor(addressCounter / 250)}.${(addressCounter++ % 250) + 1}`;

async function analystTicket(node: RunningServer, cookie: string, name = 'Caller') {
  const res = await fetch(`${node.url}/api/analyst/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ queue: 'general', name }) });
  if (res.status !== 201) throw new Error(`ticket: ${res.status}`);
  return (await res.json()) as { ticketId: string; token: string; url: string; code: { code: string; expiresAt: number } };
}

function redeem(node: RunningServer, code: unknown, from = newAddress()) {
  return fetch(`${node.url}/api/codes/redeem`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ code }) })
    .then(async (res) => ({ status: res.status, body: (await res.json()) as { ticketId?: string; token?: string; url?: string; error?: { code: string } } }));
}

/** A code that is not `live` (so a guess that cannot hit by luck). */
const wrongCode = (live: string[], i: number) => {
  let n = i;
  let code: string;
  do code = String(n++ % 1_000_000).padStart(6, '0');
  while (live.includes(code));
  return code;
};

const cookie = await login(server.url, 'bob');

t.test('an analyst\'s ticket comes with a 6-digit code; the code opens that ticket once, then never again', async (t) => {
  const ticket = await analystTicket(server, cookie);
  t.match(ticket.code.code, /^\d{6}$/);
  t.equal(ticket.code.expiresAt, clock.now() + PHONE_CODE_TTL_MS, 'valid 10 minutes');
  const first = await redeem(server, ticket.code.code);
  t.equal(first.status, 200);
  t.same(first.body, { ticketId: ticket.ticketId, token: ticket.token, url: ticket.url }, 'the same link the analyst could have sent');
  const again = await redeem(server, ticket.code.code);
  t.same([again.status, again.body.error?.code], [404, 'code.invalid'], 'single use');
  const customerTicket = await fetch(`${server.url}/api/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': newAddress() }, body: JSON.stringify({ queue: 'general', name: 'Ann', email: 'ann@example.com', phone: '' }) });
  t.notOk('code' in ((await customerTicket.json()) as object), 'a ticket from the portal has no code: its customer is already on the page');
});

t.test('malformed codes are refused before anything is looked up, and change nothing', async (t) => {
  const ticket = await analystTicket(server, cookie);
  for (const bad of ['12345', '1234567', '12a456', ' 123456', 123456, null, '']) {
    const answer = await redeem(server, bad);
    t.same([answer.status, answer.body.error?.code], [400, 'request.invalidBody'], `refused: ${JSON.stringify(bad)}`);
  }
  t.equal((await redeem(server, ticket.code.code)).status, 200, 'the live code still works');
});

t.test('an expired code, or one whose customer is already in, opens nothing', async (t) => {
  const late = await analystTicket(server, cookie);
  clock.advance(PHONE_CODE_TTL_MS);
  t.same((await redeem(server, late.code.code)).body.error?.code, 'code.invalid', 'expired after 10 minutes');
  // The customer opened the link instead: a code read aloud (or overheard) must not open a second page on their session.
  const opened = await analystTicket(server, cookie);
  const customer = await TestClient.connect(server.wsUrl, { token: opened.token });
  t.teardown(() => customer.close());
  await customer.next('ticket.status');
  const answer = await redeem(server, opened.code.code);
  t.same([answer.status, answer.body.error?.code], [404, 'code.invalid']);
  const renew = await fetch(`${server.url}/api/analyst/tickets/${opened.ticketId}/code`, { method: 'POST', headers: { cookie } });
  t.same([renew.status, ((await renew.json()) as { error: { code: string } }).error.code], [409, 'code.notNeeded'], 'no new code for a customer already here');
});

t.test('a new code replaces the old one; only an analyst of the ticket\'s queue gets one', async (t) => {
  const ticket = await analystTicket(server, cookie);
  const anonymous = await fetch(`${server.url}/api/analyst/tickets/${ticket.ticketId}/code`, { method: 'POST' });
  t.equal(anonymous.status, 401);
  // carol is not in 'general' (test accounts: see test/helpers/server.ts).
  const foreign = await fetch(`${server.url}/api/analyst/tickets/${ticket.ticketId}/code`, { method: 'POST', headers: { cookie: await login(server.url, 'carol') } });
  t.equal(foreign.status, 403);
  const unknown = await fetch(`${server.url}/api/analyst/tickets/nope/code`, { method: 'POST', headers: { cookie } });
  t.equal(unknown.status, 404);
  const renewed = await fetch(`${server.url}/api/analyst/tickets/${ticket.ticketId}/code`, { method: 'POST', headers: { cookie } });
  t.equal(renewed.status, 201);
  const fresh = (await renewed.json()) as { code: string };
  t.equal((await redeem(server, ticket.code.code)).status, 404, 'the old code stopped working');
  t.equal((await redeem(server, fresh.code)).body.ticketId, ticket.ticketId, 'the new one works');
});

t.test('20 concurrent tries of one live code: exactly one opens the ticket', async (t) => {
  const ticket = await analystTicket(server, cookie);
  const answers = await Promise.all(Array.from({ length: 20 }, () => redeem(server, ticket.code.code)));
  t.equal(answers.filter((a) => a.status === 200).length, 1);
  t.equal(answers.filter((a) => a.status === 404).length, 19);
});

t.test(`one address: ${PHONE_CODE_TRIES_PER_MINUTE} tries a minute, then 429, even with the right code`, async (t) => {
  const ticket = await analystTicket(server, cookie);
  const from = newAddress();
  const statuses: number[] = [];
  for (let i = 0; i < PHONE_CODE_TRIES_PER_MINUTE; i++) statuses.push((await redeem(server, wrongCode([ticket.code.code], 300_000 + i), from)).status);
  t.same([...new Set(statuses)], [404]);
  const refused = await redeem(server, ticket.code.code, from);
  t.same([refused.status, refused.body.error?.code], [429, 'request.rateLimited']);
  t.equal((await redeem(server, ticket.code.code)).status, 200, 'from another address, the code still works');
});

t.test(`wrong codes from anywhere burn a live code after ${PHONE_CODES.burnAfter} of them: at most ${PHONE_CODES.burnAfter} guesses in 1,000,000 at any code`, async (t) => {
  // A server of its own: its total budget and failure count start at zero.
  const own = await startServer({ trustProxy: ['127.0.0.1'] });
  t.teardown(() => own.close());
  const ownCookie = await login(own.url, 'bob');
  const target = await analystTicket(own, ownCookie, 'Target');
  const live = [target.code.code];
  // Concurrent guesses from many addresses (3 each: under the per-address limit).
  const guesses = await Promise.all(Array.from({ length: PHONE_CODES.burnAfter }, (_, i) => redeem(own, wrongCode(live, 500_000 + i), `198.19.${Math.floor(i / 3)}.1`)));
  t.same([...new Set(guesses.map((g) => g.status))], [404]);
  const burned = await redeem(own, target.code.code);
  t.same([burned.status, burned.body.error?.code], [404, 'code.invalid'], 'burned: even the right code is refused now');
  const renewed = (await (await fetch(`${own.url}/api/analyst/tickets/${target.ticketId}/code`, { method: 'POST', headers: { cookie: ownCookie } })).json()) as { code: string };
  t.equal((await redeem(own, renewed.code)).body.ticketId, target.ticketId, 'the analyst\'s new code works: it has a budget of its own');
});

t.test(`over the whole service: ${PHONE_CODE_TRIES_PER_MINUTE_TOTAL} tries a minute from all addresses, then code.tooManyGuesses`, async (t) => {
  const own = await startServer({ trustProxy: ['127.0.0.1'] });
  t.teardown(() => own.close());
  const ownCookie = await login(own.url, 'bob');
  const ticket = await analystTicket(own, ownCookie);
  const answers = await Promise.all(
    Array.from({ length: PHONE_CODE_TRIES_PER_MINUTE_TOTAL + 10 }, (_, i) => redeem(own, wrongCode([ticket.code.code], 700_000 + i), `198.20.${Math.floor(i / 5)}.${(i % 5) + 1}`)),
  );
  t.equal(answers.filter((a) => a.status === 404).length, PHONE_CODE_TRIES_PER_MINUTE_TOTAL);
  const refused = answers.filter((a) => a.status === 429);
  t.equal(refused.length, 10);
  t.same([...new Set(refused.map((a) => a.body.error?.code))], ['code.tooManyGuesses'], 'they are told to wait or ask for the link');
});

t.test('two nodes on Redis: a code made on one opens on the other, once; wrong codes on either burn it', async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const shared = { redisUrl: redis.url, redisPrefix: 'codes:', trustProxy: ['127.0.0.1'] };
  const a = await startServer({ ...shared, nodeId: 'a' });
  const b = await startServer({ ...shared, nodeId: 'b' });
  t.teardown(async () => {
    await a.close();
    await b.close();
  });
  const ticket = await analystTicket(a, await login(a.url, 'bob'));
  const answers = await Promise.all([redeem(a, ticket.code.code), redeem(b, ticket.code.code), redeem(b, ticket.code.code)]);
  t.same(answers.map((x) => x.status).sort(), [200, 404, 404], 'once over both nodes');
  const target = await analystTicket(a, await login(a.url, 'bob'), 'Target');
  await Promise.all(Array.from({ length: PHONE_CODES.burnAfter }, (_, i) => redeem(i % 2 ? a : b, wrongCode([target.code.code], 900_000 + i), `198.21.${Math.floor(i / 3)}.1`)));
  t.equal((await redeem(b, target.code.code)).status, 404, 'burned by the wrong codes tried on both nodes');
});
