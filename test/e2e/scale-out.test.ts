import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { liveSession, waitForDecodedFrames } from '../helpers/flows.js';
import { startRedis } from '../helpers/redis.js';
import { startServer } from '../helpers/server.js';

// Two signaling nodes on one Redis: the customer's browser uses node A, the analyst's node B.
const redis = await startRedis();
const nodeA = await startServer({ redisUrl: redis.url, nodeId: 'a' });
const nodeB = await startServer({ redisUrl: redis.url, nodeId: 'b' });
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await nodeA.close();
  await nodeB.close();
  await redis.stop();
});

t.test('a full session across two nodes: queue, take, consent, screen, chat', async (t) => {
  const { customer, analyst } = await liveSession(t, browser, nodeA.url, 'Two Nodes', nodeB.url);
  const stats = await waitForDecodedFrames(analyst, 10);
  t.ok(stats.width > 0, `the analyst on node B decodes the screen of the customer on node A (${stats.frames} frames)`);
  await customer.getByTestId('chat-input').fill('hello from node A');
  await customer.getByTestId('chat-input').press('Enter');
  await analyst.getByTestId('chat-message').filter({ hasText: 'hello from node A' }).waitFor();
  await analyst.getByTestId('analyst-end').click();
  await customer.locator('[data-testid="ended"][data-reason="analystEnded"]').waitFor();
  t.pass('ending on node B ends it on node A');
});
