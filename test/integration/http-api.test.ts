import t from 'tap';
import { startServer } from '../helpers/server.js';
import { login } from '../helpers/ws-client.js';

const server = await startServer();
t.teardown(() => server.close());

const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers, body });
const valid = { queue: 'general', name: 'Ann', email: 'ann@example.com', phone: '+33 1 23 45 67 89' };
const ticketCount = () => server.app.relay.store.all().length;

t.test('GET /healthz and /readyz answer 200 JSON', async (t) => {
  const health = await fetch(`${server.url}/healthz`);
  t.equal(health.status, 200);
  t.same(await health.json(), { status: 'ok' });
  t.equal((await fetch(`${server.url}/readyz`)).status, 200);
});

t.test('GET /api/queues lists the configured queues as {id, name, full, outlook}', async (t) => {
  const res = await fetch(`${server.url}/api/queues`);
  // No hours configured (always open), no analyst online, no takes yet: no estimate.
  const outlook = { open: true, analystsOnline: 0, analystsAvailable: 0 };
  t.same(await res.json(), [{ id: 'general', name: 'General support', full: false, outlook }, { id: 'printers', name: 'Printers', full: false, outlook }]);
});

t.test('POST /api/tickets creates a ticket and returns its id, token and link', async (t) => {
  const res = await post('/api/tickets', JSON.stringify(valid));
  t.equal(res.status, 201);
  const body = (await res.json()) as { ticketId: string; token: string; url: string };
  t.match(body.ticketId, /^[0-9a-f-]{36}$/);
  t.equal(Buffer.from(body.token, 'base64url').length, 16, '128-bit token');
  t.equal(body.url, `${server.url}/s/${body.token}`);
  const current = await fetch(`${server.url}/api/tickets/current`, { headers: { authorization: `Bearer ${body.token}` } });
  t.same(await current.json(), { ticketId: body.ticketId, queue: 'general', name: 'Ann', state: 'waiting' });
});

t.test('POST /api/tickets refuses bad input with a typed 400 and creates nothing', async (t) => {
  const cases: [string, string, string, Record<string, string>?][] = [
    ['non-JSON', '{"queue": ', 'request.invalidJson'],
    ['plain text', 'hello', 'request.invalidJson', { 'content-type': 'text/plain' }],
    ['empty body', '', 'request.invalidJson'],
    ['an array', '[]', 'request.invalidBody'],
    ['missing queue', JSON.stringify({ name: 'A', email: 'a@b.co' }), 'request.invalidBody'],
    ['neither email nor phone', JSON.stringify({ queue: 'general', name: 'A' }), 'ticket.contactNeeded'],
    ['email and phone blank', JSON.stringify({ ...valid, email: '  ', phone: '' }), 'ticket.contactNeeded'],
    ['a problem too long', JSON.stringify({ ...valid, problem: 'x'.repeat(501) }), 'ticket.invalidProblem'],
    ['a problem of the wrong type', JSON.stringify({ ...valid, problem: ['x'] }), 'request.invalidBody'],
    ['name of the wrong type', JSON.stringify({ ...valid, name: 42 }), 'request.invalidBody'],
    ['an unknown field', JSON.stringify({ ...valid, admin: true }), 'request.invalidBody'],
    ['unknown queue', JSON.stringify({ ...valid, queue: 'nope' }), 'queue.unknown'],
    ['bad email', JSON.stringify({ ...valid, email: 'ann.example.com' }), 'ticket.invalidEmail'],
    ['bad phone', JSON.stringify({ ...valid, phone: '12' }), 'ticket.invalidPhone'],
    ['blank name', JSON.stringify({ ...valid, name: '   ' }), 'ticket.invalidName'],
  ];
  const before = ticketCount();
  for (const [label, body, code, headers] of cases) {
    const res = await post('/api/tickets', body, headers);
    t.equal(res.status, 400, `${label}: status`);
    const json = (await res.json()) as { error: { code: string; message: string } };
    t.equal(json.error.code, code, `${label}: code`);
    t.ok(json.error.message.length > 10, `${label}: a message that says what to do`);
  }
  const huge = await post('/api/tickets', JSON.stringify({ ...valid, name: 'x'.repeat(20_000) }));
  t.equal(huge.status, 413);
  t.equal(((await huge.json()) as { error: { code: string } }).error.code, 'request.tooLarge');
  t.equal(ticketCount(), before, 'no ticket was created by any bad request');
});

t.test('GET /api/tickets/current refuses unknown tokens', async (t) => {
  const res = await fetch(`${server.url}/api/tickets/current`, { headers: { authorization: 'Bearer not-a-token' } });
  t.equal(res.status, 404);
  t.equal(((await res.json()) as { error: { code: string } }).error.code, 'token.invalid');
});

t.test('analyst sign-in sets an HttpOnly SameSite=Strict cookie; wrong passwords get 401', async (t) => {
  const bad = await post('/api/login', JSON.stringify({ username: 'alice', password: 'wrong' }));
  t.equal(bad.status, 401);
  t.equal(((await bad.json()) as { error: { code: string } }).error.code, 'auth.invalidCredentials');
  const unknown = await post('/api/login', JSON.stringify({ username: 'mallory', password: 'x' }));
  t.equal(unknown.status, 401);
  const ok = await post('/api/login', JSON.stringify({ username: 'alice', password: 'alice-password' }));
  t.equal(ok.status, 200);
  const cookie = ok.headers.get('set-cookie') ?? '';
  t.match(cookie, /HttpOnly/);
  t.match(cookie, /SameSite=Strict/);
  const me = await fetch(`${server.url}/api/me`, { headers: { cookie: cookie.split(';')[0] } });
  t.same(await me.json(), { id: 'alice', displayName: 'Alice Martin', role: 'admin', queues: ['general', 'printers'], totp: false, totpSetupRequired: false });
  await fetch(`${server.url}/api/logout`, { method: 'POST', headers: { cookie: cookie.split(';')[0] } });
  t.equal((await fetch(`${server.url}/api/me`, { headers: { cookie: cookie.split(';')[0] } })).status, 401, 'logout ends the login');
});

