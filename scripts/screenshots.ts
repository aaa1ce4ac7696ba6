// Regenerates docs/screenshots/*.png: one picture per screen of a full session, in real Chromium.
// Usage: npm run build && npx tsx scripts/screenshots.ts
import { launchBrowser } from '../test/helpers/browser.js';
import { analystSignsIn, analystTakes, customerRequestsHelp, waitForDecodedFrames } from '../test/helpers/flows.js';
import { startServer } from '../test/helpers/server.js';

const out = new URL('../docs/screenshots/', import.meta.url).pathname;
const server = await startServer();
const browser = await launchBrowser();
try {
  const customer = await browser.newPage();
  const analyst = await browser.newPage();
  await customer.goto(server.url);
  await customer.getByTestId('intake-form').waitFor();
  await customer.screenshot({ path: `${out}01-customer-portal.png` });
  await analystSignsIn(analyst, server.url);
  await customerRequestsHelp(customer, server.url);
  await customer.screenshot({ path: `${out}02-customer-waiting.png` });
  await analyst.getByTestId('ticket').waitFor();
  await analyst.screenshot({ path: `${out}03-analyst-queue.png` });
  await analystTakes(analyst, customer);
  await customer.screenshot({ path: `${out}04-customer-consent.png` });
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').waitFor();
  await customer.screenshot({ path: `${out}05-customer-session.png` });
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 10);
  await customer.screenshot({ path: `${out}06-customer-sharing.png` });
  await analyst.screenshot({ path: `${out}07-analyst-live.png`, fullPage: true });
  await analyst.getByTestId('analyst-end').click();
  await customer.getByTestId('ended').waitFor();
  await customer.screenshot({ path: `${out}08-customer-ended.png` });
  const french = await browser.newPage('fr-FR');
  await french.goto(server.url);
  await french.getByTestId('intake-form').waitFor();
  await french.screenshot({ path: `${out}09-portail-francais.png` });
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots written to ${out}`);
