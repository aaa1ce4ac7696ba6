import t from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { analystSignsIn, customerRequestsHelp, waitForDecodedFrames } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';

// The analyst's viewer and keyboard (take the oldest, help, zoom, full screen, end with a
// confirmation), and a hand-over between two analysts, in Chromium across three pages.

const server = await startServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
});

t.test('the viewer and the keyboard: take the oldest, help, zoom, full screen, end with a confirmation', async (t) => {
  const analyst = await browser.newPage();
  const first = await browser.newPage();
  const second = await browser.newPage();
  t.teardown(async () => {
    for (const page of [analyst, first, second]) await page.context().close();
  });
  await analystSignsIn(analyst, server.url, 'bob');
  await customerRequestsHelp(first, server.url, 'Oldest Olga', 'general', { phone: '' });
  await customerRequestsHelp(second, server.url, 'Newer Nina', 'general', { phone: '' });
  await analyst.getByTestId('ticket').filter({ hasText: 'Newer Nina' }).waitFor();

  // "?" lists the shortcuts; Escape closes the list.
  await analyst.locator('body').press('?');
  await analyst.getByTestId('shortcuts-help').waitFor();
  t.match(await analyst.getByTestId('shortcuts-help').textContent(), /Alt\+Shift\+T.*Take the oldest request/);
  await analyst.keyboard.press('Escape');
  await analyst.getByTestId('shortcuts-help').waitFor({ state: 'detached' });

  // Alt+Shift+T takes the oldest request, not the newest.
  await analyst.keyboard.press('Alt+Shift+KeyT');
  await first.getByTestId('consent-allow').waitFor();
  t.match(await analyst.getByTestId('shortcut-said').textContent(), /Taking the request of Oldest Olga/);
  await first.getByTestId('consent-allow').click();
  await first.getByTestId('start-share').click();
  await analyst.getByTestId('viewer').waitFor();
  await analyst.waitForFunction(() => document.querySelector<HTMLVideoElement>('[data-testid="remote-screen"]')!.videoWidth > 0);

  // Zoom by the toolbar and by the keyboard; the picture's size follows.
  // (The encoder may change the picture's resolution under load: the size follows its resize event.)
  const sizedAt = (scale: number) => analyst.waitForFunction((s) => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-screen"]')!;
    return Math.round(video.getBoundingClientRect().width) === Math.round(video.videoWidth * s);
  }, scale, { timeout: 5000 });
  const width = () => analyst.evaluate(() => Math.round(document.querySelector<HTMLVideoElement>('[data-testid="remote-screen"]')!.getBoundingClientRect().width));
  await analyst.getByTestId('zoom-actual').click();
  await t.resolves(sizedAt(1), '100 %: the picture\'s own pixels');
  await analyst.getByTestId('zoom-in').click();
  t.equal(await analyst.getByTestId('zoom-level').textContent(), '150 %');
  await t.resolves(sizedAt(1.5), '150 %');
  t.ok(await analyst.evaluate(() => { const v = document.querySelector<HTMLElement>('[data-testid="viewport"]')!; return v.scrollWidth > v.clientWidth; }), 'wider than the view: it scrolls to pan');
  await analyst.keyboard.press('Alt+Shift+Digit0');
  await analyst.locator('[data-testid="viewer"][data-zoom="fit"]').waitFor();
  t.ok(await width() <= (await analyst.evaluate(() => document.querySelector<HTMLElement>('[data-testid="viewport"]')!.clientWidth)), 'fit: within the view');

  // Full screen and back, by the keyboard and by the button.
  await analyst.keyboard.press('Alt+Shift+KeyF');
  await analyst.locator('[data-testid="viewer"][data-full-screen="true"]').waitFor();
  t.equal(await analyst.evaluate(() => document.fullscreenElement?.getAttribute('data-testid')), 'viewer', 'the viewer is full screen');
  await analyst.getByTestId('full-screen').click();
  await analyst.locator('[data-testid="viewer"][data-full-screen="false"]').waitFor();

  // Alt+Shift+E asks first: Cancel keeps the session, End ends it.
  await analyst.keyboard.press('Alt+Shift+KeyE');
  await analyst.getByTestId('end-confirm').waitFor();
  await analyst.getByRole('button', { name: 'Cancel' }).click();
  t.equal(await analyst.getByTestId('analyst-session').getAttribute('data-state'), 'live', 'still live after Cancel');
  await analyst.keyboard.press('Alt+Shift+KeyE');
  await analyst.getByTestId('end-confirm').click();
  await first.getByTestId('ended').waitFor();
  t.pass('ended after the confirmation');
});

