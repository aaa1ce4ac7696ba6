import t from 'tap';
import { base32Decode, hotp, TOTP_STEP_MS } from '../../signaling/auth/totp.js';
import { startServer } from '../helpers/server.js';
import { login, upgradeAnswer } from '../helpers/ws-client.js';

// Two-step sign-in through the real API: set-up, sign-in, replays, recovery codes, turning it off,
// and an admin requiring or resetting it.
const server = await startServer({ loginFailuresBeforeLock: 5, loginLockMs: 60_000 });
t.teardown(() => server.close());

type Answer = { status: number; body: Record<string, unknown> & { error?: { code: string } }; cookie: string };
const call = async (method: string, path: string, body?: unknown, cookie?: string): Promise<Answer> => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'], cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
};
const signIn = (username: string, password: string, code?: string) => call('POST', '/api/login', { username, password, ...(code === undefined ? {} : { code }) });
/** The code of the step `offset` steps from now (the server accepts one step either side; each once). */
const codeAt = (secret: string, offset = 0) => hotp(base32Decode(secret), Math.floor(Date.now() / TOTP_STEP_MS) + offset);

async function setUp(username: string, cookie: string, password = `${username}-password`) {
  const started = await call('POST', '/api/me/totp', { password }, cookie);
  const secret = started.body.secret as string;
  const confirmed = await call('POST', '/api/me/totp/confirm', { code: codeAt(secret) }, cookie);
  return { started, secret, confirmed };
}

t.test('an analyst sets up two-step sign-in: the password again, a QR secret, the first code; ten recovery codes once', async (t) => {
  const cookie = await login(server.url, 'bob');
  const other = await login(server.url, 'bob');
  t.same((await call('GET', '/api/me', undefined, cookie)).body.totp, false);
  t.equal((await call('POST', '/api/me/totp', { password: 'not-his' }, cookie)).body.error?.code, 'auth.invalidCredentials', 'a stolen console cannot start it without the password');
  t.equal((await call('POST', '/api/me/totp/confirm', { code: '123456' }, cookie)).body.error?.code, 'totp.notStarted');
  const started = await call('POST', '/api/me/totp', { password: 'bob-password' }, cookie);
  t.equal(started.status, 200);
  const secret = started.body.secret as string;
  t.match(secret, /^[A-Z2-7]{32}$/);
  t.equal(started.body.uri, `otpauth://totp/Relay%20Desk:bob?secret=${secret}&issuer=Relay%20Desk&algorithm=SHA1&digits=6&period=30`);
  const wrong = await call('POST', '/api/me/totp/confirm', { code: codeAt(secret, 5) }, cookie);
  t.same([wrong.status, wrong.body.error?.code], [400, 'totp.codeInvalid']);
  t.same((await call('GET', '/api/me', undefined, cookie)).body.totp, false, 'not on yet');
  const confirmed = await call('POST', '/api/me/totp/confirm', { code: codeAt(secret) }, cookie);
  t.equal(confirmed.status, 200);
  const codes = confirmed.body.recoveryCodes as string[];
  t.equal(codes.length, 10);
  t.equal((await call('GET', '/api/me', undefined, other)).status, 401, 'the other sign-ins of the account end');
  t.equal((await call('GET', '/api/me', undefined, cookie)).status, 401, 'the old cookie too');
  const renewed = confirmed.cookie;
  t.same((await call('GET', '/api/me', undefined, renewed)).body.totp, true, 'this browser goes on with a fresh sign-in');
  t.equal((await call('POST', '/api/me/totp', { password: 'bob-password' }, renewed)).body.error?.code, 'totp.alreadyOn');
  const accounts = await call('GET', '/api/admin/accounts', undefined, await login(server.url, 'alice'));
  const listed = JSON.stringify(accounts.body);
  t.notOk(listed.includes(secret) || listed.includes('recoveryHashes'), 'no secret or recovery hash leaves the server');
  t.match(listed, /"username":"bob"[^}]*"totp":true/);

  // Signing in now takes a code.
  const noCode = await signIn('bob', 'bob-password');
  t.same([noCode.status, noCode.body.error?.code, noCode.cookie], [401, 'auth.codeRequired', ''], 'the password alone: asked for a code, no cookie');
  t.equal((await signIn('bob', 'bob-password', '000000')).body.error?.code, 'auth.codeInvalid');
  const code = codeAt(secret, 1);
  const ok = await signIn('bob', 'bob-password', code);
  t.equal(ok.status, 200, 'password and code');
  t.equal((await signIn('bob', 'bob-password', code)).body.error?.code, 'auth.codeInvalid', 'the same code a second time: refused (one use per code)');
  t.equal((await signIn('bob', 'bob-password', codes[0].toUpperCase())).status, 200, 'a recovery code, typed in capitals');
  t.equal((await signIn('bob', 'bob-password', codes[0])).body.error?.code, 'auth.codeInvalid', 'each recovery code once');
  t.equal((await signIn('bob', 'wrong-password', codeAt(secret, -1))).body.error?.code, 'auth.invalidCredentials', 'a code does not stand in for the password');

  // Turning it off takes a current code.
  const session = ok.cookie;
  t.equal((await call('DELETE', '/api/me/totp', { code: '000000' }, session)).body.error?.code, 'auth.codeInvalid');
  const off = await call('DELETE', '/api/me/totp', { code: codeAt(secret, -1) }, session);
  t.same([off.status, off.body.totp], [200, false]);
  t.equal((await signIn('bob', 'bob-password')).status, 200, 'the password alone again');
});

