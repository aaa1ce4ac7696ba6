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
 * sides; the customer's page comes from `customerBrowser` when given (a browser of its own, to
 * freeze or kill apart from the analyst's).
 */
export async function connectedSession(browser: BrowserSession, baseUrl: string, name = 'Ann Customer', customerBrowser = browser): Promise<{ customer: Page; analyst: Page }> {
  const customer = await customerBrowser.newPage();
  const analyst = await browser.newPage();
  await analyst.addInitScript(CAPTURE_CHANNELS);
  await customer.addInitScript(CAPTURE_CHANNELS);
  await analystSignsIn(analyst, baseUrl);
  await customerRequestsHelp(customer, baseUrl, name);
  await analystTakes(analyst, customer, name);
  await customer.getByTestId('consent-allow').click();
  for (const page of [customer, analyst]) {
    await page.locator('[data-testid="activity"][data-key="tools.event.connected"]').waitFor({ timeout: 15_000 });
  }
  return { customer, analyst };
}
