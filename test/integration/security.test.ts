import t from 'tap';
import { CLOSE_CODES } from '../../protocol/index.js';
import { startServer, ANALYSTS } from '../helpers/server.js';
import { createTicket, login, takenSession, TestClient, upgradeAnswer } from '../helpers/ws-client.js';

const json = (method: string, body: unknown, cookie?: string) => ({
  method,
  headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
  body: JSON.stringify(body),
});

t.test('only admins manage accounts; an analyst gets 403, a stranger 401', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const [alice, bob] = [await login(server.url, 'alice'), await login(server.url, 'bob')];
  t.equal((await fetch(`${server.url}/api/admin/accounts`)).status, 401);
  t.equal((await fetch(`${server.url}/api/admin/accounts`, { headers: { cookie: bob } })).status, 403);
  const list = (await (await fetch(`${server.url}/api/admin/accounts`, { headers: { cookie: alice } })).json()) as Array<Record<string, unknown>>;
  t.same(list.map((a) => a.username), ['alice', 'bob', 'carol']);
  t.notOk(JSON.stringify(list).includes('scrypt'), 'no hash leaves the server');

  const newAnalyst = { username: 'dave', displayName: 'Dave Roux', password: 'dave-password', role: 'analyst', queues: ['printers'] };
  t.equal((await fetch(`${server.url}/api/admin/accounts`, json('POST', newAnalyst, bob))).status, 403);
  const created = await fetch(`${server.url}/api/admin/accounts`, json('POST', newAnalyst, alice));
  t.equal(created.status, 201);
  const dave = (await created.json()) as { id: string };
  t.equal((await fetch(`${server.url}/api/admin/accounts`, json('POST', newAnalyst, alice))).status, 409, 'taken user name');
  const weak = await fetch(`${server.url}/api/admin/accounts`, json('POST', { ...newAnalyst, username: 'eve', password: 'short' }, alice));
  t.equal(((await weak.json()) as { error: { code: string } }).error.code, 'account.weakPassword');

  // Dave signs in and sees only printers; an admin moves him to general: his sign-in ends at once
  // (it was granted for other queues), and signing in again gives him the new ones.
  const daveCookie = await login(server.url, 'dave');
  const console1 = await TestClient.connect(server.wsUrl, { cookie: daveCookie });
  t.same((await console1.next('queue.snapshot')).queues.map((q) => q.id), ['printers']);
  const moved = await fetch(`${server.url}/api/admin/accounts/${dave.id}`, json('PATCH', { queues: ['general'] }, alice));
  t.equal(moved.status, 200);
  t.equal((await console1.closed).code, CLOSE_CODES.accountChanged, 'the open console is closed');
  await t.rejects(TestClient.connect(server.wsUrl, { cookie: daveCookie }), { message: 'upgrade refused: 401' }, 'and its sign-in no longer opens one');
  const console2 = await TestClient.connect(server.wsUrl, { cookie: await login(server.url, 'dave') });
  t.same((await console2.next('queue.snapshot')).queues.map((q) => q.id), ['general']);
  await console2.close();
  const dave2 = await login(server.url, 'dave');

  t.equal((await fetch(`${server.url}/api/admin/accounts/${dave.id}`, { method: 'DELETE', headers: { cookie: alice } })).status, 200);
  t.equal((await fetch(`${server.url}/api/me`, { headers: { cookie: dave2 } })).status, 401, 'a removed account loses its sign-in at once');
  t.equal((await fetch(`${server.url}/api/admin/accounts/alice`, { method: 'DELETE', headers: { cookie: alice } })).status, 400, 'the last admin stays');
});

t.test('repeated failed sign-ins lock the user name out, even for the right password', async (t) => {
  const server = await startServer({ loginFailuresBeforeLock: 3, loginLockMs: 60_000 });
  t.teardown(() => server.close());
  for (let i = 0; i < 3; i++) {
    t.equal((await fetch(`${server.url}/api/login`, json('POST', { username: 'bob', password: `guess-${i}` }))).status, 401);
  }
  const locked = await fetch(`${server.url}/api/login`, json('POST', { username: 'bob', password: 'bob-password' }));
  t.equal(locked.status, 429);
  t.equal(((await locked.json()) as { error: { code: string } }).error.code, 'auth.locked');
  t.ok(Number(locked.headers.get('retry-after')) > 0, 'Retry-After says how long');
  t.equal((await fetch(`${server.url}/api/login`, json('POST', { username: 'carol', password: 'carol-password' }))).status, 200, 'other users are unaffected');
});

