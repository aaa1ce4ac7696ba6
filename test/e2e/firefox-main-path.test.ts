import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { Page as ChromiumPage } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { launchBrowser } from '../helpers/browser.js';
import { launchFirefox, waitForSelector } from '../helpers/firefox.js';
import { analystSignsIn, customerRequestsHelp, waitForDecodedFrames } from '../helpers/flows.js';
import { CAPTURE_CHANNELS } from '../helpers/session.js';
import { startServer } from '../helpers/server.js';
import { createTicket } from '../helpers/ws-client.js';

// The whole main path with Firefox (Debian's ESR over WebDriver BiDi, on Xvfb) on one side and
// Chromium on the other, each way round: intake, queue, consent, share, chat, files both ways,
// URL push, end; and the verification code between a Firefox customer and a Chromium analyst
// (Firefox reports no certificate statistics: the code comes from the descriptions). One Firefox
// for the whole file, its tests one after the other: two Firefoxes capturing X screens at once
// take both cores for minutes.
t.setTimeout(300_000);
const server = await startServer();
const chromium = await launchBrowser();
const firefox = await launchFirefox();
const dir = mkdtempSync(join(tmpdir(), 'relaydesk-firefox-'));
t.teardown(async () => {
  await firefox.close();
  await chromium.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Firefox: types into a field (puppeteer over BiDi; the pages' CSP forbids its waitForSelector helper). */
async function fill(page: FirefoxPage, selector: string, text: string): Promise<void> {
  await waitForSelector(page, selector);
  await page.click(selector, { count: 3 });
  await page.keyboard.press('Backspace');
  await page.type(selector, text);
}

/** Firefox: offers a file made in the page (a real File through the input's change event, as a picker would). */
async function offerFile(page: FirefoxPage, name: string, bytes: number): Promise<void> {
  await page.evaluate((fileName: string, size: number) => {
    const data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = (i * 31 + 7) % 251;
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], fileName, { type: 'application/octet-stream' }));
    const input = document.querySelector('[data-testid="file-input"]') as HTMLInputElement;
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, name, bytes);
}
const madeInPage = (bytes: number) => {
  const data = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (i * 31 + 7) % 251;
  return createHash('sha256').update(data).digest('hex');
};

/** Chromium: saves a received file and returns its SHA-256. */
async function savedDigest(page: ChromiumPage, name: string): Promise<string> {
  const row = page.locator(`[data-testid="transfer"][data-name="${name}"]`);
  await page.locator(`[data-testid="transfer"][data-name="${name}"][data-state="done"]`).waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('save-file').click()]);
  const path = join(dir, `saved-${name}`);
  await download.saveAs(path);
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Firefox: clicks "Share my screen" until the page shares. On a loaded machine the click over
 * BiDi can land while the session view is still laying out (the consent dialog just went) and
 * miss the button; a click that lands starts the share (getDisplayMedia needs that real click).
 */
async function shareFromFirefox(t: { comment(message: string): void }, page: FirefoxPage): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    await waitForSelector(page, '[data-testid="start-share"]', { timeout: 20_000 });
    await page.click('[data-testid="start-share"]');
    try {
      await waitForSelector(page, '[data-testid="sharing-indicator"], .notice-error', { timeout: 15_000 });
      t.comment(`sharing ${Date.now() - started} ms after the first click (${attempt} click${attempt > 1 ? 's' : ''})`);
      return;
    } catch (err) {
      if (attempt >= 6) throw err;
    }
  }
}

/** The activity log keys of a Firefox page. */
const logKeys = (page: FirefoxPage) => page.$$eval('[data-testid="activity"]', (els) => els.map((el) => el.getAttribute('data-key') ?? ''));