t.test('the same code at once from ten requests: one sign-in; wrong codes lock the account like wrong passwords', async (t) => {
  const { secret } = await setUp('carol', await login(server.url, 'carol'));
  const code = codeAt(secret, 1);
  const answers = await Promise.all(Array.from({ length: 10 }, () => signIn('carol', 'carol-password', code).then((a) => a.status)));
  t.equal(answers.filter((s) => s === 200).length, 1, `one sign-in (${answers.join(' ')})`);
  t.notOk(answers.includes(500));
  // A thief with the password guesses codes: five attempts, then the lock.
  const guesses = [];
  for (let i = 0; i < 6; i++) guesses.push((await signIn('carol', 'carol-password', String(100000 + i))).status);
  t.same(guesses, [401, 401, 401, 401, 401, 429], 'five wrong codes, then locked');
  t.equal((await signIn('carol', 'carol-password', codeAt(secret, -1))).status, 429, 'the right code too, until the lock ends');
});

t.test('an admin requires two-step sign-in: until set up, a sign-in reaches only the set-up; reset and required are admin-only', async (t) => {
  const admin = await login(server.url, 'alice');
  const created = await call('POST', '/api/admin/accounts', { username: 'dave', displayName: 'Dave Roux', password: 'dave-password', role: 'analyst', queues: ['general'] }, admin);
  const id = created.body.id as string;
  const before = await login(server.url, 'dave');
  t.equal((await call('PATCH', `/api/admin/accounts/${id}`, { totpRequired: true }, before)).status, 403, 'not his to decide');
  const required = await call('PATCH', `/api/admin/accounts/${id}`, { totpRequired: true }, admin);
  t.same([required.status, required.body.totpRequired, required.body.totp], [200, true, false]);
  t.equal((await call('GET', '/api/me', undefined, before)).status, 401, 'his sign-in without two-step ends at once');

  const gated = await signIn('dave', 'dave-password');
  t.same([gated.status, gated.body.totpSetupRequired], [200, true], 'the password signs in to the set-up only');
  t.equal((await upgradeAnswer(`${server.wsUrl}`, { cookie: gated.cookie })).status, 401, 'no console');
  t.equal((await call('POST', '/api/analyst/tickets', { queue: 'general', name: 'Ann' }, gated.cookie)).status, 401, 'no links');
  const { confirmed, secret } = await setUp('dave', gated.cookie);
  t.equal(confirmed.status, 200);
  t.same((await call('GET', '/api/me', undefined, confirmed.cookie)).body.totpSetupRequired, false);
  t.equal((await upgradeAnswer(`${server.wsUrl}`, { cookie: confirmed.cookie })).status, 101, 'the console opens once it is set up');
  t.equal((await call('DELETE', '/api/me/totp', { code: codeAt(secret, 1) }, confirmed.cookie)).body.error?.code, 'totp.required', 'and cannot be turned off');

  // A lost phone: the admin resets it; his sign-ins end; the next sign-in sets it up again.
  const reset = await call('PATCH', `/api/admin/accounts/${id}`, { totpReset: true }, admin);
  t.same([reset.status, reset.body.totp], [200, false]);
  t.equal((await call('GET', '/api/me', undefined, confirmed.cookie)).status, 401);
  t.same((await signIn('dave', 'dave-password')).body.totpSetupRequired, true, 'no code asked: set up again');
});
