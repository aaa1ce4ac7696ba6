import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { analystVideoStats, waitForDecodedFrames } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';
import { connectedSession } from '../helpers/session.js';

const server = await startServer();
const browser = await launchBrowser();
const dir = mkdtempSync(join(tmpdir(), 'relaydesk-extras-'));
t.teardown(async () => {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

t.test('verification code, quality panel, switching the source, sharper/smoother, and the session summary', async (t) => {
  const { customer, analyst } = await connectedSession(browser, server.url, 'Extra Eve');
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 5);

  // Both screens show the same code, derived from the DTLS fingerprints each side negotiated.
  const codes = await Promise.all([customer, analyst].map(async (page) => {
    const element = page.getByTestId('verification-code');
    await element.waitFor();
    return element.getAttribute('data-code');
  }));
  t.match(codes[0], /^\d{3} \d{3}$/);
  t.equal(codes[0], codes[1], `the same code on both screens (${codes[0]})`);

  // The quality panel measures the stream; the customer sees a simple indicator.
  await analyst.waitForTimeout(2200);
  t.ok(Number(await analyst.getByTestId('video-stats').getAttribute('data-kbps')) > 0, 'bitrate measured');
  await customer.getByTestId('connection-indicator').waitFor();
  t.equal(await customer.getByTestId('connection-indicator').getAttribute('data-level'), 'good', 'loopback is a good connection');

  // Another source without renegotiation: the analyst's state never leaves "live" and frames go on.
  const before = await analystVideoStats(analyst);
  await customer.getByTestId('switch-share').click();
  await analyst.waitForTimeout(1500);
  const after = await analystVideoStats(analyst);
  t.ok(after.frames > before.frames, `frames keep coming after the switch (${before.frames} → ${after.frames})`);
  t.equal(await analyst.getByTestId('analyst-session').getAttribute('data-state'), 'live');
  t.equal(await customer.getByTestId('sharing-indicator').count(), 1, 'still sharing');

  await analyst.getByRole('button', { name: 'Smoother' }).click();
  await analyst.getByRole('button', { name: 'Sharper' }).click();
  await analyst.waitForTimeout(500);
  const hint = await customer.evaluate(() => ((document.querySelector('[data-testid="local-preview"]') as HTMLVideoElement).srcObject as MediaStream).getVideoTracks()[0].contentHint);
  t.equal(hint, 'detail', "the customer's encoder follows the analyst's choice");
  const caps = await customer.evaluate(() => {
    const pc = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0];
    const sender = pc.getSenders().find((s) => s.track?.kind === 'video');
    return sender?.getParameters().encodings?.[0]?.maxBitrate ?? 0;
  });
  t.equal(caps, 2_500_000, 'the screen is capped at 2.5 Mbit/s in "sharper" mode');

  // Something to summarise: a file each way is enough for one, and a link.
  const file = join(dir, 'report.txt');
  writeFileSync(file, randomBytes(50_000));
  await analyst.getByTestId('file-input').setInputFiles(file);
  await customer.locator('[data-testid="transfer"][data-name="report.txt"]').getByTestId('accept-file').click();
  await analyst.locator('[data-testid="transfer"][data-name="report.txt"][data-state="done"]').waitFor();
  await analyst.getByLabel('Address (http or https)').fill('https://docs.example.com/guide');
  await analyst.getByRole('button', { name: 'Send link' }).click();
  await analyst.getByTestId('analyst-end').click();
  const summary = analyst.getByTestId('session-summary');
  await summary.waitFor();
  t.match(await summary.getByTestId('summary-files').textContent(), /report\.txt \(50\.0 KB\)/);
  t.match(await summary.getByTestId('summary-links').textContent(), /https:\/\/docs\.example\.com\/guide/);
  const [download] = await Promise.all([analyst.waitForEvent('download'), summary.getByTestId('summary-download').click()]);
  t.match(download.suggestedFilename(), /^session-.*\.txt$/, 'the summary downloads as a text file');
});
