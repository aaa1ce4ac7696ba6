import type { Page } from 'playwright-core';

/**
 * The customer fills the portal form and lands on their waiting page. `fields`: what they type
 * (an email and a phone unless told; an empty one is left blank), and the problem if any.
 */
export async function customerRequestsHelp(
  page: Page,
  baseUrl: string,
  name = 'Ann Customer',
  queue = 'general',
  fields: { email?: string; phone?: string; problem?: string } = {},
): Promise<void> {
  const { email = 'ann@example.com', phone = '+33 1 23 45 67 89', problem = '' } = fields;
  await page.goto(`${baseUrl}/?queue=${queue}`);
  await page.getByLabel('Your name').fill(name);
  if (email) await page.getByLabel('Email').fill(email);
  if (phone) await page.getByLabel('Phone').fill(phone);
  if (problem) await page.getByLabel('What is the problem?').fill(problem);
  await page.getByRole('button', { name: 'Request support' }).click();
  await page.getByTestId('waiting-room').waitFor();
}

export async function analystSignsIn(page: Page, baseUrl: string, username = 'alice', password = `${username}-password`): Promise<void> {
  await page.goto(`${baseUrl}/analyst`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('queue-list').waitFor();
}

/** The analyst takes the customer's ticket; both sides reach the consent step. */
export async function analystTakes(analyst: Page, customer: Page, name = 'Ann Customer'): Promise<void> {
  const ticket = analyst.getByTestId('ticket').filter({ hasText: name });
  await ticket.getByRole('button', { name: /Take/ }).click();
  await analyst.getByTestId('analyst-session').waitFor();
  await customer.getByTestId('consent-allow').waitFor();
}

/** Reads the analyst's getStats-backed video figures. */
export async function analystVideoStats(analyst: Page): Promise<{ frames: number; width: number; route: string; relayProtocol: string }> {
  const stats = analyst.getByTestId('video-stats');
  await stats.waitFor();
  return {
    frames: Number(await stats.getAttribute('data-frames-decoded')),
    width: Number(await stats.getAttribute('data-frame-width')),
    route: (await stats.getAttribute('data-route')) ?? '',
    relayProtocol: (await stats.getAttribute('data-relay-protocol')) ?? '',
  };
}

/** Polls until the analyst has decoded at least `minFrames` frames of a non-empty picture. */
export async function waitForDecodedFrames(analyst: Page, minFrames: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last = { frames: 0, width: 0, route: '', relayProtocol: '' };
  while (Date.now() < deadline) {
    last = await analystVideoStats(analyst);
    if (last.frames >= minFrames && last.width > 0) return last;
    await analyst.waitForTimeout(250);
  }
  throw new Error(`analyst decoded only ${last.frames} frames (width ${last.width}) in ${timeoutMs} ms`);
}

/**
 * A live session in two fresh pages: the analyst signs in (on `analystBase`, default the same
 * server), the customer asks for help, allows and shares; resolves once frames are decoded.
 * The pages' contexts close when the test ends.
 */
export async function liveSession(
  t: { teardown(fn: () => unknown): void },
  browser: { newPage(): Promise<Page> },
  customerBase: string,
  name: string,
  analystBase = customerBase,
  /** A script both pages run before their own (test instrumentation). */
  init?: () => void,
): Promise<{ customer: Page; analyst: Page }> {
  const customer = await browser.newPage();
  const analyst = await browser.newPage();
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  if (init) for (const page of [customer, analyst]) await page.addInitScript(init);
  await analystSignsIn(analyst, analystBase);
  await customerRequestsHelp(customer, customerBase, name);
  await analystTakes(analyst, customer, name);
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 5, 30_000);
  return { customer, analyst };
}
