import type { Page } from 'playwright-core';
import type { BrowserSession } from './browser.js';
import { analystSignsIn, analystTakes, customerRequestsHelp } from './flows.js';

/**
 * Test-only instrumentation, injected before any page script: keeps a reference to every data
 * channel the page creates, so a test can play a hostile peer by sending raw messages.
 */
export const CAPTURE_CHANNELS = () => {
  const channels: RTCDataChannel[] = [];
  (window as unknown as { __channels: RTCDataChannel[] }).__channels = channels;
  const pcs: RTCPeerConnection[] = [];
  (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = pcs;
  const NativePC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePC {
    constructor(config?: RTCConfiguration) {
      super(config);
      pcs.push(this);
    }
  };
  const original = RTCPeerConnection.prototype.createDataChannel;
  RTCPeerConnection.prototype.createDataChannel = function (this: RTCPeerConnection, ...args: Parameters<typeof original>) {
    const channel = original.apply(this, args);
    channels.push(channel);
    return channel;
  };
};

/**
 * A customer and an analyst in a consented session, with the session tools connected on both
 * sides. Options: the customer's page from `customerBrowser` (a browser of its own, to freeze or
 * kill apart from the analyst's); `customerInit`, one more script run in the customer's page
 * before any of its own (to play a browser that misbehaves).
 */
export async function connectedSession(
  browser: BrowserSession,
  baseUrl: string,
  name = 'Ann Customer',
  options: { customerBrowser?: BrowserSession; customerInit?: () => void } = {},
): Promise<{ customer: Page; analyst: Page }> {
  const customer = await (options.customerBrowser ?? browser).newPage();
  const analyst = await browser.newPage();
  await analyst.addInitScript(CAPTURE_CHANNELS);
  await customer.addInitScript(CAPTURE_CHANNELS);
  if (options.customerInit) await customer.addInitScript(options.customerInit);
  await analystSignsIn(analyst, baseUrl);
  await customerRequestsHelp(customer, baseUrl, name);
  await analystTakes(analyst, customer, name);
  await customer.getByTestId('consent-allow').click();
  for (const page of [customer, analyst]) {
    await page.locator('[data-testid="activity"][data-key="tools.event.connected"]').waitFor({ timeout: 15_000 });
  }
  return { customer, analyst };
}
