import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/helpers/browser.js';
import { analystVideoStats, waitForDecodedFrames } from '../test/helpers/flows.js';
import { startServer } from '../test/helpers/server.js';
import { connectedSession } from '../test/helpers/session.js';
import { fmt, median, type Row } from './stats.js';

/** Samples the analyst's decoded fps and frame width once a second. */
async function sample(analyst: Page, seconds: number) {
  const fps: number[] = [];
  const widths: number[] = [];
  let last = await analystVideoStats(analyst);
  for (let i = 0; i < seconds; i++) {
    await analyst.waitForTimeout(1000);
    const now = await analystVideoStats(analyst);
    fps.push(now.frames - last.frames);
    widths.push(now.width);
    last = now;
  }
  return { fps: median(fps), width: median(widths) };
}

/**
 * The picture as the analyst receives it: decoded frames per second and width, in "sharper" and
 * "smoother" mode, next to what the customer's capture produces (the baseline: what could arrive).
 */
export async function screenBench(opts: { seconds: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { customer, analyst } = await connectedSession(browser, server.url, 'Screen Bench');
    await customer.getByTestId('start-share').click();
    await waitForDecodedFrames(analyst, 10);
    const capture = await customer.evaluate(() => {
      const track = ((document.querySelector('[data-testid="local-preview"]') as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0];
      const settings = track.getSettings();
      return { fps: settings.frameRate ?? 0, width: settings.width ?? 0 };
    });
    const codec = await analyst.evaluate(async () => {
      const pc = (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs?.[0];
      if (!pc) return 'unknown';
      let mime = 'unknown';
      (await pc.getStats()).forEach((e) => {
        if (e.type === 'codec' && String(e.mimeType).startsWith('video/')) mime = e.mimeType;
      });
      return mime;
    });
    await analyst.getByRole('button', { name: 'Sharper' }).click();
    await analyst.waitForTimeout(2000);
    const sharper = await sample(analyst, opts.seconds);
    await analyst.getByRole('button', { name: 'Smoother' }).click();
    await analyst.waitForTimeout(2000);
    const smoother = await sample(analyst, opts.seconds);
    const rows: Row[] = [
      { benchmark: `analyst decoded fps, "sharper" (median of ${opts.seconds} s)`, value: fmt(sharper.fps), baseline: `${fmt(capture.fps)} (customer's capture)`, ratio: fmt(sharper.fps / capture.fps, 2), target: '—' },
      { benchmark: 'analyst frame width, "sharper", px', value: fmt(sharper.width, 0), baseline: `${fmt(capture.width, 0)} (capture)`, ratio: fmt(sharper.width / capture.width, 2), target: '—' },
      { benchmark: `analyst decoded fps, "smoother" (median of ${opts.seconds} s)`, value: fmt(smoother.fps), baseline: `${fmt(capture.fps)} (customer's capture)`, ratio: fmt(smoother.fps / capture.fps, 2), target: '—' },
      { benchmark: 'analyst frame width, "smoother", px', value: fmt(smoother.width, 0), baseline: `${fmt(capture.width, 0)} (capture)`, ratio: fmt(smoother.width / capture.width, 2), target: '—' },
    ];
    await customer.context().close();
    await analyst.context().close();
    return { rows, notes: [`Codec negotiated: ${codec}. Chromium's synthetic screen on loopback: no bandwidth limit, so both modes should keep the capture's figures; the modes matter when the encoder must give something up.`] };
  } finally {
    await browser.close();
    await server.close();
  }
}
