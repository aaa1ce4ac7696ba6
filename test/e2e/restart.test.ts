import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { analystVideoStats, liveSession } from '../helpers/flows.js';
import { startRedis } from '../helpers/redis.js';
import { startServer } from '../helpers/server.js';

// The signaling server restarts in the middle of a live session (state in Redis). The peer
// connection is browser to browser, so the picture and the chat go on while signaling is down;
// then both pages reconnect and take the session up again.
const redis = await startRedis();
const browser = await launchBrowser();
let server = await startServer({ redisUrl: redis.url, nodeId: 'before' });
const port = Number(new URL(server.url).port);
t.teardown(async () => {
  await browser.close();
  await server.close();
  await redis.stop();
});

t.test('restart during a live session: frames and chat continue, both sides re-attach', async (t) => {
  const { customer, analyst } = await liveSession(t, browser, server.url, 'Restart Rosa');

  await server.close(); // graceful: people marked away, sockets closed with 4503
  const during = await analystVideoStats(analyst);
  await analyst.waitForTimeout(1500);
  const later = await analystVideoStats(analyst);
  t.ok(later.frames > during.frames, `frames keep arriving while signaling is down (${during.frames} → ${later.frames})`);
  await analyst.getByTestId('chat-input').fill('still here?');
  await analyst.getByTestId('chat-input').press('Enter');
  await customer.getByTestId('chat-message').filter({ hasText: 'still here?' }).waitFor();
  t.pass('chat over the data channel works while signaling is down');

  server = await startServer({ redisUrl: redis.url, nodeId: 'after' }, {}, port);
  // Both pages reconnect by themselves; the analyst's console says so when it is back.
  await analyst.getByText('Connection to the server lost').waitFor({ state: 'detached', timeout: 20_000 });
  await analyst.locator('[data-testid="analyst-session"][data-state="live"]').waitFor();
  // The customer reconnects on their own schedule (the old server marked them away): the analyst's
  // console shows them back before the end can reach them (a CI run ended while they were still away).
  await analyst.getByTestId('customer-reconnecting').waitFor({ state: 'detached', timeout: 20_000 });
  await analyst.waitForTimeout(500);
  await analyst.getByTestId('analyst-end').click();
  await customer.locator('[data-testid="ended"][data-reason="analystEnded"]').waitFor({ timeout: 10_000 });
  t.pass('after the restart the analyst ends the session and the customer is told: both re-attached');
});
