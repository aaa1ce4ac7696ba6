import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { issueTurnCredentials } from '../../signaling/turn-credentials.js';
import { launchBrowser } from '../helpers/browser.js';
import { startCoturn } from '../helpers/coturn.js';
import { analystSignsIn, analystTakes, customerRequestsHelp, waitForDecodedFrames } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';

// A real coturn from Debian's package, configured from turn/turnserver.conf.template.
const coturn = await startCoturn();
const browser = await launchBrowser();
// Chromium verifies the TURN server's TLS certificate like any HTTPS one (see the test below), so
// the turns: tests trust the throw-away self-signed certificate through this second browser only.
const trustingBrowser = await launchBrowser(['--ignore-certificate-errors']);
t.teardown(async () => {
  await browser.close();
  await trustingBrowser.close();
  await coturn.stop();
});

/** Gathers candidates in a page with the given ICE servers: how many relay candidates, and the errors. */
async function gather(page: Page, iceServers: RTCIceServer[]) {
  return page.evaluate(async (servers) => {
    const pc = new RTCPeerConnection({ iceServers: servers, iceTransportPolicy: 'relay' });
    const errors: number[] = [];
    const relays: string[] = [];
    pc.addEventListener('icecandidateerror', (e) => errors.push((e as RTCPeerConnectionIceErrorEvent).errorCode));
    pc.addEventListener('icecandidate', (e) => {
      if (e.candidate?.type === 'relay') relays.push(e.candidate.candidate);
    });
    pc.createDataChannel('probe');
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      setTimeout(resolve, 8000);
    });
    pc.close();
    return { relays: relays.length, errors };
  }, iceServers as never);
}

async function relayedSession(t: Test, turnUrl: string, expectedProtocol: string, using = browser) {
  const server = await startServer({ turnSecret: coturn.secret, turnUrls: [turnUrl], iceTransportPolicy: 'relay' });
  const customer = await using.newPage();
  const analyst = await using.newPage();
  try {
    await analystSignsIn(analyst, server.url);
    await customerRequestsHelp(customer, server.url);
    await analystTakes(analyst, customer);
    await customer.getByTestId('consent-allow').click();
    await customer.getByTestId('start-share').click();
    const first = await waitForDecodedFrames(analyst, 5, 30_000);
    const later = await waitForDecodedFrames(analyst, first.frames + 10, 30_000);
    t.ok(later.frames > first.frames && later.width > 0, `frames decoded through the relay (${later.frames}, ${later.width}px)`);
    t.equal(later.route, 'relay', 'the selected candidate pair is a relay');
    t.equal(later.relayProtocol, expectedProtocol, `the browser reaches coturn over ${expectedProtocol}`);
    t.match(await analyst.getByTestId('video-stats').textContent(), /relayed/, 'the analyst sees the connection is relayed');
  } finally {
    await customer.context().close();
    await analyst.context().close();
    await server.close();
  }
}

t.test('a full session with iceTransportPolicy "relay" flows through coturn over UDP', async (t) => {
  await relayedSession(t, coturn.udpUrl, 'udp');
});

t.test('the same session through TURN over TLS (turns:, as on port 443)', async (t) => {
  await relayedSession(t, coturn.tlsUrl, 'tls', trustingBrowser);
});

t.test('Chromium refuses a turns: server whose certificate it does not trust (production needs a real certificate)', async (t) => {
  const page = await browser.newPage();
  t.teardown(() => page.context().close());
  const creds = issueTurnCredentials(coturn.secret, 'probe', Math.floor(Date.now() / 1000) + 600);
  const result = await gather(page, [{ urls: coturn.tlsUrl, ...creds }]);
  t.equal(result.relays, 0);
  t.ok(result.errors.includes(701), `connection refused (${result.errors.join(',')})`);
});

t.test('coturn accepts issued credentials and refuses expired or forged ones', async (t) => {
  const page = await browser.newPage();
  t.teardown(() => page.context().close());
  const now = Math.floor(Date.now() / 1000);
  const valid = issueTurnCredentials(coturn.secret, 'probe', now + 600);
  const expired = issueTurnCredentials(coturn.secret, 'probe', now - 60);
  const forged = issueTurnCredentials('not-the-secret', 'probe', now + 600);

  const good = await gather(page, [{ urls: coturn.udpUrl, ...valid }]);
  t.ok(good.relays >= 1, `valid credentials get a relay candidate (${good.relays})`);
  for (const [label, creds] of [['expired', expired], ['forged', forged]] as const) {
    const result = await gather(page, [{ urls: coturn.udpUrl, ...creds }]);
    t.equal(result.relays, 0, `${label} credentials get no relay`);
    t.ok(result.errors.includes(401), `${label}: coturn answered 401 (${result.errors.join(',')})`);
  }
});

t.test('the signaling server hands each member its own TURN credentials, never the secret', async (t) => {
  const server = await startServer({ turnSecret: coturn.secret, turnUrls: [coturn.tlsUrl, coturn.udpUrl], iceTransportPolicy: 'all' });
  const customer = await browser.newPage();
  const analyst = await browser.newPage();
  const frames: string[] = [];
  for (const page of [customer, analyst]) {
    page.on('websocket', (ws) => ws.on('framereceived', (f) => typeof f.payload === 'string' && frames.push(f.payload)));
  }
  try {
    await analystSignsIn(analyst, server.url);
    await customerRequestsHelp(customer, server.url);
    await analystTakes(analyst, customer);
    await customer.getByTestId('consent-allow').click();
    await analyst.locator('[data-testid="analyst-session"][data-state="consented"]').waitFor();
    const ice = frames.map((f) => JSON.parse(f)).filter((f) => f.type === 'session.ice');
    t.equal(ice.length, 2, 'one session.ice frame per member');
    t.same(ice[0].iceServers[0].urls, [coturn.tlsUrl, coturn.udpUrl], 'turns: first');
    t.not(ice[0].iceServers[0].username, ice[1].iceServers[0].username, 'distinct credentials per member');
    t.match(ice[0].iceServers[0].username, /^\d{10}:[0-9a-f]{8}-(customer|analyst)$/);
    t.notOk(frames.some((f) => f.includes(coturn.secret)), 'the static secret never reaches a browser');
  } finally {
    await customer.context().close();
    await analyst.context().close();
    await server.close();
  }
});
