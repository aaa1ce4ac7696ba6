import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import t from 'tap';
import { AccountCreateBody, AccountPatchBody, AnalystTicketCreateBody, ClientFrame, TicketCreateBody } from '../../protocol/index.js';
import { Fuzzer, prng } from '../helpers/fuzz.js';
import { startServer } from '../helpers/server.js';
import { createTicket, login, TestClient } from '../helpers/ws-client.js';

// 10,000 random and mutated inputs against a live server, seeded and reproducible
// (FUZZ_SEED=<n> replays a run). Only inputs that are NOT valid are sent, so the state must not move.
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const HTTP_INPUTS = 5000;
const WS_INPUTS = 5000;

t.test(`fuzz (seed ${SEED}): no crash, no 5xx, no state change, and a real session still works`, async (t) => {
  const server = await startServer({ frameRatePerSecond: 100_000 });
  t.teardown(() => server.close());
  const fuzz = new Fuzzer(prng(SEED));
  const cookie = await login(server.url, 'alice');
  const ticket = await createTicket(server.url);
  // Presence (connections, online, seen, and the version they bump) follows the fuzzing sockets
  // coming and going; everything else must not move.
  const snapshot = () =>
    JSON.stringify(server.app.relay.store.all().map(({ customerOnline: _o, offlineSince: _s, customerSeen: _c, customerConnection: _cc, helperConnection: _hc, version: _v, ...rest }) => rest)) +
    JSON.stringify(server.app.relay.accounts.list());
  const before = snapshot();

  // HTTP bodies: to every endpoint that takes one, with and without the analyst's cookie.
  const validTicket = { queue: 'general', name: 'Ann', email: 'ann@example.com', phone: '0123456789' };
  let sentHttp = 0;
  // `schema`: a body that passes it is a well-formed request and is skipped (it could rightly
  // change state). Sign-in bodies are always sent: a well-formed one with a wrong password changes nothing.
  const endpoints: Array<{ path: string; method: string; template: Record<string, unknown>; schema?: TSchema }> = [
    { path: '/api/tickets', method: 'POST', template: validTicket, schema: TicketCreateBody },
    { path: '/api/analyst/tickets', method: 'POST', template: { queue: 'general', name: 'Phone' }, schema: AnalystTicketCreateBody },
    { path: '/api/login', method: 'POST', template: { username: 'alice', password: 'x' } },
    { path: '/api/admin/accounts', method: 'POST', template: { username: 'zed', displayName: 'Z', password: 'short', role: 'analyst', queues: ['general'] }, schema: AccountCreateBody },
    { path: '/api/admin/accounts/bob', method: 'PATCH', template: { queues: ['nope'] }, schema: AccountPatchBody },
  ];
  const statuses = new Map<number, number>();
  while (sentHttp < HTTP_INPUTS) {
    const endpoint = fuzz.pick(endpoints);
    const asText = fuzz.int(4) === 0;
    const body = asText ? fuzz.rawText(JSON.stringify(endpoint.template)) : JSON.stringify(fuzz.mutate(endpoint.template));
    try {
      if (endpoint.schema && Value.Check(endpoint.schema, JSON.parse(body))) continue;
    } catch {
      // not JSON: send it
    }
    const response = await fetch(`${server.url}${endpoint.path}`, {
      method: endpoint.method,
      headers: {
        'content-type': fuzz.pick(['application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded']),
        ...(fuzz.int(2) ? { cookie } : {}),
      },
      body,
    });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    sentHttp += 1;
    await response.arrayBuffer();
  }
  const serverErrors = [...statuses].filter(([status]) => status >= 500);
  t.same(serverErrors, [], `${sentHttp} bodies, no 5xx (statuses: ${JSON.stringify(Object.fromEntries(statuses))})`);
  t.notOk(statuses.has(201), 'no invalid body created anything');

  // WebSocket frames from a customer and an analyst; a socket closed for abuse is reopened.
  const templates: Record<string, unknown>[] = [
    { type: 'ticket.take', ticketId: ticket.ticketId }, { type: 'ticket.cancel' }, { type: 'consent.reply', allow: true },
    { type: 'share.state', sharing: true }, { type: 'session.end' }, { type: 'session.route', route: 'relay' },
    { type: 'signal', data: { type: 'offer', sdp: 'v=0' } },
  ];
  const open = { customer: null as TestClient | null, analyst: null as TestClient | null };
  const connect = async (role: 'customer' | 'analyst') => {
    const client = role === 'customer' ? await TestClient.connect(server.wsUrl, { token: ticket.token }) : await TestClient.connect(server.wsUrl, { cookie });
    await client.next(role === 'customer' ? 'ticket.status' : 'queue.snapshot');
    return client;
  };
  let sent = 0;
  let reopened = 0;
  while (sent < WS_INPUTS) {
    const role = fuzz.pick(['customer', 'analyst'] as const);
    const frame = fuzz.int(4) === 0 ? fuzz.rawText(JSON.stringify(fuzz.pick(templates))) : JSON.stringify(fuzz.mutate(fuzz.pick(templates)));
    try {
      if (Value.Check(ClientFrame, JSON.parse(frame))) continue;
    } catch {
      // not JSON: exactly what we want to send
    }
    let client = open[role];
    if (!client || client.socket.readyState !== 1) {
      client = open[role] = await connect(role);
      reopened += 1;
    }
    client.sendRaw(frame);
    sent += 1;
    if (sent % 50 === 0) await client.pending('error', 5); // let the server breathe and answer
  }
  await new Promise((r) => setTimeout(r, 200));
  await Promise.all(Object.values(open).map((c) => c?.close()));
  t.ok(reopened >= 2, `${sent} frames; sockets closed for abuse and reopened ${reopened} times`);
  const after = snapshot();
  if (after !== before) console.error(`before: ${before}\nafter:  ${after}`);
  t.equal(after, before, 'tickets and accounts are exactly as before');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  t.notMatch(metrics, /code="server\.internal"/, 'no handler ever failed');

  // The server still serves a real session: take, consent, relay, end.
  const analyst = await TestClient.connect(server.wsUrl, { cookie });
  await analyst.next('queue.snapshot');
  const customer = await TestClient.connect(server.wsUrl, { token: ticket.token });
  await customer.next('ticket.status');
  analyst.send({ type: 'ticket.take', ticketId: ticket.ticketId });
  await analyst.next('session.started');
  customer.send({ type: 'consent.reply', allow: true });
  await analyst.until('session.state', (f) => f.state === 'consented');
  customer.send({ type: 'signal', data: { type: 'offer', sdp: 'after-fuzz' } });
  t.equal((await analyst.next('signal')).data.sdp, 'after-fuzz');
  analyst.send({ type: 'session.end' });
  t.equal((await customer.until('ticket.status', (f) => f.state === 'ended')).endReason, 'analystEnded');
  await analyst.close();
});
