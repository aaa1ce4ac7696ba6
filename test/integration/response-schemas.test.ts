import { Value } from 'typebox/value';
import type { TSchema } from 'typebox';
import t, { type Test } from 'tap';
import { AccountList, AccountView, ErrorBody, QueueList, SignedInAnalyst, SignedOut, TicketCreated, TicketCurrent } from '../../protocol/index.js';
import { startServer } from '../helpers/server.js';

// Every HTTP answer has a schema in protocol/ (the browser imports its types from there); each
// real answer of the server matches it, errors included.
const server = await startServer();
t.teardown(() => server.close());

async function call(path: string, init: { method?: string; body?: unknown; cookie?: string; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.cookie) headers.cookie = init.cookie;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(`${server.url}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return { status: response.status, body: await response.json(), cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] };
}

function matches(t: Test, schema: TSchema, answer: { status: number; body: unknown }, status: number, what: string) {
  t.equal(answer.status, status, `${what}: ${status}`);
  t.ok(Value.Check(schema, answer.body), `${what}: the body matches its schema ${JSON.stringify([...Value.Errors(schema, answer.body)].slice(0, 2).map((e) => e.instancePath + ' ' + e.message))}`);
}

t.test('every answer of the HTTP API matches the schema the browser imports', async (t) => {
  matches(t, ErrorBody, await call('/api/login', { body: { username: 'alice', password: 'wrong-password' } }), 401, 'a failed sign-in');
  const login = await call('/api/login', { body: { username: 'alice', password: 'alice-password' } });
  matches(t, SignedInAnalyst, login, 200, 'sign-in');
  matches(t, SignedInAnalyst, await call('/api/me', { cookie: login.cookie }), 200, '/api/me');
  matches(t, ErrorBody, await call('/api/me'), 401, '/api/me signed out');
  matches(t, QueueList, await call('/api/queues'), 200, '/api/queues');
  const created = await call('/api/tickets', { body: { queue: 'general', name: 'Schema Sam', email: 'sam@example.com', phone: '+33 1 23 45 67 89' } });
  matches(t, TicketCreated, created, 201, 'a customer\'s ticket');
  matches(t, ErrorBody, await call('/api/tickets', { body: { queue: 'nope', name: 'X', email: 'x@example.com', phone: '+33 1 23 45 67 89' } }), 400, 'an unknown queue');
  matches(t, TicketCurrent, await call('/api/tickets/current', { token: (created.body as { token: string }).token }), 200, 'the customer link check');
  matches(t, ErrorBody, await call('/api/tickets/current', { token: 'nope' }), 404, 'an invalid customer link');
  matches(t, TicketCreated, await call('/api/analyst/tickets', { cookie: login.cookie, body: { queue: 'general', name: 'Phone Pat' } }), 201, 'an analyst\'s ticket');
  matches(t, AccountList, await call('/api/admin/accounts', { cookie: login.cookie }), 200, 'the accounts list');
  const account = await call('/api/admin/accounts', { cookie: login.cookie, body: { username: 'schema-sue', displayName: 'Sue', password: 'sue-password-1', role: 'analyst', queues: ['general'] } });
  matches(t, AccountView, account, 201, 'a new account');
  matches(t, ErrorBody, await call('/api/admin/accounts', { cookie: login.cookie, body: { username: 'schema-sue', displayName: 'Sue', password: 'sue-password-1', role: 'analyst', queues: ['general'] } }), 409, 'a taken user name');
  const id = (account.body as { id: string }).id;
  matches(t, AccountView, await call(`/api/admin/accounts/${id}`, { method: 'PATCH', cookie: login.cookie, body: { displayName: 'Susan' } }), 200, 'an account change');
  matches(t, AccountView, await call(`/api/admin/accounts/${id}`, { method: 'DELETE', cookie: login.cookie }), 200, 'an account removed');
  matches(t, SignedOut, await call('/api/logout', { method: 'POST', cookie: login.cookie, body: {} }), 200, 'sign-out');
});
