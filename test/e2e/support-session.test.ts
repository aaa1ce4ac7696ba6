import t from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { analystSignsIn, analystTakes, customerRequestsHelp, waitForDecodedFrames } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';
import { createTicket, TestClient } from '../helpers/ws-client.js';

// Real Chromium pages against the real server: one customer, one (or two) analysts.
const server = await startServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
});
const pages: Page[] = [];
const open = async (locale?: string) => {
  const page = await browser.newPage(locale);
  pages.push(page);
  return page;
};
t.afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.context().close()));
});

const sessionStatus = (analyst: Page) => analyst.getByTestId('analyst-session');

t.test('a full session: form, queue, take, allow, share; the analyst decodes the customer\'s screen', async (t) => {
  const analyst = await open();
  const customer = await open();
  await analystSignsIn(analyst, server.url);
  await customerRequestsHelp(customer, server.url);
  t.match(customer.url(), /\/s\/[A-Za-z0-9_-]{22}$/, 'the customer lands on their own ticket page');
  t.equal(await customer.getByTestId('queue-position').getAttribute('data-position'), '1');

  const ticket = analyst.getByTestId('ticket').filter({ hasText: 'Ann Customer' });
  await ticket.waitFor();
  t.match(await ticket.textContent(), /waiting \d+ s/, 'the queue shows the waiting time');
  await analystTakes(analyst, customer);
  t.equal(await sessionStatus(analyst).getAttribute('data-state'), 'offered');
  t.match(await customer.getByRole('dialog').textContent(), /Alice Martin wants to help you/);
  t.equal(await customer.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'consent-allow', 'focus moves into the dialog');

  await customer.getByTestId('consent-allow').click();
  await analyst.locator('[data-testid="analyst-session"][data-state="consented"]').waitFor();
  await customer.getByTestId('start-share').click();
  await customer.getByTestId('sharing-indicator').waitFor();
  await analyst.locator('[data-testid="analyst-session"][data-state="live"]').waitFor();

  const first = await waitForDecodedFrames(analyst, 5);
  t.ok(first.width > 0, `frame width ${first.width}`);
  await analyst.waitForTimeout(1500);
  const later = await waitForDecodedFrames(analyst, first.frames + 5);
  t.ok(later.frames > first.frames, `framesDecoded grows (${first.frames} → ${later.frames})`);
  const track = await analyst.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-screen"]');
    return { width: video?.videoWidth ?? 0, playing: !!video && !video.paused };
  });
  t.ok(track.width > 0 && track.playing, 'the <video> element plays the picture');
  const hint = await customer.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="local-preview"]');
    return (video?.srcObject as MediaStream | null)?.getVideoTracks()[0]?.contentHint;
  });
  t.equal(hint, 'detail', 'the shared track is tuned for screen content');

  // Stop and share again without ending the session.
  await customer.getByTestId('stop-share').click();
  await analyst.locator('[data-testid="analyst-session"][data-state="consented"]').waitFor();
  await customer.getByTestId('start-share').click();
  await analyst.locator('[data-testid="analyst-session"][data-state="live"]').waitFor();
  await waitForDecodedFrames(analyst, 5);

  await customer.getByTestId('end-session').click();
  await customer.locator('[data-testid="ended"][data-reason="customerEnded"]').waitFor();
  await analyst.locator('[data-testid="session-status"][data-end-reason="customerEnded"]').waitFor();
  t.pass('the customer ended the session and the analyst was told');
});

t.test('refusing consent ends the request on both sides with a message to the analyst', async (t) => {
  const analyst = await open();
  const customer = await open();
  await analystSignsIn(analyst, server.url);
  await customerRequestsHelp(customer, server.url, 'Refusing Rita');
  await analystTakes(analyst, customer, 'Refusing Rita');
  await customer.getByTestId('consent-refuse').click();
  await customer.locator('[data-testid="ended"][data-reason="refused"]').waitFor();
  const status = analyst.locator('[data-testid="session-status"][data-end-reason="refused"]');
  await status.waitFor();
  t.match(await status.textContent(), /Refusing Rita refused the session/);
  await analyst.getByTestId('back-to-queue').click();
  await analyst.getByTestId('queue-list').waitFor();
  t.equal(await analyst.getByTestId('ticket').filter({ hasText: 'Refusing Rita' }).count(), 0);
});

t.test('the analyst can end a live session', async (t) => {
  const analyst = await open();
  const customer = await open();
  await analystSignsIn(analyst, server.url);
  await customerRequestsHelp(customer, server.url, 'Ended By Analyst');
  await analystTakes(analyst, customer, 'Ended By Analyst');
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 3);
  await analyst.getByTestId('analyst-end').click();
  await customer.locator('[data-testid="ended"][data-reason="analystEnded"]').waitFor();
  const stillCapturing = await customer.evaluate(() => document.querySelector('[data-testid="local-preview"]') !== null);
  t.notOk(stillCapturing, 'the customer\'s capture stops with the session');
});

