import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { CLOSE_CODES } from '../../protocol/index.js';
import { startServer } from '../helpers/server.js';
import { makeSelfSignedCert } from '../helpers/tls.js';
import { createTicket, login, TestClient } from '../helpers/ws-client.js';

t.test('/metrics exposes connections, waiting tickets, sessions, time-to-take, routes and errors', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const cookie = await login(server.url, 'alice');
  const analyst = await TestClient.connect(server.wsUrl, { cookie });
  await analyst.next('queue.snapshot');
  const ticket = await createTicket(server.url, { queue: 'printers' });
  const customer = await TestClient.connect(server.wsUrl, { token: ticket.token });
  await customer.next('ticket.status');
  await fetch(`${server.url}/api/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });

  let text = await (await fetch(`${server.url}/metrics`)).text();
  t.match(text, /relaydesk_connections\{role="customer"\} 1/);
  t.match(text, /relaydesk_connections\{role="analyst"\} 1/);
  t.match(text, /relaydesk_tickets_waiting\{queue="printers"\} 1/);
  t.match(text, /relaydesk_errors_total\{code="request.invalidJson"\} 1/);

  analyst.send({ type: 'ticket.take', ticketId: ticket.ticketId });
  await analyst.next('session.started');
  customer.send({ type: 'consent.reply', allow: true });
  await analyst.next('session.state');
  analyst.send({ type: 'session.route', route: 'relay' });
  analyst.send({ type: 'session.route', route: 'relay' });
  customer.send({ type: 'session.route', route: 'direct' } as never);
  t.equal((await customer.next('error')).code, 'frame.forbidden', 'only the analyst reports the route');
  await analyst.pending('error', 100);

  text = await (await fetch(`${server.url}/metrics`)).text();
  t.match(text, /relaydesk_tickets_waiting\{queue="printers"\} 0/);
  t.match(text, /relaydesk_sessions\{state="consented"\} 1/);
  t.match(text, /relaydesk_time_to_take_seconds_count 1/);
  t.match(text, /relaydesk_session_routes_total\{route="relay"\} 1/, 'counted once per session');
  t.match(text, /relaydesk_errors_total\{code="frame.forbidden"\} 1/);
  t.notMatch(text, /Ann|example\.com|token/, 'no personal data in metrics');
  await analyst.close();
  await customer.close();
});

t.test('METRICS_TOKEN protects /metrics', async (t) => {
  const server = await startServer({ metricsToken: 'scrape-me' });
  t.teardown(() => server.close());
  t.equal((await fetch(`${server.url}/metrics`)).status, 401);
  t.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
  t.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer scrape-me' } })).status, 200);
});

t.test('logs are structured JSON with ticket ids, never names, emails, phones or tokens', async (t) => {
  const stream = new PassThrough();
  let logs = '';
  stream.on('data', (chunk) => (logs += chunk));
  const server = await startServer({ logLevel: 'info' }, { logger: undefined, logStream: stream });
  t.teardown(() => server.close());
  const ticket = await createTicket(server.url, { name: 'Zelda Secretname', email: 'zelda@private.example', phone: '+33 6 99 88 77 66' });
  await fetch(`${server.url}/s/${ticket.token}`);
  const customer = await TestClient.connect(server.wsUrl, { token: ticket.token });
  await customer.next('ticket.status');
  customer.send({ type: 'ticket.cancel' });
  await customer.closed;
  await new Promise((r) => setTimeout(r, 100));
  const lines = logs.trim().split('\n').map((line) => JSON.parse(line));
  t.ok(lines.length >= 4, `${lines.length} JSON log lines`);
  t.ok(lines.some((l) => l.ticketId === ticket.ticketId && l.to === 'ended'), 'the ticket\'s life is logged by id');
  for (const secret of ['Zelda', 'Secretname', 'zelda@private', '99 88 77', ticket.token]) {
    t.notOk(logs.includes(secret), `"${secret}" is not in the logs`);
  }
});

t.test('with TLS_CERT/TLS_KEY the server speaks HTTPS and marks the login cookie Secure', async (t) => {
  const cert = makeSelfSignedCert(['localhost']);
  const server = await startServer({ tls: { cert: cert.cert, key: cert.key } });
  t.teardown(() => server.close());
  const port = Number(new URL(server.url).port);
  const body = JSON.stringify({ username: 'alice', password: 'alice-password' });
  const response = await new Promise<{ status: number; cookie: string; hsts: string }>((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port, path: '/api/login', method: 'POST', ca: cert.cert, servername: 'localhost', headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? ''), hsts: String(res.headers['strict-transport-security'] ?? '') });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  t.equal(response.status, 200);
  t.match(response.cookie, /^__Host-rd_login=/, 'the __Host- prefix: no subdomain or plain-http page can set it');
  t.match(response.cookie, /Secure/);
  t.match(response.cookie, /Path=\//);
  t.equal(response.hsts, 'max-age=31536000', 'HSTS when the server terminates TLS itself');
});

t.test('behind a proxy with an https PUBLIC_URL the cookie is __Host- and Secure, whatever the request looks like', async (t) => {
  const server = await startServer({ publicUrl: 'https://support.example.com' });
  t.teardown(() => server.close());
  const res = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: 'alice-password' }) });
  const cookie = res.headers.get('set-cookie') ?? '';
  t.match(cookie, /^__Host-rd_login=/);
  t.match(cookie, /Secure/);
  const me = await fetch(`${server.url}/api/me`, { headers: { cookie: cookie.split(';')[0] } });
  t.equal(me.status, 200, 'and it signs the analyst in');
  t.equal(res.headers.get('strict-transport-security'), null, 'no HSTS from behind a proxy (the proxy sends it)');
});

t.test('the security headers are on every response: API answers are not sniffed or cached; pages may open WebSockets to this service only', async (t) => {
  const server = await startServer();
  t.teardown(() => server.close());
  const created = await fetch(`${server.url}/api/tickets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ queue: 'general', name: 'Ann', email: 'ann@example.com', phone: '0123456789' }) });
  t.equal(created.status, 201);
  for (const res of [created, await fetch(`${server.url}/api/me`), await fetch(`${server.url}/api/queues`), await fetch(`${server.url}/api/nowhere`)]) {
    t.equal(res.headers.get('x-content-type-options'), 'nosniff', res.url);
    t.equal(res.headers.get('cache-control'), 'no-store', `${res.url}: the customer's token never sits in a cache`);
    t.equal(res.headers.get('x-frame-options'), 'DENY');
  }
  const page = await fetch(`${server.url}/`);
  const csp = page.headers.get('content-security-policy') ?? '';
  const host = new URL(server.url).host;
  t.match(csp, new RegExp(`connect-src 'self' ws://${host.replace('.', '\\.')};`), 'WebSockets to this host only');
  t.notMatch(csp, /connect-src[^;]* (ws|wss):(;| )/, 'no bare ws: or wss: source');
  t.equal(page.headers.get('cache-control'), 'no-store');
  const asset = await fetch(`${server.url}/assets/app.css`);
  t.equal(asset.headers.get('x-content-type-options'), 'nosniff', 'assets too');
});

