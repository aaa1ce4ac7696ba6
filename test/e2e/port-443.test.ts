import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { startCoturn } from '../helpers/coturn.js';
import { analystSignsIn, analystTakes, customerRequestsHelp, waitForDecodedFrames } from '../helpers/flows.js';
import { startHaproxy } from '../helpers/haproxy.js';
import { startServer } from '../helpers/server.js';
import { freePort } from '../helpers/ports.js';
import { fetchThroughProxy } from '../helpers/api-client.js';
import { makeSelfSignedCert } from '../helpers/tls.js';

// Everything on one port, as customers behind a firewall that allows only HTTPS see it: the web app,
// its WebSocket and TURN over TLS all go through deploy/haproxy/haproxy.cfg on one loopback port,
// told apart by SNI (support.test vs turn.test, both mapped to 127.0.0.1 inside Chromium).
const coturn = await startCoturn();
const METRICS_TOKEN = 'port-443-metrics-token';
// The public URL (https: the sign-in cookie is __Host- and Secure) names the proxy's port, taken first.
const publicPort = await freePort();
const server = await startServer({ publicUrl: `https://support.test:${publicPort}`, trustProxy: ['127.0.0.1'], turnSecret: coturn.secret, iceTransportPolicy: 'relay', metricsToken: METRICS_TOKEN });
const cert = makeSelfSignedCert(['support.test']);
const proxy = await startHaproxy({
  TURN_HOST: 'turn.test',
  TURN_TLS_UPSTREAM: `127.0.0.1:${coturn.tlsPort}`,
  SIGNALING_UPSTREAM: `127.0.0.1:${new URL(server.url).port}`,
  pem: cert.cert + cert.key,
}, publicPort);
// The TURN URL the browsers get names the shared port, exactly as in production (turns:<host>:443).
server.app.relay.config.turnUrls = [`turns:turn.test:${proxy.port}?transport=tcp`];
const browser = await launchBrowser([
  '--host-resolver-rules=MAP support.test 127.0.0.1, MAP turn.test 127.0.0.1',
  // Self-signed test certificates for both names; production uses publicly trusted ones.
  '--ignore-certificate-errors',
]);
t.teardown(async () => {
  await browser.close();
  await proxy.stop();
  await server.close();
  await coturn.stop();
});
const base = `https://support.test:${proxy.port}`;

t.test('a full relayed session where the web app, WebSocket and TURN all share one TLS port', async (t) => {
  const customer = await browser.newPage();
  const analyst = await browser.newPage();
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  await analystSignsIn(analyst, base);
  const cookies = await analyst.context().cookies(base);
  t.ok(cookies.find((c) => c.name === '__Host-rd_login')?.secure, 'served over https: the login cookie is __Host- and Secure');
  await customerRequestsHelp(customer, base);
  t.ok(customer.url().startsWith(`${base}/s/`));
  await analystTakes(analyst, customer);
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click();
  const stats = await waitForDecodedFrames(analyst, 10, 30_000);
  t.equal(stats.route, 'relay');
  t.equal(stats.relayProtocol, 'tls', 'TURN over TLS through the SNI proxy');
  t.ok(stats.width > 0, `${stats.frames} frames of ${stats.width}px decoded`);
});

t.test('the proxy keeps /metrics off the public port', async (t) => {
  const page = await browser.newPage();
  t.teardown(() => page.context().close());
  const response = await page.goto(`${base}/metrics`);
  t.equal(response?.status(), 404);
  const health = await page.goto(`${base}/healthz`);
  t.equal(health?.status(), 200);
  // The server percent-decodes paths before routing: /%6detrics is /metrics to it.
  t.equal((await fetch(`${server.url}/%6detrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, 200, 'the node itself serves /%6detrics');
  for (const path of ['/%6detrics', '/%6Detrics', '/%6D%45TRICS', '/metrics?x=1']) {
    const answer = await fetchThroughProxy(path, METRICS_TOKEN, proxy.port);
    t.equal(answer.status, 404, `${path} through the proxy is 404`);
    t.notMatch(answer.body, /relaydesk_/, `${path}: no metric leaks`);
  }
});