t.test('POST /api/analyst/tickets makes a link for a customer on the phone, only in the analyst\'s queues', async (t) => {
  const anonymous = await post('/api/analyst/tickets', JSON.stringify({ queue: 'general', name: 'Phone Customer' }));
  t.equal(anonymous.status, 401);
  const cookie = await login(server.url, 'bob');
  const headers = { 'content-type': 'application/json', cookie };
  const ok = await post('/api/analyst/tickets', JSON.stringify({ queue: 'general', name: 'Phone Customer' }), headers);
  t.equal(ok.status, 201);
  const body = (await ok.json()) as { token: string; url: string };
  t.match(body.url, /\/s\/[A-Za-z0-9_-]{22}$/);
  const page = await fetch(body.url);
  t.equal(page.status, 200);
  t.match(page.headers.get('content-type'), /text\/html/);
  const foreign = await post('/api/analyst/tickets', JSON.stringify({ queue: 'printers', name: 'X' }), headers);
  t.equal(foreign.status, 403);
  const badEmail = await post('/api/analyst/tickets', JSON.stringify({ queue: 'general', name: 'X', email: 'nope' }), headers);
  t.equal(badEmail.status, 400);
});

t.test('pages carry a strict Content-Security-Policy; unknown paths get a JSON 404', async (t) => {
  for (const path of ['/', '/analyst']) {
    const res = await fetch(`${server.url}${path}`);
    t.equal(res.status, 200);
    t.match(res.headers.get('content-security-policy'), /script-src 'self';/, 'no eval, not even WebAssembly');
    t.equal(res.headers.get('x-frame-options'), 'DENY');
  }
  const missing = await fetch(`${server.url}/nope`);
  t.equal(missing.status, 404);
  t.equal(((await missing.json()) as { error: { code: string } }).error.code, 'request.notFound');
});

t.test('a full queue refuses new requests plainly, with nothing created; the other queues still take them', async (t) => {
  const { startServer: start } = await import('../helpers/server.js');
  const small = await start({ waitingPerQueueMax: 2 });
  t.teardown(() => small.close());
  const create = (queue: string) => fetch(`${small.url}/api/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...valid, queue }) });
  t.same([(await create('general')).status, (await create('general')).status], [201, 201]);
  const full = await create('general');
  t.equal(full.status, 503);
  const body = (await full.json()) as { error: { code: string; message: string } };
  t.equal(body.error.code, 'queue.full');
  t.match(body.error.message, /Try again in a few minutes/);
  t.equal(small.app.relay.store.all().length, 2, 'nothing created');
  t.equal((await create('printers')).status, 201, 'another queue is not affected');
});

t.test('the portal\'s queue list says which queues are full', async (t) => {
  const { startServer: start } = await import('../helpers/server.js');
  const small = await start({ waitingPerQueueMax: 1 });
  t.teardown(() => small.close());
  const list = async () => (await (await fetch(`${small.url}/api/queues`)).json()) as Array<{ id: string; full: boolean }>;
  t.same((await list()).map((q) => q.full), [false, false]);
  t.equal((await fetch(`${small.url}/api/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(valid) })).status, 201);
  t.same((await list()).map((q) => [q.id, q.full]), [['general', true], ['printers', false]]);
});

t.test('waiting requests are capped per address (/64 for IPv6), also when they arrive at once; nothing is created beyond', async (t) => {
  const { startServer: start } = await import('../helpers/server.js');
  const capped = await start({ waitingPerAddressMax: 3, trustProxy: ['127.0.0.1'] });
  t.teardown(() => capped.close());
  const create = (from: string, queue = 'general') =>
    fetch(`${capped.url}/api/tickets`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from }, body: JSON.stringify({ ...valid, queue }) });
  t.same([(await create('203.0.113.1')).status, (await create('203.0.113.1', 'printers')).status, (await create('203.0.113.1')).status], [201, 201, 201]);
  const refused = await create('203.0.113.1', 'printers');
  t.equal(refused.status, 429, 'the fourth, in any queue');
  const body = (await refused.json()) as { error: { code: string; message: string } };
  t.equal(body.error.code, 'queue.tooManyFromAddress');
  t.match(body.error.message, /already waiting/);
  t.equal(capped.app.relay.store.all().length, 3, 'nothing created');
  t.equal((await create('203.0.113.2')).status, 201, 'another address is not affected');

  const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => create(`2001:db8:5:6::${i + 1}`).then((r) => r.status)));
  t.equal(burst.filter((s) => s === 201).length, 3, 'twelve at once from one /64: three wait');
  t.equal(burst.filter((s) => s === 429).length, 9);
  t.equal((await create('2001:db8:5:7::1')).status, 201, 'the next /64 is another address');
  t.notOk(JSON.stringify(capped.app.relay.store.all()).includes('203.0.113'), 'the tickets keep a pseudonym, not the address');
});