t.test('40 concurrent wrong sign-ins for one user: only LOGIN_FAILURES_BEFORE_LOCK reach the password check, the rest are locked out', async (t) => {
  const server = await startServer({ loginFailuresBeforeLock: 5, loginLockMs: 60_000 });
  t.teardown(() => server.close());
  let hashed = 0;
  const accounts = server.app.relay.accounts;
  const authenticate = accounts.authenticate.bind(accounts);
  accounts.authenticate = async (...args: Parameters<typeof authenticate>) => {
    hashed += 1;
    return authenticate(...args);
  };
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${server.url}/api/login`, json('POST', { username: 'bob', password: `guess-${i}` })).then((r) => r.status)));
  t.equal(hashed, 5, 'five password checks, not forty');
  t.equal(answers.filter((s) => s === 401).length, 5);
  t.equal(answers.filter((s) => s === 429).length, 35, 'the rest: locked');
  t.equal((await fetch(`${server.url}/api/login`, json('POST', { username: 'bob', password: 'bob-password' }))).status, 429, 'the right password too, until the lock ends');
  t.equal((await fetch(`${server.url}/api/login`, json('POST', { username: 'carol', password: 'carol-password' }))).status, 200, 'the address is not locked for the other users');
});

t.test('a sign-in flood cannot fill the thread pool: two hashes at once, a bounded queue, the rest refused with 503', async (t) => {
  const server = await startServer({ loginFailuresBeforeLock: 1000 });
  t.teardown(() => server.close());
  let running = 0;
  let peak = 0;
  const accounts = server.app.relay.accounts;
  const authenticate = accounts.authenticate.bind(accounts);
  accounts.authenticate = async (...args: Parameters<typeof authenticate>) => {
    peak = Math.max(peak, ++running);
    try {
      return await authenticate(...args);
    } finally {
      running -= 1;
    }
  };
  const flood = Promise.all(Array.from({ length: 400 }, (_, i) => fetch(`${server.url}/api/login`, json('POST', { username: `nobody${i}`, password: 'x' })).then(async (r) => ({ status: r.status, code: ((await r.json()) as { error?: { code: string } }).error?.code }))));
  const page = await fetch(`${server.url}/healthz`);
  t.equal(page.status, 200, 'the server still answers during the flood');
  const answers = await flood;
  t.equal(peak, 2, 'never more than two password hashes at once');
  const busy = answers.filter((a) => a.status === 503);
  t.ok(busy.length >= 100, `what goes beyond the queue is refused at once (${busy.length} of 400)`);
  t.ok(busy.every((a) => a.code === 'auth.busy'));
  t.equal(answers.filter((a) => a.status === 401).length + busy.length, 400, 'the others were checked, and failed');
  t.equal((await fetch(`${server.url}/api/login`, json('POST', { username: 'carol', password: 'carol-password' }))).status, 200, 'after it, sign-in works');
});

t.test('ticket creation and sign-in are rate limited per address', async (t) => {
  const server = await startServer({ ticketRatePerMinute: 3, loginRatePerMinute: 2 });
  t.teardown(() => server.close());
  const body = { queue: 'general', name: 'Ann', email: 'ann@example.com', phone: '0123456789' };
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await fetch(`${server.url}/api/tickets`, json('POST', body))).status);
  t.same(statuses, [201, 201, 201, 429, 429]);
  t.equal(server.app.relay.store.all().length, 3, 'refused requests created nothing');
  const logins: number[] = [];
  for (let i = 0; i < 3; i++) logins.push((await fetch(`${server.url}/api/login`, json('POST', { username: 'alice', password: 'alice-password' }))).status);
  t.same(logins, [200, 200, 429]);
});

t.test('a WebSocket flood is refused frame by frame, then the socket is closed', async (t) => {
  const server = await startServer({ frameRatePerSecond: 5 });
  t.teardown(() => server.close());
  const ticket = await createTicket(server.url);
  const client = await TestClient.connect(server.wsUrl, { token: ticket.token });
  await client.next('ticket.status');
  for (let i = 0; i < 40; i++) client.send({ type: 'share.state', sharing: true });
  const codes = new Set((await client.pending('error', 300)).map((e) => e.code));
  t.ok(codes.has('frame.rateLimited'), `rate limited (${[...codes].join(', ')})`);
  t.equal((await client.closed).code, CLOSE_CODES.protocolViolation);
  t.equal(server.app.relay.store.get(ticket.ticketId)?.state, 'waiting', 'nothing changed');
});

t.test('100 analysts take the same ticket at once: exactly one wins', async (t) => {
  const many = Array.from({ length: 100 }, (_, i) => ({ id: `a${i}`, username: `analyst${i}`, displayName: `Analyst ${i}`, password: `analyst${i}-password`, queues: ['general'] }));
  const server = await startServer({ analysts: [...ANALYSTS, ...many] });
  t.teardown(() => server.close());
  const consoles = await Promise.all(many.map(async (a) => {
    const client = await TestClient.connect(server.wsUrl, { cookie: await login(server.url, a.username) });
    await client.next('queue.snapshot');
    return client;
  }));
  const ticket = await createTicket(server.url);
  const customer = await TestClient.connect(server.wsUrl, { token: ticket.token });
  await customer.next('ticket.status');
  await Promise.all(consoles.map((c) => c.until('queue.ticketUpserted', (f) => f.ticket.customerOnline)));
  consoles.forEach((c) => c.send({ type: 'ticket.take', ticketId: ticket.ticketId }));
  const outcomes = await Promise.all(consoles.map((c) =>
    Promise.race([c.next('session.started', 10_000).then(() => 'won'), c.next('error', 10_000).then((e) => e.code)]),
  ));
  t.equal(outcomes.filter((o) => o === 'won').length, 1, 'one winner');
  t.equal(outcomes.filter((o) => o === 'ticket.alreadyTaken').length, 99, '99 told it was taken');
  await Promise.all([...consoles, customer].map((c) => c.close()));
});

t.test('a customer token opens exactly one ticket: no other ticket, session or peer is reachable with it', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const mine = await createTicket(server.url, { name: 'Mine' });
  const theirs = await createTicket(server.url, { name: 'Theirs' });
  const current = await fetch(`${server.url}/api/tickets/current`, { headers: { authorization: `Bearer ${mine.token}` } });
  t.equal(((await current.json()) as { ticketId: string }).ticketId, mine.ticketId);
  const me = await TestClient.connect(server.wsUrl, { token: mine.token });
  t.equal((await me.next('ticket.status')).ticketId, mine.ticketId);
  // Frames naming another ticket do not exist in the customer protocol; take is analysts-only.
  me.send({ type: 'ticket.take', ticketId: theirs.ticketId });
  t.equal((await me.next('error')).code, 'frame.forbidden');
  t.equal((await fetch(`${server.url}/api/admin/accounts`, { headers: { authorization: `Bearer ${mine.token}` } })).status, 401);
  t.equal((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${mine.token}` } })).status, 401);
  t.equal(server.app.relay.store.get(theirs.ticketId)?.state, 'waiting');
  await me.close();
});

