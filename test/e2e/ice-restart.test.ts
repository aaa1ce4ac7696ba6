import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { startCoturn } from '../helpers/coturn.js';
import { analystVideoStats, liveSession, waitForDecodedFrames } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';

// The media path breaks under a live session (the TURN relay every byte goes through restarts, as
// when a network changes): the pages notice the connection "disconnected", restart ICE, gather new
// candidates and the picture comes back, without ending the session.
let coturn = await startCoturn();
const server = await startServer({ turnSecret: coturn.secret, turnUrls: [coturn.udpUrl], iceTransportPolicy: 'relay' });
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
  await coturn.stop();
});

t.test('ICE restart after the relay path breaks: the session survives and frames flow again', async (t) => {
  const { analyst } = await liveSession(t, browser, server.url, 'Roaming Ray');

  await coturn.stop();
  coturn = await startCoturn(coturn); // same address, fresh process: every old allocation is gone
  const broken = await analystVideoStats(analyst);
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
});
