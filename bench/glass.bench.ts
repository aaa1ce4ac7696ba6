import type { Page } from 'playwright-core';
import type { IceConfig } from '../protocol/index.js';
import { launchBrowser, type BrowserSession } from '../test/helpers/browser.js';
import { analystSignsIn, analystTakes, customerRequestsHelp } from '../test/helpers/flows.js';
import { startServer } from '../test/helpers/server.js';
import { startRawRelay } from './first-frame.bench.js';
import { fmt, percentile, type Row } from './stats.js';

// Glass-to-glass latency: the customer's "screen" is a canvas that writes the time it draws each
// frame into the picture (24 black or white blocks, big enough to survive the encoder); the
// analyst's page reads the time back from every frame it presents (requestVideoFrameCallback) and
// subtracts it from the presentation time. Both pages are in one browser on one machine, so their
// clocks (performance.timeOrigin + now) agree. Ours (the product's pages, the canvas handed out by
// getDisplayMedia) next to the raw pair of first-frame.bench.ts, with the same codec order.

/** Runs in the customer's page: getDisplayMedia returns the stamping canvas. Plain text (not tsx-compiled). */
export const STAMPING_SCREEN = `
(() => {
  const BITS = 24, SIZE = 24;
  const canvas = document.createElement('canvas');
  canvas.width = 1280; canvas.height = 720;
  const g = canvas.getContext('2d');
  let x = 0;
  const draw = () => {
    const stamp = Math.floor(performance.timeOrigin + performance.now()) % (1 << BITS);
    g.fillStyle = '#345'; g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = '#fa3'; g.fillRect(x = (x + 16) % canvas.width, 300, 120, 120);
    for (let i = 0; i < BITS; i++) {
      g.fillStyle = (stamp >> i) & 1 ? '#fff' : '#000';
      g.fillRect(40 + i * SIZE * 1.5, 40, SIZE, SIZE);
    }
  };
  setInterval(draw, 1000 / 30);
  draw();
  window.__stampingStream = () => canvas.captureStream(30);
  navigator.mediaDevices.getDisplayMedia = async () => window.__stampingStream();
})();`;

/** Runs in the analyst's page: reads each presented frame's stamp from the video named by `selector`. */
export const STAMP_READER = (selector: string) => `
(() => {
  const BITS = 24, SIZE = 24;
  window.__glass = [];
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d', { willReadFrequently: true });
  const watch = setInterval(() => {
    const video = document.querySelector(${JSON.stringify(selector)});
    if (!video || !video.srcObject || video.__reader) return;
    video.__reader = true;
    clearInterval(watch);
    const onFrame = (now) => {
      const w = video.videoWidth, h = video.videoHeight;
      if (w && h) {
        canvas.width = w; canvas.height = h;
        g.drawImage(video, 0, 0, w, h);
        const scale = w / 1280;
        let stamp = 0;
        for (let i = 0; i < BITS; i++) {
          const px = g.getImageData(Math.round((40 + i * SIZE * 1.5 + SIZE / 2) * scale), Math.round((40 + SIZE / 2) * scale), 1, 1).data;
          if ((px[0] + px[1] + px[2]) / 3 > 128) stamp |= 1 << i;
        }
        const shown = Math.floor(performance.timeOrigin + now) % (1 << BITS);
        const latency = (shown - stamp + (1 << BITS)) % (1 << BITS);
        if (latency < 5000) window.__glass.push(latency);
      }
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  }, 5);
})();`;

type Glass = { __glass?: number[] };
async function collect(page: Page, seconds: number): Promise<number[]> {
  await page.waitForFunction(() => ((window as unknown as Glass).__glass?.length ?? 0) > 10, undefined, { timeout: 30_000 });
  await page.evaluate(() => ((window as unknown as Glass).__glass = []));
  await page.waitForTimeout(seconds * 1000);
  return page.evaluate(() => (window as unknown as Glass).__glass ?? []);
}

/**
 * Glass-to-glass samples of ours (the product's pages on `serverUrl`) and of the raw pair (the
 * bench relay at `relayUrl`, with `ice` for its connections: the wan benchmark's relay), `seconds` each.
 */
export async function glassRuns(browser: BrowserSession, serverUrl: string, relayUrl: string, seconds: number, ice?: IceConfig): Promise<{ ours: number[]; raw: number[] }> {
  // Ours: the product's pages, the canvas as the shared screen.
  const customer = await browser.newPage();
  const analyst = await browser.newPage();
  await customer.addInitScript({ content: STAMPING_SCREEN });
  await analyst.addInitScript({ content: STAMP_READER('[data-testid="remote-screen"]') });
  await analystSignsIn(analyst, serverUrl);
  await customerRequestsHelp(customer, serverUrl, 'Glass Bench');
  await analystTakes(analyst, customer, 'Glass Bench');
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click({ timeout: 30_000 });
  const ours = await collect(analyst, seconds);
  await customer.context().close();
  await analyst.context().close();

  // Raw: the same canvas on a bare RTCPeerConnection pair.
  const rawCustomer = await browser.newPage();
  const rawAnalyst = await browser.newPage();
  await rawCustomer.addInitScript({ content: STAMPING_SCREEN });
  await rawAnalyst.addInitScript({ content: STAMP_READER('#v') });
  await Promise.all([rawCustomer.goto(relayUrl), rawAnalyst.goto(relayUrl)]);
  const pair = `glass-${Math.random().toString(36).slice(2)}`;
  await rawAnalyst.evaluate(([p, i]) => (window as unknown as { connect(pair: string, initiator: boolean, ice?: unknown): Promise<void> }).connect(p, false, i), [pair, ice] as const);
  await rawCustomer.evaluate(([p, i]) => (window as unknown as { connect(pair: string, initiator: boolean, ice?: unknown): Promise<void> }).connect(p, true, i), [pair, ice] as const);
  await rawCustomer.evaluate('share(true)');
  const raw = await collect(rawAnalyst, seconds);
  await rawCustomer.context().close();
  await rawAnalyst.context().close();
  return { ours, raw };
}

export async function glassBench(opts: { seconds: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const server = await startServer();
  const relay = await startRawRelay();
  const browser = await launchBrowser();
  try {
    const { ours, raw } = await glassRuns(browser, server.url, relay.url, opts.seconds);

    const p = (values: number[], q: number) => percentile(values, q);
    const rows: Row[] = [
      {
        benchmark: `glass-to-glass p50, ms (${ours.length} frames over ${opts.seconds} s)`, value: fmt(p(ours, 50), 1), baseline: `${fmt(p(raw, 50), 1)} (raw pair, ${raw.length} frames)`,
        ratio: fmt(p(ours, 50) / p(raw, 50), 2), target: '≤ raw + 10 ms', pass: p(ours, 50) <= p(raw, 50) + 10,
      },
      {
        benchmark: 'glass-to-glass p99, ms', value: fmt(p(ours, 99), 1), baseline: `${fmt(p(raw, 99), 1)} (raw pair)`,
        ratio: fmt(p(ours, 99) / p(raw, 99), 2), target: '< 100 ms', pass: p(ours, 99) < 100,
      },
    ];
    const notes = [
      'Reading the figures: how long after something appears on the customer\'s screen the analyst sees it, capture, encode, network, decode and display included (the canvas is drawn 30 times a second, so up to 33 ms of it is the frame interval before capture). Loopback: a real network adds its one-way delay and jitter buffer to both.',
    ];
    return { rows, notes };
  } finally {
    await browser.close();
    await relay.close();
    await server.close();
  }
}
