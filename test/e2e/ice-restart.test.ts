import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { startCoturn } from '../helpers/coturn.js';
import { analystVideoStats, liveSession, waitForDecodedFrames } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';
import { CAPTURE_CHANNELS } from '../helpers/session.js';

// The media path breaks under a live session (the TURN relay every byte goes through restarts, as
// when a network changes): the pages notice the connection "disconnected", restart ICE, gather new
// candidates and the picture comes back, without ending the session; the file connection, broken with
// the relay, is set up anew (file-connection.ts).
let coturn = await startCoturn();
const server = await startServer({ turnSecret: coturn.secret, turnUrls: [coturn.udpUrl], iceTransportPolicy: 'relay' });
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
  await coturn.stop();
});

t.test('ICE restart after the relay path breaks: the session survives, frames flow again, the log says so, and a new file connection carries files', async (t) => {
  const { customer, analyst } = await liveSession(t, browser, server.url, 'Roaming Ray', server.url, CAPTURE_CHANNELS);
  const fileLinks = () =>
    customer.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.slice(1).map((pc) => pc.connectionState));
  await customer.waitForFunction(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[1]?.connectionState === 'connected');

  await coturn.stop();
  coturn = await startCoturn(coturn); // same address, fresh process: every old allocation is gone
  const broken = await analystVideoStats(analyst);
  // The customer's connection word turns "interrupted" at once, not a stale "good".
  const indicator = (level: string) => customer.locator(`[data-testid="connection-indicator"][data-level="${level}"]`);
  await indicator('interrupted').waitFor({ timeout: 20_000 });
  t.equal(await indicator('interrupted').textContent(), 'Connection: interrupted');
  // Chromium marks the path disconnected after a few seconds; the pages then restart ICE.
  const recovered = await waitForDecodedFrames(analyst, broken.frames + 30, 45_000);
  t.ok(recovered.frames >= broken.frames + 30, `frames flow again after the ICE restart (${broken.frames} → ${recovered.frames})`);
  t.equal(recovered.route, 'relay');
  t.equal(await analyst.getByTestId('analyst-session').getAttribute('data-state'), 'live', 'the session never ended');
  // The activity log said so both ways: interrupted, then restored.
  const logged = (key: string) => analyst.locator(`[data-testid="activity"][data-key="${key}"]`);
  await logged('tools.event.restored').waitFor({ timeout: 15_000 });
  t.match(await logged('tools.event.interrupted').textContent(), /Connection to Roaming Ray interrupted; trying to restore it/);
  t.match(await logged('tools.event.restored').textContent(), /Connection to Roaming Ray restored/);
  await customer.locator('[data-testid="connection-indicator"]:not([data-level="interrupted"])').waitFor({ timeout: 10_000 });
  t.pass(`the customer's indicator is back to ${await customer.getByTestId('connection-indicator').getAttribute('data-level')}`);

  // The file connection broke with the relay too; the customer sets up a new one through the new relay,
  // and a file goes over it.
  await customer.waitForFunction(() => {
    const links = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.slice(1);
    return links.length >= 2 && links[links.length - 1].connectionState === 'connected';
  }, undefined, { timeout: 20_000 });
  const links = await fileLinks();
  t.equal(links[links.length - 1], 'connected', `a new file connection is up (links: ${links.join(', ')})`);
  await analyst.getByTestId('file-input').setInputFiles({ name: 'after-restart.txt', mimeType: 'text/plain', buffer: Buffer.alloc(300_000, 'x') });
  await customer.locator('[data-testid="transfer"][data-name="after-restart.txt"]').getByTestId('accept-file').click();
  await customer.locator('[data-testid="transfer"][data-name="after-restart.txt"][data-state="done"]').waitFor({ timeout: 15_000 });
  const received = await customer.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    let bytes = 0;
    (await pcs[pcs.length - 1].getStats()).forEach((report) => {
      if (report.type === 'data-channel' && report.label === 'file') bytes += report.bytesReceived;
    });
    return bytes;
  });
  t.ok(received >= 300_000, `the file travelled on the new link (${received} bytes)`);
});

t.test('a network change: the customer offline 30 s (signaling and the relay path gone), then back: signaling at once, frames again, the session never ended', async (t) => {
  t.setTimeout(120_000);
  const { customer, analyst } = await liveSession(t, browser, server.url, 'Offline Olga', server.url, CAPTURE_CHANNELS);
  const before = await analystVideoStats(analyst);
  await customer.context().setOffline(true);
  await coturn.stop(); // the relay path goes with the network
  await customer.waitForTimeout(30_000);
  coturn = await startCoturn(coturn);
  // Whether the browser's offline mode took the signaling socket down too (the analyst then sees the customer away).
  const socketDropped = (await analyst.getByTestId('customer-reconnecting').count()) > 0;
  const back = Date.now();
  await customer.context().setOffline(false); // the browser fires "online"
  await analyst.locator('[data-testid="customer-reconnecting"]').waitFor({ state: 'detached', timeout: 10_000 });
  const signalingBack = Date.now() - back;
  const frames = await waitForDecodedFrames(analyst, 30, 60_000).catch(async () => waitForDecodedFrames(analyst, before.frames + 30, 30_000));
  const framesBack = Date.now() - back;
  t.ok(frames.frames > 0, `frames again ${framesBack} ms after the network came back (signaling: ${signalingBack} ms)`);
  t.equal(await analyst.getByTestId('analyst-session').getAttribute('data-state'), 'live', 'the session never ended');
  t.comment(JSON.stringify({ offlineMs: 30_000, socketDropped, signalingBackMs: signalingBack, framesBackMs: framesBack }));
});