t.test('the customer closing the tab ends the session for the analyst within 10 s (a reload would have come back)', async (t) => {
  const analyst = await open();
  const customer = await open();
  await analystSignsIn(analyst, server.url);
  await customerRequestsHelp(customer, server.url, 'Tab Closer');
  await analystTakes(analyst, customer, 'Tab Closer');
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 3);
  const closedAt = Date.now();
  await customer.close();
  await analyst.getByTestId('customer-reconnecting').waitFor({ timeout: 5000 });
  await analyst.locator('[data-testid="session-status"][data-end-reason="customerClosed"]').waitFor({ timeout: 12_000 });
  t.ok(Date.now() - closedAt < 10_000, `analyst told after ${Date.now() - closedAt} ms`);
});

t.test('the analyst closing the tab ends the session for the customer', async (t) => {
  const analyst = await open();
  const customer = await open();
  await analystSignsIn(analyst, server.url);
  await customerRequestsHelp(customer, server.url, 'Left Alone');
  await analystTakes(analyst, customer, 'Left Alone');
  await customer.getByTestId('consent-allow').click();
  await analyst.close();
  await customer.getByTestId('analyst-reconnecting').waitFor({ timeout: 5000 });
  await customer.locator('[data-testid="ended"][data-reason="analystClosed"]').waitFor({ timeout: 12_000 });
  t.match(await customer.getByTestId('ended').textContent(), /closed their page/, 'the customer is told the analyst closed their page');
});

t.test('an analyst makes a link for a customer on the phone; the customer skips the form and waits', async (t) => {
  const analyst = await open();
  const customer = await open();
  await analystSignsIn(analyst, server.url);
  await analyst.getByLabel('Customer name').fill('Phone Paul');
  await analyst.getByRole('button', { name: 'Create link' }).click();
  const link = await analyst.getByTestId('created-link-url').inputValue();
  t.match(link, new RegExp(`^${server.url}/s/[A-Za-z0-9_-]{22}$`));
  await customer.goto(link);
  await customer.getByTestId('waiting-room').waitFor();
  t.equal(await customer.getByTestId('intake-form').count(), 0, 'no form to fill');
  const ticket = analyst.getByTestId('ticket').filter({ hasText: 'Phone Paul' });
  await ticket.locator('.online').waitFor();
  await analystTakes(analyst, customer, 'Phone Paul');
  t.pass('the analyst took the ticket once the customer was online');
});

t.test('on the phone: the analyst reads a 6-digit code, the customer types it in the portal and waits; a wrong code says what to do, in French too', async (t) => {
  const analyst = await open();
  const customer = await open();
  await analystSignsIn(analyst, server.url);
  await analyst.getByLabel('Customer name').fill('Coded Claire');
  await analyst.getByLabel('Customer name').press('Enter');
  const digits = analyst.getByTestId('phone-code-digits');
  await digits.waitFor();
  const shown = (await digits.textContent())!;
  t.match(shown, /^\d{3} \d{3}$/, 'shown in two groups of three, to read aloud');
  t.match(await analyst.getByTestId('phone-code-validity').textContent(), /Works once, until \d{2}:\d{2}/);
  t.ok((await digits.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))) >= 32, 'large');
  // The customer mistypes first, then types it as read ("123 456"), with the keyboard only.
  await customer.goto(server.url);
  const field = customer.getByLabel('Code from your analyst');
  await field.fill('12345');
  await field.press('Enter');
  t.match(await customer.getByTestId('code-problem').textContent(), /6 digits/);
  const wrong = shown.startsWith('9') ? '000 000' : '999 999';
  await field.fill(wrong);
  await field.press('Enter');
  await customer.getByTestId('code-problem').filter({ hasText: /not valid/ }).waitFor();
  t.equal(await field.evaluate((el) => el === document.activeElement), true, 'the field keeps the focus to try again');
  await field.fill(shown);
  await field.press('Enter');
  await customer.getByTestId('waiting-room').waitFor();
  t.match(customer.url(), new RegExp(`/s/[A-Za-z0-9_-]{22}$`), 'on the ticket\'s own page');
  await analyst.getByTestId('ticket').filter({ hasText: 'Coded Claire' }).locator('.online').waitFor();
  await analystTakes(analyst, customer, 'Coded Claire');
  t.pass('the analyst took the ticket the code opened');
  // Used: the same code opens nothing any more; the analyst can make a new one for another caller.
  const french = await open('fr-FR');
  await french.goto(server.url);
  await french.getByRole('heading', { name: 'J’ai un code' }).waitFor();
  await french.getByLabel('Code de votre technicien').fill(shown);
  await french.getByRole('button', { name: 'Continuer' }).click();
  t.match(await french.getByTestId('code-problem').textContent(), /pas valide/, 'refused, in French');
});