t.test('a Firefox customer with a Chromium analyst: the whole main path', async (t) => {
  const analyst = await chromium.newPage();
  t.teardown(() => analyst.context().close());
  const customer = await firefox.newPage();
  t.teardown(() => customer.close());
  await analystSignsIn(analyst, server.url);

  // Intake in Firefox: the portal's form, then the waiting room.
  await customer.goto(server.url);
  await fill(customer, '#intake-name', 'Fira Fox');
  await fill(customer, '#intake-email', 'fira@example.com');
  await fill(customer, '#intake-phone', '+33 1 23 45 67 89');
  await customer.click('[data-testid="intake-form"] button[type="submit"]');
  await waitForSelector(customer, '[data-testid="waiting-room"]', { timeout: 20_000 });
  t.match(await customer.evaluate(() => navigator.userAgent), /Firefox\/\d+/, 'the customer really is on Firefox');

  await analyst.getByTestId('ticket').filter({ hasText: 'Fira Fox' }).getByRole('button', { name: /Take/ }).click();
  await waitForSelector(customer, '[data-testid="consent-allow"]', { timeout: 20_000 });
  await customer.click('[data-testid="consent-allow"]');
  await waitForSelector(customer, '[data-testid="start-share"]', { timeout: 20_000 });
  const sharedAt = Date.now();
  await shareFromFirefox(t, customer);
  const problem = await customer.$eval('.notice-error', (el) => el.textContent).catch(() => null);
  t.equal(problem, null, 'the share started');
  await analyst.getByTestId('video-stats').waitFor({ timeout: 60_000 });
  const video = await waitForDecodedFrames(analyst, 5, 60_000);
  t.ok(video.width > 0, `the analyst decodes the Firefox screen (${video.width} px wide)`);

  // Chat both ways.
  await fill(customer, '[data-testid="chat-input"]', 'hello from Firefox');
  await customer.keyboard.press('Enter');
  await analyst.getByTestId('chat-message').filter({ hasText: 'hello from Firefox' }).waitFor({ timeout: 10_000 });
  await analyst.getByTestId('chat-input').fill('hello from Chromium');
  await analyst.getByTestId('chat-input').press('Enter');
  await waitForSelector(customer, '[data-testid="chat-message"]', { text: /hello from Chromium|hello from Firefox/, timeout: 10_000 });
  t.ok((await customer.$$eval('[data-testid="chat-message"]', (els) => els.map((e) => e.textContent ?? ''))).some((text) => text.includes('hello from Chromium')), 'chat both ways');

  // Files both ways: Firefox → Chromium checked byte for byte; Chromium → Firefox verified by its digest (state done).
  await offerFile(customer, 'from-firefox.bin', 2_000_000);
  await analyst.locator('[data-testid="transfer"][data-name="from-firefox.bin"]').getByTestId('accept-file').click();
  t.equal(await savedDigest(analyst, 'from-firefox.bin'), madeInPage(2_000_000), 'a file from Firefox arrives whole');
  await analyst.getByTestId('file-input').setInputFiles({ name: 'from-chromium.bin', mimeType: 'application/octet-stream', buffer: randomBytes(1_500_000) });
  await waitForSelector(customer, '[data-testid="transfer"][data-name="from-chromium.bin"] [data-testid="accept-file"]', { timeout: 15_000 });
  await customer.click('[data-testid="transfer"][data-name="from-chromium.bin"] [data-testid="accept-file"]');
  await waitForSelector(customer, '[data-testid="transfer"][data-name="from-chromium.bin"][data-state="done"]', { timeout: 30_000 });
  t.ok(await customer.$('[data-testid="transfer"][data-name="from-chromium.bin"] [data-testid="save-file"]'), 'a file from Chromium is verified in Firefox and can be saved');

  // URL push, opened on the customer's click.
  await analyst.getByLabel('Address (http or https)').fill('https://docs.example.com/printer');
  await analyst.getByRole('button', { name: 'Send link' }).click();
  await waitForSelector(customer, '[data-testid="link-host"]', { text: /docs\.example\.com/, timeout: 10_000 });
  await customer.click('[data-testid="open-link"]');
  await analyst.locator('[data-testid="activity"][data-key="tools.link.openedByPeer"]').waitFor({ timeout: 10_000 });
  t.pass('a pushed link is shown with its host and opens on the click');

  // No "interrupted … restored" right after the start (what Firefox customers saw).
  const keys = await logKeys(customer);
  t.notOk(keys.includes('tools.event.interrupted'), `no interruption in the customer's log ${Math.round((Date.now() - sharedAt) / 1000)} s into the session`);

  await customer.click('[data-testid="end-session"]');
  await analyst.locator('[data-testid="session-status"][data-end-reason="customerEnded"]').waitFor({ timeout: 10_000 });
  await waitForSelector(customer, '[data-testid="ended"]', { timeout: 10_000 });
  t.pass('ended from Firefox, both pages say so');
});