t.test('the /ws upgrade checks its query before any lookup: a repeated token is refused with 400, a bad one with 401', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const ws = server.url.replace('http', 'ws');
  const { token } = await createTicket(server.url);
  t.same(await upgradeAnswer(`${ws}/ws?token=${token}&token=${token}`), { status: 400, code: 'request.invalidBody' }, 'two tokens: neither is tried');
  t.same(await upgradeAnswer(`${ws}/ws?token=${'a'.repeat(200)}`), { status: 400, code: 'request.invalidBody' }, 'longer than any token we issue');
  t.same(await upgradeAnswer(`${ws}/ws?token=not-a-token`), { status: 401, code: 'token.invalid' });
  const customer = await TestClient.connect(`${ws}/ws`, { token });
  t.equal((await customer.next('ticket.status')).state, 'waiting', 'the one valid token still connects');
  customer.socket.close();
});

t.test('the helper upgrade counts every attempt against the address, whatever its query, then checks it', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const ws = server.url.replace('http', 'ws');
  const answers: Array<{ status: number; code?: string }> = [];
  for (const query of ['code=1&code=2', ...Array.from({ length: 9 }, (_, i) => `code=00000${i}`)]) answers.push(await upgradeAnswer(`${ws}/ws/helper?${query}`));
  t.same(answers.map((a) => a.status), [400, ...Array(9).fill(401)], 'a malformed query is 400, wrong codes 401');
  t.same(await upgradeAnswer(`${ws}/ws/helper?code=123456`), { status: 429, code: 'request.rateLimited' }, 'the malformed one counted: the eleventh try is rate limited');
});

t.test('a helper upgrade from a browser (any Origin) is refused with 403, and counts against the address', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const ws = server.url.replace('http', 'ws');
  for (const origin of ['https://evil.example', server.url, 'null']) {
    t.same(await upgradeAnswer(`${ws}/ws/helper?code=123456`, { origin }), { status: 403, code: 'helper.fromBrowser' }, `Origin: ${origin}`);
  }
  t.same((await upgradeAnswer(`${ws}/ws/helper?code=123456`)).status, 401, 'without an Origin, the code is checked');
});