t.test('two analysts take the same ticket: one wins, the other is told and the ticket leaves their list', async (t) => {
  const alice = await open();
  const bob = await open();
  const customer = await open();
  await analystSignsIn(alice, server.url, 'alice');
  await analystSignsIn(bob, server.url, 'bob');
  await customerRequestsHelp(customer, server.url, 'Contested Carl');
  const take = (page: Page) => page.getByTestId('ticket').filter({ hasText: 'Contested Carl' }).getByRole('button').click({ timeout: 2000 }).catch(() => undefined);
  await Promise.all([alice.getByTestId('ticket').waitFor(), bob.getByTestId('ticket').waitFor()]);
  await Promise.all([take(alice), take(bob)]);
  await customer.getByTestId('consent-allow').waitFor();
  // The winner's console renders its session view a moment after the customer sees the dialog.
  const counts = () => Promise.all([alice, bob].map((p) => p.getByTestId('analyst-session').count()));
  let inSession = await counts();
  for (let i = 0; i < 50 && inSession[0] + inSession[1] === 0; i++) {
    await alice.waitForTimeout(100);
    inSession = await counts();
  }
  t.same(inSession.sort(), [0, 1], 'exactly one analyst has the session');
  const loser = inSession[0] === 0 ? alice : bob;
  await loser.getByTestId('ticket').filter({ hasText: 'Contested Carl' }).waitFor({ state: 'detached' });
  const notice = loser.getByTestId('analyst-notice');
  if (await notice.count()) t.match(await notice.textContent(), /already taken/);
});

t.test('a waiting customer can cancel; a bad link says so plainly', async (t) => {
  const analyst = await open();
  const customer = await open();
  await analystSignsIn(analyst, server.url);
  await customerRequestsHelp(customer, server.url, 'Cancelling Cleo');
  await analyst.getByTestId('ticket').filter({ hasText: 'Cancelling Cleo' }).waitFor();
  await customer.getByTestId('cancel-ticket').click();
  await customer.locator('[data-testid="ended"][data-reason="cancelled"]').waitFor();
  await analyst.getByTestId('ticket').filter({ hasText: 'Cancelling Cleo' }).waitFor({ state: 'detached' });
  await customer.goto(`${server.url}/s/AAAAAAAAAAAAAAAAAAAAAA`);
  await customer.getByTestId('invalid-link').waitFor();
  t.match(await customer.getByTestId('invalid-link').textContent(), /not valid or has expired/);
});

t.test('the portal validates in the page and speaks French to a French browser', async (t) => {
  const customer = await open('fr-FR');
  await customer.goto(server.url);
  await customer.getByRole('heading', { name: 'Obtenir de l’aide maintenant' }).waitFor();
  await customer.getByLabel('Votre nom').fill('Zoé');
  await customer.getByLabel('E-mail').fill('pas-un-email');
  await customer.getByLabel('Téléphone').fill('01 23 45 67 89');
  await customer.getByRole('button', { name: 'Demander de l’aide' }).click();
  t.match(await customer.locator('#intake-email-error').textContent(), /adresse e-mail valide/);
  t.equal(await customer.evaluate(() => document.activeElement?.id), 'intake-email', 'focus goes to the field to fix');
  t.equal(server.app.relay.store.all().filter((x) => x.customer.name === 'Zoé').length, 0, 'nothing was sent');
  await customer.getByRole('button', { name: 'English' }).click();
  await customer.getByRole('heading', { name: 'Get help now' }).waitFor();
});

t.test('the portal marks a full queue, picks one with room, and says what to do', async (t) => {
  const small = await startServer({ waitingPerQueueMax: 1 });
  t.teardown(() => small.close());
  const ticket = await createTicket(small.url);
  const customer = await open();
  await customer.goto(small.url);
  const picker = customer.getByLabel('Support queue');
  await picker.waitFor();
  t.equal(await picker.inputValue(), 'printers', 'the first queue with room is chosen');
  t.equal(await customer.locator('option[value="general"]').textContent(), 'General support (full)');
  t.equal(await customer.getByTestId('queue-full').count(), 0);
  await picker.selectOption('general');
  await customer.getByTestId('queue-full').waitFor();
  t.match(await customer.getByTestId('queue-full').textContent(), /full right now.*Try again in a few minutes/);
  t.ok(await customer.getByRole('button', { name: 'Request support' }).isDisabled(), 'no request that would be refused');

  // The waiting request is cancelled: "Check again" finds room.
  const waiting = await TestClient.connect(small.wsUrl, { token: ticket.token });
  await waiting.next('ticket.status');
  waiting.send({ type: 'ticket.cancel' });
  await waiting.until('ticket.status', (f) => f.state === 'ended');
  await waiting.close();
  await customer.getByRole('button', { name: 'Check again' }).click();
  await customer.getByTestId('queue-full').waitFor({ state: 'detached' });
  t.equal(await customer.locator('option[value="general"]').textContent(), 'General support');
  t.equal(await picker.inputValue(), 'general', 'the choice is kept');
  t.notOk(await customer.getByRole('button', { name: 'Request support' }).isDisabled());
});
