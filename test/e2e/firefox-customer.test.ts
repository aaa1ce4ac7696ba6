import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { launchFirefox, waitForSelector } from '../helpers/firefox.js';
import { analystSignsIn, waitForDecodedFrames } from '../helpers/flows.js';
import { CAPTURE_CHANNELS } from '../helpers/session.js';
import { startServer } from '../helpers/server.js';
import { createTicket } from '../helpers/ws-client.js';

// A customer on Firefox (Debian's ESR, over WebDriver BiDi, sharing a real X screen) with an
// analyst on Chromium: the session, the screen, and a verification code both pages show and can
// confirm. Firefox reports no certificate statistics: the code comes from the descriptions.
t.setTimeout(240_000);
const server = await startServer();
const chromium = await launchBrowser();
const firefox = await launchFirefox();
t.teardown(async () => {
  await firefox.close();
  await chromium.close();
  await server.close();
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
  await waitForSelector(customer, '[data-testid="start-share"]', { timeout: 20_000 });
  await customer.click('[data-testid="start-share"]');
  await waitForSelector(customer, '[data-testid="sharing-indicator"]', { timeout: 20_000 });
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