t.test('hand-over in three pages: bob hands a live session to carol with a note; the customer consents to carol; a new connection, a new code', async (t) => {
  const bob = await browser.newPage();
  const carol = await browser.newPage();
  const customer = await browser.newPage();
  t.teardown(async () => {
    for (const page of [bob, carol, customer]) await page.context().close();
  });
  await analystSignsIn(bob, server.url, 'bob');
  await analystSignsIn(carol, server.url, 'carol');
  await customerRequestsHelp(customer, server.url, 'Handed Hugo', 'general', { email: '', phone: '+33 6 11 22 33 44', problem: 'Printer offline' });
  await bob.getByTestId('ticket').filter({ hasText: 'Handed Hugo' }).getByRole('button').click();
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click();
  const codeOf = (page: Page) => page.getByTestId('verification-code').getAttribute('data-code');
  await bob.getByTestId('verification-code').waitFor();
  const bobCode = await codeOf(bob);
  await bob.getByTestId('chat-input').fill('Bob here, one moment');
  await bob.getByTestId('chat-input').press('Enter');
  await customer.getByTestId('chat-message').filter({ hasText: 'Bob here' }).waitFor({ timeout: 10_000 });

  // Bob hands over to carol, by the keyboard through the form.
  await bob.getByTestId('hand-over').click();
  await bob.getByTestId('hand-over-to').selectOption({ label: 'Carol Petit: Available, in Printers' });
  await bob.getByTestId('hand-over-note').fill('Driver reinstalled; still offline.');
  await bob.getByTestId('hand-over-send').click();
  await bob.locator('[data-testid="session-status"][data-end-reason="transferred"]').waitFor();
  t.match(await bob.getByTestId('session-status').textContent(), /You handed the session over/);

  // The customer waits again, told who takes over; the screen share stopped.
  await customer.getByTestId('handed-over').waitFor();
  t.match(await customer.getByTestId('handed-over').textContent(), /Bob Durand passed your request on to Carol Petit/);
  t.equal(await customer.getByTestId('sharing-indicator').count(), 0, 'nothing is shared meanwhile');

  const ticket = carol.getByTestId('ticket').filter({ hasText: 'Handed Hugo' });
  await ticket.waitFor();
  t.match(await ticket.getByTestId('ticket-transfer').textContent(), /Handed over by Bob Durand: Driver reinstalled; still offline\..*handed to you/);
  await ticket.getByRole('button').click();
  await customer.getByTestId('consent-allow').waitFor();
  t.match(await customer.getByTestId('consent-step').textContent(), /Carol Petit wants to help you.*Bob Durand handed your session over to Carol Petit/);
  await customer.getByTestId('consent-allow').click();
  t.match(await carol.getByTestId('session-transfer').textContent(), /Handed over by Bob Durand: Driver reinstalled/);
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(carol, 3);
  await carol.getByTestId('verification-code').waitFor();
  await customer.waitForFunction((code) => document.querySelector('[data-testid="verification-code"]')?.getAttribute('data-code') !== code, bobCode);
  const [carolCode, customerCode] = [await codeOf(carol), await codeOf(customer)];
  t.equal(carolCode, customerCode, `carol and the customer read the same code (${carolCode})`);
  t.not(carolCode, bobCode, 'a new connection, a new code');
  t.equal(await customer.getByTestId('chat-message').filter({ hasText: 'Bob here' }).count(), 0, 'bob\'s part of the session is not carried into carol\'s');
});