t.test('X-Forwarded-Proto is believed only from a configured proxy', async (t) => {
  const loginThroughProxy = async (url: string) => {
    const res = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ username: 'alice', password: 'alice-password' }),
    });
    return res.headers.get('set-cookie') ?? '';
  };
  const untrusting = await startServer();
  t.notMatch(await loginThroughProxy(untrusting.url), /Secure/, 'by default the header is ignored');
  await untrusting.close();
  const trusting = await startServer({ trustProxy: ['127.0.0.1'] });
  t.match(await loginThroughProxy(trusting.url), /Secure/, 'from the named proxy it is believed');
  await trusting.close();
});

t.test('a generated demo password is never written to a pipe (container logs): the output says how to set one', async (t) => {
  const child = spawn(process.execPath, ['--import=tsx', 'signaling/server.ts'], {
    env: { ...process.env, PORT: '0', DEMO_PASSWORD: '', DATA_DIR: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 15_000;
  while (!/Set DEMO_PASSWORD/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const seeded = /Analyst login:\s+demo \/ (.*)$/m.exec(output)?.[1] ?? '';
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  t.match(seeded, /generated, not printed/);
  t.match(output, /Set DEMO_PASSWORD \(or DEMO_PASSWORD_FILE\) before the first start/);
  t.notMatch(output, /"password"/, 'not in the JSON log either');
});

t.test('SIGTERM: /readyz fails during the grace, clients get close code 4503, the process exits 0', async (t) => {
  const child = spawn(process.execPath, ['--import=tsx', 'signaling/server.ts'], {
    env: { ...process.env, PORT: '0', DEMO_PASSWORD: 'demo-password', DATA_DIR: '', SHUTDOWN_GRACE_MS: '800', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!/Customer portal: (\S+)\//.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const base = /Customer portal: (\S+)\//.exec(output)?.[1];
  t.ok(base, 'the server printed its address and the demo login');
  t.match(output, /Analyst login:\s+demo/);
  const url = base!.replace('localhost', '127.0.0.1');
  const ticket = await createTicket(url);
  const customer = await TestClient.connect(`${url.replace('http', 'ws')}/ws`, { token: ticket.token });
  await customer.next('ticket.status');
  t.equal((await fetch(`${url}/readyz`)).status, 200);
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  t.equal((await fetch(`${url}/readyz`)).status, 503, 'not ready during the grace');
  t.equal((await fetch(`${url}/healthz`)).status, 200, 'still alive during the grace');
  t.equal((await customer.closed).code, CLOSE_CODES.shuttingDown);
  t.equal(await exited, 0);
});
