import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { analystSignsIn, analystTakes, customerRequestsHelp, waitForDecodedFrames } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';
import { connectedSession } from '../helpers/session.js';

// People reload, open the link in a second tab, close a tab by mistake: the session goes on.
// Real pages, real reloads; the other side is shown "reconnecting…", never "left".
t.setTimeout(240_000);
const server = await startServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
});
const pages: Page[] = [];
t.afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.context().close().catch(() => undefined)));
});
const track = (...list: Page[]) => (pages.push(...list), list);

const notEnded = async (analyst: Page) => (await analyst.getByTestId('session-status').getAttribute('data-end-reason')) === '';
const timings: Record<string, number> = {};

t.test('the customer reloads a live session: back within 5 s, asked to share again; the analyst saw "reconnecting", never "left"', async (t) => {
  const { customer, analyst } = await connectedSession(browser, server.url, 'Reload Rita');
  track(customer, analyst);
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 5);
  const firstCode = await customer.getByTestId('verification-code').getAttribute('data-code');

  const started = Date.now();
  await customer.reload();
  await customer.getByTestId('customer-session').waitFor({ timeout: 5000 });
  await customer.locator('[data-testid="peer-state"][data-connected="true"]').waitFor({ timeout: 10_000 });
  timings.customerReloadToConnected = Date.now() - started;
  t.ok(timings.customerReloadToConnected < 5000, `back in the session, connected, ${timings.customerReloadToConnected} ms after the reload`);
  t.ok(await notEnded(analyst), 'the analyst\'s session never ended');
  t.match(await customer.getByTestId('share-again').textContent(), /share.*again/i, 'the customer is asked to share again');
  // A new connection has new keys: a new code, compared with the session's first on both pages.
  const codes = await Promise.all([customer, analyst].map(async (page) => {
    const element = page.locator('[data-testid="verification-code"][data-changed="true"]');
    await element.waitFor({ timeout: 10_000 });
    return element.getAttribute('data-code');
  }));
  t.equal(codes[0], codes[1], `both pages show the same new code (${codes[0]}), marked as changed from the first (${firstCode})`);
  t.not(codes[0], firstCode);
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 5);
  timings.customerReloadToFrames = Date.now() - started;
  t.pass(`frames again ${timings.customerReloadToFrames} ms after the reload (with the click)`);
  t.equal(await customer.getByTestId('share-again').count(), 0, 'the notice goes once shared');
});

t.test('the analyst reloads a live session: the customer sees "reconnecting…", keeps sharing, and the picture comes back', async (t) => {
  const { customer, analyst } = await connectedSession(browser, server.url, 'Steady Sam');
  track(customer, analyst);
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 5);

  const started = Date.now();
  const reload = analyst.reload();
  await customer.getByTestId('analyst-reconnecting').waitFor({ timeout: 5000 });
  t.pass('the customer is told the analyst is reconnecting');
  await reload;
  await analyst.locator('[data-testid="analyst-session"][data-state="live"]').waitFor({ timeout: 5000 });
  timings.analystReloadToSession = Date.now() - started;
  await waitForDecodedFrames(analyst, 5);
  timings.analystReloadToFrames = Date.now() - started;
  t.ok(timings.analystReloadToFrames < 10_000, `frames again ${timings.analystReloadToFrames} ms after the reload, without a click`);
  await customer.getByTestId('analyst-reconnecting').waitFor({ state: 'detached' });
  t.equal(await customer.getByTestId('sharing-indicator').count(), 1, 'the customer never stopped sharing');
});

