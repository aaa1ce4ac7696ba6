import t from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { analystSignsIn, customerRequestsHelp } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';

// A support center's day in Chromium, across three pages: the customer's portal and waiting room
// (problem, email or phone, the queue's outlook, the tab calling them back), the analysts'
// consoles (availability, the team per queue, new-request alerts while in the background), the
// rating on the ended screen reaching the analyst's summary, French, and dark mode.

const server = await startServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
});

/** Records every desktop notification the page shows (the real Notification, watched), so a test can read and click them. */
function watchNotifications() {
  const shown: Array<{ title: string; body: string; tag: string; notification: Notification }> = [];
  const Real = window.Notification;
  // An anonymous class: the test runner's transform would name a declared one with a helper the page lacks.
  window.Notification = class extends Real {
    constructor(title: string, options: NotificationOptions = {}) {
      super(title, options);
      shown.push({ title, body: options.body ?? '', tag: options.tag ?? '', notification: this });
    }
  } as typeof Notification;
  (window as unknown as { __notifications: typeof shown }).__notifications = shown;
}

/** Counts the tones the page starts (Web Audio's real nodes, watched). */
function watchTones() {
  const start = AudioScheduledSourceNode.prototype.start;
  (window as unknown as { __tones: number }).__tones = 0;
  AudioScheduledSourceNode.prototype.start = function (this: AudioScheduledSourceNode, ...args: Parameters<typeof start>) {
    (window as unknown as { __tones: number }).__tones += 1;
    return start.apply(this, args);
  };
}

const notifications = (page: Page) => page.evaluate(() => (window as unknown as { __notifications: Array<{ title: string; body: string; tag: string }> }).__notifications.map(({ title, body, tag }) => ({ title, body, tag })));
const tones = (page: Page) => page.evaluate(() => (window as unknown as { __tones: number }).__tones);

/** The console no longer has the focus: another page of its browser is in front (headless pages stay "visible"). */
async function sendToBackground(page: Page): Promise<Page> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
  const other = await page.context().newPage();
  await other.goto('about:blank');
  await other.bringToFront();
  await page.waitForFunction(() => !document.hasFocus());
  return other;
}