t.test('five wrong pairing codes tried at once burn the live code: its customer gets a new one, once, and the old one no longer pairs', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const ws = server.url.replace('http', 'ws');
  const { customer } = await takenSession(server, true);
  customer.send({ type: 'helper.pair' });
  const first = await customer.next('helper.code');
  t.notOk(first.burned);
  const wrong = Array.from({ length: 5 }, (_, i) => String((Number(first.code) + 1 + i) % 1_000_000).padStart(6, '0'));
  const answers = await Promise.all(wrong.map((code) => upgradeAnswer(`${ws}/ws/helper?code=${code}`)));
  t.same(answers.map((a) => a.status), [401, 401, 401, 401, 401]);
  const replaced = await customer.next('helper.code');
  t.equal(replaced.burned, true, 'the customer is told why');
  t.not(replaced.code, first.code);
  t.same(await customer.pending('helper.code'), [], 'once');
  t.same((await upgradeAnswer(`${ws}/ws/helper?code=${first.code}`)).status, 401, 'the burned code no longer pairs');
  t.same((await upgradeAnswer(`${ws}/ws/helper?code=${replaced.code}`)).status, 101, 'the new one does');
  customer.socket.close();
});

t.test('a password, role, queue or enabled change ends every sign-in of that account at once; a new display name does not', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const alice = await login(server.url, 'alice');
  const bob = server.app.relay.accounts.byUsername('bob')!;
  const me = (cookie: string) => fetch(`${server.url}/api/me`, { headers: { cookie } }).then((r) => r.status);
  const patch = (body: object) => fetch(`${server.url}/api/admin/accounts/${bob.id}`, json('PATCH', body, alice)).then((r) => r.status);
  let password = 'bob-password';
  let cookie = await login(server.url, 'bob', password);
  t.equal(await patch({ displayName: 'Bob B.' }), 200);
  t.equal(await me(cookie), 200, 'a new display name keeps the sign-in');
  for (const [what, body] of [
    ['password', { password: 'bob-new-password' }],
    ['role', { role: 'admin' }],
    ['queues', { queues: ['printers'] }],
  ] as const) {
    const other = await login(server.url, 'bob', password);
    t.equal(await patch(body), 200);
    if ('password' in body) password = body.password;
    t.equal(await me(other), 401, `${what}: that sign-in is over`);
    t.equal(await me(cookie), 401, `${what}: and every other one`);
    cookie = await login(server.url, 'bob', password);
    t.equal(await me(cookie), 200, `${what}: a new sign-in works`);
  }
  t.equal(await patch({ disabled: true }), 200);
  t.equal(await patch({ disabled: false }), 200);
  t.equal(await me(cookie), 401, 'disabled then enabled again: the sign-in from before is over');
});

t.test('lock-out is not a weapon: failures from elsewhere lock the user name for strangers, not for its owner at a known address; IPv6 counts per /64', async (t) => {
  const server = await startServer({ trustProxy: ['127.0.0.1'], loginFailuresBeforeLock: 3, loginLockMs: 60_000 });
  t.teardown(() => server.close());
  const from = (address: string, password: string, username = 'bob') =>
    fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ username, password }) }).then((r) => r.status);
  t.equal(await from('203.0.113.5', 'bob-password'), 200, "bob signs in from his office's address");
  const attempts = [];
  for (let i = 0; i < 5; i++) attempts.push(await from(`198.51.100.${i + 1}`, `guess-${i}`));
  t.same(attempts, [401, 401, 401, 429, 429], 'an attacker elsewhere locks the user name');
  t.equal(await from('192.0.2.77', 'bob-password'), 429, 'for any new address, even with the right password');
  t.equal(await from('203.0.113.5', 'bob-password'), 200, 'but bob, from where he signed in before, is not kept out');
  const own = [];
  for (let i = 0; i < 4; i++) own.push(await from('203.0.113.5', `typo-${i}`));
  t.same(own, [401, 401, 401, 429], 'his own address has a lock of its own');

  // IPv6: one subscriber's /64 is one address for the limits.
  const v6 = [];
  for (let i = 0; i < 13; i++) v6.push(await from(`2001:db8:1:2::${(i + 1).toString(16)}`, `guess-${i}`, `nobody${i}`));
  t.equal(v6.filter((s) => s === 401).length, 12, 'twelve failures (four times the per-user limit) over many addresses of one /64');
  t.equal(v6.at(-1), 429, 'then the whole /64 is locked');
  t.equal(await from('2001:db8:1:3::1', 'carol-password', 'carol'), 200, 'the next /64 is not');
});