t.test('reloads while waiting and at the consent dialog come back to the same step', async (t) => {
  const [customer, analyst] = track(await browser.newPage(), await browser.newPage());
  await analystSignsIn(analyst, server.url);
  await customerRequestsHelp(customer, server.url, 'Waiting Wendy');
  await customer.getByTestId('waiting-room').waitFor();
  await customer.reload();
  await customer.getByTestId('waiting-room').waitFor({ timeout: 5000 });
  t.pass('still waiting after a reload');
  await analystTakes(analyst, customer, 'Waiting Wendy');
  await customer.reload();
  await customer.getByTestId('consent-allow').waitFor({ timeout: 5000 });
  t.ok(await notEnded(analyst), 'the consent dialog is back, the session still offered');
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('customer-session').waitFor();
  t.pass('and allowing works after the reload');
});

t.test('closing the tab ends the session for the other side within 10 s, and says it was closed; "End session" ends it at once', async (t) => {
  const first = await connectedSession(browser, server.url, 'Closing Chloe');
  track(first.customer, first.analyst);
  const closedAt = Date.now();
  await first.customer.close();
  await first.analyst.getByTestId('customer-reconnecting').waitFor({ timeout: 5000 });
  await first.analyst.locator('[data-testid="session-status"][data-end-reason="customerClosed"]').waitFor({ timeout: 12_000 });
  const after = Date.now() - closedAt;
  t.ok(after < 10_000, `ended ${after} ms after the tab closed`);
  t.match(await first.analyst.getByTestId('session-status').textContent(), /closed their page/);

  const second = await connectedSession(browser, server.url, 'Ending Eva');
  track(second.customer, second.analyst);
  const endAt = Date.now();
  await second.analyst.getByTestId('analyst-end').click();
  await second.customer.locator('[data-testid="ended"][data-reason="analystEnded"]').waitFor({ timeout: 3000 });
  t.ok(Date.now() - endAt < 3000, 'End session: at once');
});

t.test('the tab closed by mistake and the link opened again within the grace: back in the session, with the chat', async (t) => {
  const { customer, analyst } = await connectedSession(browser, server.url, 'Oops Olivia');
  track(customer, analyst);
  await customer.getByTestId('chat-input').fill('before I closed it');
  await customer.getByTestId('chat-input').press('Enter');
  await analyst.getByTestId('chat-message').filter({ hasText: 'before I closed it' }).waitFor();
  const link = customer.url();
  const context = customer.context();
  await customer.waitForTimeout(500); // the page saves its history within 300 ms of a change
  await customer.close();
  await analyst.getByTestId('customer-reconnecting').waitFor({ timeout: 5000 });
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const reopened = await context.newPage();
  const started = Date.now();
  await reopened.goto(link);
  await reopened.getByTestId('customer-session').waitFor({ timeout: 5000 });
  timings.reopenToSession = Date.now() - started;
  await reopened.getByTestId('chat-message').filter({ hasText: 'before I closed it' }).waitFor({ timeout: 5000 });
  await analyst.getByTestId('customer-reconnecting').waitFor({ state: 'detached', timeout: 5000 });
  t.ok(await notEnded(analyst), `back in the session ${timings.reopenToSession} ms after opening the link again, with the chat; the analyst's session never ended`);
});

t.test('a second tab with the same link takes over; the first says so and can take it back', async (t) => {
  const { customer, analyst } = await connectedSession(browser, server.url, 'Twin Tabs');
  track(customer, analyst);
  const second = await customer.context().newPage();
  await second.goto(customer.url());
  await second.getByTestId('customer-session').waitFor({ timeout: 5000 });
  await customer.getByTestId('replaced').waitFor({ timeout: 5000 });
  t.match(await customer.getByTestId('replaced').textContent(), /open in another tab/);
  await second.locator('[data-testid="peer-state"][data-connected="true"]').waitFor({ timeout: 10_000 });
  t.ok(await notEnded(analyst), 'the session goes on with the newer tab');

  await customer.getByTestId('use-this-tab').click();
  await customer.getByTestId('customer-session').waitFor({ timeout: 5000 });
  await second.getByTestId('replaced').waitFor({ timeout: 5000 });
  await customer.locator('[data-testid="peer-state"][data-connected="true"]').waitFor({ timeout: 10_000 });
  t.pass('the first tab took it back');

  // The analyst's console opened twice: the same rule.
  const console2 = await analyst.context().newPage();
  await console2.goto(`${server.url}/analyst`);
  await console2.getByTestId('analyst-session').waitFor({ timeout: 5000 });
  await analyst.getByTestId('replaced').waitFor({ timeout: 5000 });
  t.pass('the newer console has the session; the older one says so');
  t.ok(await notEnded(console2));
});

