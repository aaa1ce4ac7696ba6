import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { analystSignsIn, analystTakes, customerRequestsHelp, waitForDecodedFrames } from '../helpers/flows.js';
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
  const customer = await browser.newPage();
  const analyst = await browser.newPage();
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  await analystSignsIn(analyst, nodeB.url);
  await customerRequestsHelp(customer, nodeA.url, 'Two Nodes');
  await analystTakes(analyst, customer, 'Two Nodes');
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click();
  const stats = await waitForDecodedFrames(analyst, 10);
  t.ok(stats.width > 0, `the analyst on node B decodes the screen of the customer on node A (${stats.frames} frames)`);
  await customer.getByTestId('chat-input').fill('hello from node A');
  await customer.getByTestId('chat-input').press('Enter');
  await analyst.getByTestId('chat-message').filter({ hasText: 'hello from node A' }).waitFor();
  await analyst.getByTestId('analyst-end').click();
  await customer.locator('[data-testid="ended"][data-reason="analystEnded"]').waitFor();
  t.pass('ending on node B ends it on node A');
});
