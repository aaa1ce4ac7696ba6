import type { Test } from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from './browser.js';
import { waitForDecodedFrames } from './flows.js';
import { removeSavedFiles } from './helper-process.js';
import { startServer } from './server.js';
import { connectedSession } from './session.js';
import { startEventRecorder, startXvfb, stopChild } from './xvfb.js';

// What the remote-control browser tests share: a session with control allowed, and where the
// analyst must point on their video to reach a spot of the customer's (Xvfb) screen.

/** Client coordinates on the analyst's video for a normalised spot of the picture. */
export async function spot(analyst: Page, x: number, y: number) {
  return analyst.evaluate(([nx, ny]) => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-screen"]')!;
    const box = video.getBoundingClientRect();
    const scale = Math.min(box.width / video.videoWidth, box.height / video.videoHeight);
    const [w, h] = [video.videoWidth * scale, video.videoHeight * scale];
    return { x: box.left + (box.width - w) / 2 + nx * w, y: box.top + (box.height - h) / 2 + ny * h };
  }, [x, y] as const);
}

/** Where a normalised spot lands on a 1280×800 X screen. */
export const expected = (x: number, y: number) => ({ x: Math.round(x * 1279), y: Math.round(y * 799) });

export function near(a: { x: number; y: number }, b: { x: number; y: number }) {
  return Math.abs(a.x - b.x) <= 3 && Math.abs(a.y - b.y) <= 3;
}

export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A live session whose customer shares the screen and allowed control (separate consents: sharing is not control). */
export async function controlAllowed(t: Test, browser: BrowserSession, serverUrl: string, name: string): Promise<{ customer: Page; analyst: Page }> {
  const { customer, analyst } = await connectedSession(browser, serverUrl, name);
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 3);
  await analyst.getByTestId('request-control').click();
  await customer.getByTestId('control-allow').click();
  return { customer, analyst };
}

/**
 * What a remote-control test file starts with: a 1280×800 Xvfb, an X client (xev) recording what
 * arrives there, the real server and Chromium, all stopped when the file's tests end.
 * `controlAllowed(t, name)`: a session on them with the screen shared and control allowed.
 */
export async function startControlRig(t: Test) {
  const xvfb = await startXvfb(1280, 800);
  const recorder = startEventRecorder(xvfb.display);
  const server = await startServer();
  const browser = await launchBrowser();
  t.teardown(async () => {
    removeSavedFiles();
    await browser.close();
    await server.close();
    await stopChild(recorder.child);
    await xvfb.stop();
  });
  return { xvfb, recorder, server, browser, controlAllowed: (test: Test, name: string) => controlAllowed(test, browser, server.url, name) };
}