t.test('what can come back does: the chat, the log and the files; a running transfer ends as interrupted; nothing is left once the session ends', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-reload-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, bytes: number) => {
    const path = join(dir, name);
    const data = randomBytes(bytes);
    writeFileSync(path, data);
    return { path, sha256: createHash('sha256').update(data).digest('hex') };
  };
  const row = (page: Page, name: string) => page.locator(`[data-testid="transfer"][data-name="${name}"]`);
  const { customer, analyst } = await connectedSession(browser, server.url, 'Keeping Kim');
  track(customer, analyst);
  await customer.getByTestId('chat-input').fill('my printer is jammed');
  await customer.getByTestId('chat-input').press('Enter');
  await analyst.getByTestId('chat-message').filter({ hasText: 'my printer is jammed' }).waitFor();
  const driver = file('driver.bin', 300_000);
  await analyst.getByTestId('file-input').setInputFiles(driver.path);
  await row(customer, 'driver.bin').getByTestId('accept-file').click();
  await customer.locator('[data-testid="transfer"][data-name="driver.bin"][data-state="done"]').waitFor({ timeout: 30_000 });
  // A big one from the customer, still running at the reload.
  const big = file('logs.zip', 60_000_000);
  await customer.getByTestId('file-input').setInputFiles(big.path);
  await row(analyst, 'logs.zip').getByTestId('accept-file').click();
  await customer.locator('[data-testid="transfer"][data-name="logs.zip"][data-state="transferring"]').waitFor({ timeout: 10_000 });

  await customer.reload();
  await customer.getByTestId('customer-session').waitFor({ timeout: 5000 });
  await customer.getByTestId('chat-message').filter({ hasText: 'my printer is jammed' }).waitFor({ timeout: 5000 });
  t.pass('the chat came back');
  await customer.locator('[data-testid="activity"][data-key="tools.event.pageReloaded"]').waitFor();
  t.pass('the log says the page was reloaded');
  await customer.locator('[data-testid="transfer"][data-name="logs.zip"] [data-testid="transfer-state"][data-reason="pageReloaded"]').waitFor();
  t.pass('the running transfer ended as interrupted by the reload');
  const [download] = await Promise.all([customer.waitForEvent('download'), row(customer, 'driver.bin').getByTestId('save-file').click()]);
  const saved = join(dir, 'saved-driver.bin');
  await download.saveAs(saved);
  t.equal(createHash('sha256').update(readFileSync(saved)).digest('hex'), driver.sha256, 'the file received before the reload is still savable, byte for byte');
  await analyst.locator('[data-testid="transfer"][data-name="logs.zip"][data-state="failed"]').waitFor({ timeout: 20_000 });
  t.pass('the analyst sees the running transfer fail too');

  // The analyst reloads too: the chat is back there as well.
  await analyst.reload();
  await analyst.getByTestId('chat-message').filter({ hasText: 'my printer is jammed' }).waitFor({ timeout: 5000 });
  t.pass('the analyst\'s chat came back');

  // The session ends: nothing of it stays in either browser.
  await analyst.getByTestId('analyst-end').click();
  await customer.getByTestId('ended').waitFor();
  const kept = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('relaydesk.session.')).length);
  t.equal(await kept(customer), 0, 'the customer\'s browser keeps no record of the session');
  t.equal(await kept(analyst), 0, 'nor the analyst\'s');
});

t.test('timings', async (t) => {
  t.comment(JSON.stringify(timings));
  t.pass('recorded');
});
