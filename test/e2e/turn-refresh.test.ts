import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { startCoturn } from '../helpers/coturn.js';
import { analystVideoStats, liveSession } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';

// TURN credentials are short-lived (TURN_CREDENTIAL_TTL_S, 30 min in production; 24 s here), and
// coturn refuses to refresh an allocation, a permission or a channel with expired ones (Chromium
// refreshes them every 4 to 9 minutes, so a session on its first credentials would lose its relay
// minutes after they expire). The server sends each member new credentials every third of their
// life; the customer's page then restarts ICE on the relayed path and both sides allocate with the
// new ones, without a gap in the picture. coturn's verbose log names the credential of each
// allocation.
const TTL_S = 24;
const coturn = await startCoturn(undefined, ['verbose']);
const server = await startServer({ turnSecret: coturn.secret, turnUrls: [coturn.udpUrl], iceTransportPolicy: 'relay', turnCredentialTtlS: TTL_S });
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
  await coturn.stop();
});

t.test('a relayed session outlives its first TURN credentials by far: fresh ones, new allocations, no gap', async (t) => {
  t.setTimeout(150_000);
  const { analyst } = await liveSession(t, browser, server.url, 'Refresh Rita');
  const started = Date.now();
  let last = await analystVideoStats(analyst);
  t.equal(last.route, 'relay');
  let longestStallMs = 0;
  let stalledSince = Date.now();
  // Three lifetimes of the first credentials.
  while (Date.now() - started < 3 * TTL_S * 1000) {
    await analyst.waitForTimeout(500);
    const now = await analystVideoStats(analyst);
    if (now.frames > last.frames) stalledSince = Date.now();
    longestStallMs = Math.max(longestStallMs, Date.now() - stalledSince);
    last = now;
  }
  t.ok(longestStallMs < 6000, `frames kept coming for ${3 * TTL_S} s; the longest pause was ${longestStallMs} ms`);
  t.equal(last.route, 'relay', 'still relayed');

  // coturn's log names the credential of every allocation: each member allocated with several.
  const users = (role: string) => new Set([...coturn.log().matchAll(new RegExp(`user <(\\d+):[0-9a-f]{8}-${role}>`, 'g'))].map((m) => Number(m[1])));
  const customerCredentials = users('customer');
  const analystCredentials = users('analyst');
  t.ok(customerCredentials.size >= 3, `the customer used ${customerCredentials.size} credentials`);
  t.ok(analystCredentials.size >= 3, `the analyst used ${analystCredentials.size} credentials`);
  const newest = Math.max(...customerCredentials) * 1000;
  t.ok(newest > started + TTL_S * 1000, 'the newest one expires well after the first did');
});