t.test('a Firefox analyst with a Chromium customer: the whole main path', async (t) => {
  const analyst = await firefox.newPage();
  t.teardown(() => analyst.close());
  const customer = await chromium.newPage();
  t.teardown(() => customer.context().close());

  await analyst.goto(`${server.url}/analyst`);
  await fill(analyst, '#login-username', 'bob');
  await fill(analyst, '#login-password', 'bob-password');
  await analyst.click('[data-testid="login-form"] button[type="submit"]');
  await waitForSelector(analyst, '[data-testid="queue-list"]', { timeout: 20_000 });
  t.match(await analyst.evaluate(() => navigator.userAgent), /Firefox\/\d+/, 'the analyst really is on Firefox');

  await customerRequestsHelp(customer, server.url, 'Chro Mia');
  await waitForSelector(analyst, '[data-testid="ticket"]', { text: /Chro Mia/, timeout: 20_000 });
  await analyst.click('[data-testid="ticket"] button');
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click();
  // The Firefox analyst decodes the screen: its own getStats figures on the page.
  const deadline = Date.now() + 40_000;
  let frames = 0;
  while (Date.now() < deadline && frames < 5) {
    frames = Number(await analyst.$eval('[data-testid="video-stats"]', (el) => el.getAttribute('data-frames-decoded')).catch(() => '0'));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  t.ok(frames >= 5, `the Firefox analyst decodes the Chromium screen (${frames} frames)`);

  await customer.getByTestId('chat-input').fill('hello from Chromium');
  await customer.getByTestId('chat-input').press('Enter');
  await waitForSelector(analyst, '[data-testid="chat-message"]', { text: /hello from Chromium/, timeout: 10_000 });
  await fill(analyst, '[data-testid="chat-input"]', 'hello from Firefox');
  await analyst.keyboard.press('Enter');
  await customer.getByTestId('chat-message').filter({ hasText: 'hello from Firefox' }).waitFor({ timeout: 10_000 });
  t.pass('chat both ways');

  await offerFile(analyst, 'driver.bin', 1_000_000);
  await customer.locator('[data-testid="transfer"][data-name="driver.bin"]').getByTestId('accept-file').click();
  t.equal(await savedDigest(customer, 'driver.bin'), madeInPage(1_000_000), 'a file from the Firefox analyst arrives whole');
  await customer.getByTestId('file-input').setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: randomBytes(800_000) });
  await waitForSelector(analyst, '[data-testid="transfer"][data-name="screenshot.png"] [data-testid="accept-file"]', { timeout: 15_000 });
  await analyst.click('[data-testid="transfer"][data-name="screenshot.png"] [data-testid="accept-file"]');
  await waitForSelector(analyst, '[data-testid="transfer"][data-name="screenshot.png"][data-state="done"]', { timeout: 30_000 });
  t.pass('a file from the customer is verified in Firefox');

  await fill(analyst, '#push-url', 'https://support.example.com/kb/42');
  await analyst.click('[data-testid="push-link"] button[type="submit"]');
  const card = customer.getByTestId('link-card');
  await card.waitFor({ timeout: 10_000 });
  t.equal(await card.getByTestId('link-host').textContent(), 'support.example.com', 'the link pushed from Firefox reaches the customer');

  await analyst.click('[data-testid="analyst-end"]');
  await customer.locator('[data-testid="ended"][data-reason="analystEnded"]').waitFor({ timeout: 10_000 });
  await waitForSelector(analyst, '[data-testid="session-status"][data-end-reason="analystEnded"]', { timeout: 10_000 });
  t.pass('ended from the Firefox console, both pages say so');
});

t.test('a Firefox customer and a Chromium analyst: the screen arrives and both pages show the same code, confirmed on both', async (t) => {
  const analyst = await chromium.newPage();
  t.teardown(() => analyst.context().close());
  await analystSignsIn(analyst, server.url);
  const ticket = await createTicket(server.url, { name: 'Fira Fox' });
  const customer = await firefox.newPage();
  t.teardown(() => customer.close());
  await customer.evaluateOnNewDocument(CAPTURE_CHANNELS);
  await customer.goto(ticket.url.startsWith('http') ? ticket.url : `${server.url}${ticket.url}`);
  await waitForSelector(customer, '[data-testid="waiting-room"]', { timeout: 20_000 });
  t.match(await customer.evaluate(() => navigator.userAgent), /Firefox\/\d+/, 'the customer really is on Firefox');
  await analyst.getByTestId('ticket').filter({ hasText: 'Fira Fox' }).getByRole('button', { name: /Take/ }).click();
  await waitForSelector(customer, '[data-testid="consent-allow"]', { timeout: 20_000 });
  await customer.click('[data-testid="consent-allow"]');
  await shareFromFirefox(t, customer);
  const video = await waitForDecodedFrames(analyst, 5, 40_000);
  t.ok(video.width > 0, `the analyst decodes the Firefox customer's screen (${video.frames} frames, ${video.width} px wide)`);

  await waitForSelector(customer, '[data-testid="verification-code"]', { timeout: 30_000 });
  await analyst.getByTestId('verification-code').waitFor({ timeout: 30_000 });
  const customerCode = await customer.$eval('[data-testid="verification-code"]', (el) => el.getAttribute('data-code'));
  const analystCode = await analyst.getByTestId('verification-code').getAttribute('data-code');
  t.match(customerCode, /^\d{3} \d{3}$/);
  t.equal(customerCode, analystCode, `the same code on Firefox and Chromium (${customerCode})`);
  t.equal(await customer.$('[data-testid="verify-alarm"]'), null, 'no alarm in Firefox');
  const certificates = await customer.evaluate(async () => {
    const [pc] = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    let count = 0;
    (await pc.getStats()).forEach((entry: { type: string }) => (count += entry.type === 'certificate' ? 1 : 0));
    return count;
  });
  t.equal(certificates, 0, 'Firefox reports no certificate statistics: the code came from the descriptions');

  await customer.click('[data-testid="verify-yes"]');
  await analyst.getByTestId('verify-confirmed').waitFor({ timeout: 10_000 });
  await analyst.getByTestId('verify-yes').click();
  await waitForSelector(customer, '[data-testid="verify-confirmed"]', { timeout: 10_000, text: /You both confirmed the code/ });
  t.match(await analyst.getByTestId('verify-confirmed').textContent(), /You both confirmed the code/, 'both confirmed, both pages know');
  const logged = await customer.$$eval('[data-testid="activity"][data-key^="tools.event.codeConfirmed"]', (els) => els.length);
  t.equal(logged, 2, "the customer's log has both confirmations");
});
