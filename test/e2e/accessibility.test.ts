import t from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';

// The whole main path with the keyboard only, in a real browser: every control reachable by Tab,
// dialogs that take and keep focus, and an accessible name on every control.
const server = await startServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
});

/** Presses Tab until the focused element matches, as a keyboard user would. */
async function tabTo(page: Page, matches: (el: { id: string; text: string; label: string }) => boolean, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { id: a?.id ?? '', text: a?.textContent?.trim() ?? '', label: a?.getAttribute('aria-label') ?? '' };
    });
    if (matches(el)) return;
  }
  throw new Error('not reachable with Tab');
}

/** Controls without an accessible name (label, aria-label, or text). */
const unnamed = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, input:not([type=hidden]), select, textarea, [tabindex="0"]')]
      .filter((el) => !((el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.textContent?.trim()))
      .map((el) => el.outerHTML.slice(0, 80)),
  );

t.test('customer and analyst complete the main path with the keyboard only', async (t) => {
  const customer = await browser.newPage();
  const analyst = await browser.newPage();
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  await analyst.goto(`${server.url}/analyst`);
  await analyst.getByTestId('login-form').waitFor();
  await tabTo(analyst, (el) => el.id === 'login-username');
  await analyst.keyboard.type('alice');
  await analyst.keyboard.press('Tab');
  await analyst.keyboard.type('alice-password');
  await analyst.keyboard.press('Enter');
  await analyst.getByTestId('queue-list').waitFor();

  await customer.goto(server.url);
  await customer.getByTestId('intake-form').waitFor();
  t.same(await unnamed(customer), [], 'every control of the portal has a name');
  await tabTo(customer, (el) => el.id === 'intake-name');
  await customer.keyboard.type('Keyboard Kim');
  await customer.keyboard.press('Tab');
  await customer.keyboard.type('kim@example.com');
  await customer.keyboard.press('Tab');
  await customer.keyboard.type('+33 1 23 45 67 89');
  await customer.keyboard.press('Enter');
  await customer.getByTestId('waiting-room').waitFor();

  await analyst.getByTestId('ticket').filter({ hasText: 'Keyboard Kim' }).waitFor();
  t.same(await unnamed(analyst), [], 'every control of the console has a name');
  await tabTo(analyst, (el) => el.label === 'Take Keyboard Kim');
  await analyst.keyboard.press('Enter');
  await customer.getByRole('dialog').waitFor();

  // The dialog takes focus and keeps it: Tab cycles between its two buttons.
  const focused = () => customer.evaluate(() => document.activeElement?.getAttribute('data-testid'));
  // The dialog moves focus in an effect right after it renders: wait for it, a busy machine is slower.
  await customer.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'consent-allow', undefined, { timeout: 5000 }).catch(() => undefined);
  t.equal(await focused(), 'consent-allow');
  await customer.keyboard.press('Tab');
  t.equal(await focused(), 'consent-refuse');
  await customer.keyboard.press('Tab');
  t.equal(await focused(), 'consent-allow', 'focus stays inside the dialog');
  await customer.keyboard.press('Enter');
  await customer.getByTestId('start-share').waitFor();
  await tabTo(customer, (el) => el.text === 'Share my screen');
  await customer.keyboard.press('Enter');
  await customer.getByTestId('sharing-indicator').waitFor();
  t.same(await unnamed(customer), [], 'every control of the session has a name');
  await tabTo(customer, (el) => el.text === 'End session');
  await customer.keyboard.press('Enter');
  await customer.getByTestId('ended').waitFor();
  t.pass('the customer ended the session from the keyboard');
});