t.test('intake, outlook, availability, alerts, the tab title and the rating, in three pages', async (t) => {
  const alice = await browser.newPage();
  const bob = await browser.newPage();
  const customer = await browser.newPage();
  t.teardown(async () => {
    for (const page of [alice, bob, customer]) await page.context().close();
  });
  await alice.addInitScript(watchNotifications);
  await alice.addInitScript(watchTones);
  await customer.addInitScript(watchTones);

  // Before anyone signs in, the portal says no analyst is online (and still takes a request).
  await customer.goto(`${server.url}/?queue=general`);
  await customer.getByTestId('portal-outlook').waitFor();
  t.equal(await customer.getByTestId('portal-outlook').getAttribute('data-online'), '0');
  t.match(await customer.getByTestId('portal-outlook').textContent(), /No analyst is online in this queue right now/);

  await analystSignsIn(alice, server.url, 'alice');
  await analystSignsIn(bob, server.url, 'bob');
  const generalTeam = bob.locator('[data-queue="general"] [data-testid="queue-team"]');
  await bob.locator('[data-queue="general"] [data-testid="queue-team"][data-online="2"]').waitFor();
  t.equal(await generalTeam.textContent(), '2 of 2 analysts available');

  // bob goes away with the keyboard; the team line follows on both consoles.
  await bob.getByTestId('analyst-status').focus();
  await bob.getByTestId('analyst-status').selectOption('away');
  await bob.locator('[data-testid="analyst-status"][data-status="away"]').waitFor();
  await alice.locator('[data-queue="general"] [data-testid="queue-team"][data-available="1"]').waitFor();

  // Alice turns on notifications and sound from the alerts panel. The browser's own question is
  // answered by the test, as the analyst's click on "Allow" would.
  t.match(await alice.getByTestId('notifications-offer').textContent(), /Your browser asks you once/);
  await alice.context().grantPermissions(['notifications'], { origin: server.url });
  await alice.getByTestId('notifications-on').click();
  await alice.locator('[data-testid="alerts-panel"][data-notifications="granted"]').waitFor();
  await alice.getByTestId('analyst-sound').check();
  const front = await sendToBackground(alice);
  const baseTitle = await alice.title();

  // The customer: email left blank, phone given, a problem; the form says one contact is enough.
  await customer.reload();
  await customer.getByTestId('portal-outlook').waitFor();
  t.match(await customer.getByTestId('portal-outlook').textContent(), /1 analyst is available/);
  await customer.getByLabel('Your name').fill('Paul Client');
  await customer.getByRole('button', { name: 'Request support' }).click();
  t.equal(await customer.evaluate(() => document.activeElement?.id), 'intake-email', 'no contact yet: the email field has the focus');
  await customer.getByTestId('contact-needed').waitFor();
  await customer.getByLabel('Phone').fill('+33 6 12 34 56 78');
  await customer.getByLabel('What is the problem?').fill('The printer says "offline".');
  await customer.getByRole('button', { name: 'Request support' }).click();
  await customer.getByTestId('waiting-room').waitFor();
  await customer.getByTestId('waiting-outlook').waitFor();
  t.match(await customer.getByTestId('waiting-outlook').textContent(), /1 analyst is available/);
  await customer.getByTestId('customer-sound').check();

  // Alice's console was in the background: a count in the title, one notification, one chime.
  await alice.waitForFunction((base) => document.title === `(1) ${base}`, baseTitle);
  t.same(await notifications(alice), [{ title: 'New request in General support', body: 'Paul Client: The printer says "offline".', tag: (await alice.getByTestId('ticket').getAttribute('data-ticket-id'))! }]);
  t.ok((await tones(alice)) >= 2, 'the chime played (two tones)');
  t.equal(await alice.getByTestId('ticket-problem').textContent(), 'The printer says "offline".', 'the queue shows the problem');

  // Clicking the notification brings the console to that ticket: its Take button has the focus.
  await alice.evaluate(() => (window as unknown as { __notifications: Array<{ notification: Notification }> }).__notifications[0].notification.dispatchEvent(new Event('click')));
  t.match(await alice.evaluate(() => document.activeElement?.getAttribute('aria-label')), /^Take Paul Client/);
  await front.close();
  await alice.bringToFront();
  await alice.waitForFunction((base) => document.title === base, baseTitle);

  // Bob, away, is told nothing of it and has no count (his console is in front anyway).
  t.equal(await bob.title(), baseTitle);

  // The customer switches tabs; alice takes the ticket: the tab calls them back, with a chime.
  const tonesBefore = await tones(customer);
  await alice.keyboard.press('Enter');
  await customer.getByTestId('consent-allow').waitFor();
  await customer.waitForFunction(() => document.title === 'Alice Martin wants to help you');
  await customer.waitForFunction((before) => (window as unknown as { __tones: number }).__tones > before, tonesBefore);
  t.pass('the customer\'s tab title and chime call them back');
  t.match(await alice.getByTestId('session-problem').textContent(), /The printer says "offline"\./, 'the session shows the problem');

  // Allowed, then ended by the customer: the ended screen asks for a rating.
  await customer.getByTestId('consent-allow').click();
  await customer.waitForFunction(() => document.title !== 'Alice Martin wants to help you');
  await customer.getByTestId('end-session').click();
  await customer.getByTestId('rating-form').waitFor();
  await customer.getByTestId('rating-send').click();
  t.match(await customer.getByTestId('rating-error').textContent(), /Pick a score/, 'no score yet: said so');
  // The keyboard picks the score: focus the first star, arrows move along the radio group.
  await customer.getByTestId('rating-1').focus();
  for (let i = 0; i < 3; i++) await customer.keyboard.press('ArrowRight');
  t.ok(await customer.getByTestId('rating-4').isChecked(), 'four stars by keyboard');
  await customer.getByLabel('Anything to add?').fill('Quick and clear, thanks.');
  await customer.getByTestId('rating-send').click();
  await customer.getByTestId('rating-thanks').waitFor();
  await alice.locator('[data-testid="summary-rating"][data-score="4"]').waitFor();
  t.match(await alice.getByTestId('summary-rating').textContent(), /Customer's rating: 4 of 5/);
  t.equal(await alice.getByTestId('summary-rating-comment').textContent(), 'Quick and clear, thanks.');
});

t.test('in French: the portal\'s outlook, the contact rule and the rating', async (t) => {
  const analyst = await browser.newPage('fr-FR');
  const customer = await browser.newPage('fr-FR');
  t.teardown(async () => {
    await analyst.context().close();
    await customer.context().close();
  });
  await analyst.goto(`${server.url}/analyst`);
  await analyst.getByLabel('Identifiant').fill('carol');
  await analyst.getByLabel('Mot de passe').fill('carol-password');
  await analyst.getByRole('button', { name: 'Se connecter' }).click();
  await analyst.getByTestId('queue-list').waitFor();
  await customer.goto(`${server.url}/?queue=printers`);
  await customer.locator('[data-testid="portal-outlook"][data-online="1"]').waitFor();
  t.match(await customer.getByTestId('portal-outlook').textContent(), /1 technicien est disponible/);
  await customer.getByLabel('Votre nom').fill('Claire');
  await customer.getByLabel('Votre nom').press('Tab');
  await customer.getByRole('button', { name: 'Demander de l’aide' }).click();
  t.match(await customer.getByTestId('contact-needed').textContent(), /l’un des deux suffit/);
  await customer.getByLabel('E-mail').fill('claire@example.fr');
  await customer.getByRole('button', { name: 'Demander de l’aide' }).click();
  await customer.getByTestId('waiting-outlook').waitFor();
  t.match(await customer.getByTestId('waiting-outlook').textContent(), /1 technicien est disponible/);
  await analyst.getByTestId('ticket').filter({ hasText: 'Claire' }).getByRole('button').click();
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('end-session').click();
  await customer.getByTestId('rating-form').waitFor();
  t.match(await customer.getByTestId('rating-form').textContent(), /Comment s’est passée cette session/);
  await customer.getByTestId('rating-5').check({ force: true });
  await customer.getByTestId('rating-send').click();
  t.match(await customer.getByTestId('rating-thanks').textContent(), /Merci/);
  await analyst.locator('[data-testid="summary-rating"][data-score="5"]').waitFor();
  t.match(await analyst.getByTestId('summary-rating').textContent(), /Note du client : 5 sur 5/);
});

t.test('dark mode follows the system\'s choice', async (t) => {
  const page = await browser.newPage();
  t.teardown(() => page.context().close());
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${server.url}/`);
  await page.getByTestId('intake-form').waitFor();
  const dark = await page.evaluate(() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.querySelector('.card')!).backgroundColor, getComputedStyle(document.querySelector('#intake-name')!).color]);
  t.same(dark, ['rgb(18, 22, 29)', 'rgb(27, 33, 43)', 'rgb(228, 232, 239)'], 'dark page, dark cards, light text in the fields');
  await page.emulateMedia({ colorScheme: 'light' });
  t.equal(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), 'rgb(244, 246, 249)', 'light again');
});

t.test('the supervisor\'s overview: an admin watches queues, analysts and a session live, in English and in French', async (t) => {
  const supervisor = await browser.newPage();
  const bob = await browser.newPage();
  const customer = await browser.newPage();
  t.teardown(async () => {
    for (const page of [supervisor, bob, customer]) await page.context().close();
  });
  await analystSignsIn(supervisor, server.url, 'alice');
  await supervisor.getByTestId('analyst-status').selectOption('away');
  await analystSignsIn(bob, server.url, 'bob');
  await supervisor.getByTestId('tab-overview').click();
  const analysts = supervisor.getByTestId('supervisor-analysts');
  await analysts.locator('[data-analyst="bob"][data-status="available"]').waitFor();
  await analysts.locator('[data-analyst="alice"][data-status="away"]').waitFor();

  await customerRequestsHelp(customer, server.url, 'Hidden Person', 'general', { email: 'hidden@example.com', phone: '' });
  await supervisor.locator('[data-testid="supervisor-queues"] [data-queue="general"][data-waiting="1"]').waitFor();

  await bob.getByTestId('ticket').filter({ hasText: 'Hidden Person' }).getByRole('button').click();
  await customer.getByTestId('consent-allow').click();
  const session = supervisor.locator('[data-testid="supervisor-sessions"] [data-state="consented"]');
  await session.waitFor();
  t.match(await session.textContent(), /General support.*Bob Durand.*Allowed/);
  await analysts.locator('[data-analyst="bob"][data-status="inSession"]').waitFor();
  const takes = await supervisor.locator('[data-testid="supervisor-queues"] [data-queue="general"]').getAttribute('data-takes');
  t.ok(Number(takes) >= 1, 'today\'s takes count it');
  t.notMatch(await supervisor.getByTestId('supervisor').textContent(), /Hidden Person|hidden@example\.com/, 'never the customer\'s name or contact');
  // The customer shares: the step follows, and the route the analyst's page measured shows once known (loopback: direct).
  await customer.getByTestId('start-share').click();
  await supervisor.locator('[data-testid="supervisor-sessions"] [data-state="live"][data-route="direct"]').waitFor({ timeout: 15_000 });
  t.match(await supervisor.getByTestId('supervisor-sessions').textContent(), /Sharing the screen.*Direct/);

  // The same view in French, by the page's language switch.
  await supervisor.getByRole('button', { name: 'Français' }).click();
  await supervisor.getByText('Le centre d’assistance en ce moment').waitFor();
  t.match(await analysts.textContent(), /En session/);

  await customer.getByTestId('end-session').click();
  await supervisor.locator('[data-testid="supervisor-sessions"] [data-session]').waitFor({ state: 'detached' });
  t.match(await supervisor.getByTestId('supervisor-sessions').textContent(), /Aucune session en cours/);
});
