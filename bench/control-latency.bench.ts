import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/helpers/browser.js';
import { waitForDecodedFrames } from '../test/helpers/flows.js';
import { runHelper, savePairingFile } from '../test/helpers/helper-process.js';
import { startServer } from '../test/helpers/server.js';
import { connectedSession } from '../test/helpers/session.js';
import { startXvfb, stopChild } from '../test/helpers/xvfb.js';
import { fmt, percentile, type Row } from './stats.js';

/** Moves the analyst's real mouse over the shared video, `count` times, to alternating spots. */
async function moves(analyst: Page, count: number, until?: () => Promise<boolean>): Promise<number> {
  const box = (await analyst.getByTestId('remote-screen').boundingBox())!;
  let done = 0;
  for (let i = 0; i < count; i++) {
    if (until && i % 50 === 0 && !(await until())) break;
    await analyst.mouse.move(box.x + box.width * (0.3 + 0.4 * ((i * 37) % 100) / 100), box.y + box.height * (0.3 + 0.4 * ((i * 61) % 100) / 100));
    await analyst.waitForTimeout(4);
    done += 1;
  }
  return done;
}

/**
 * Latency from the analyst's input event (stamped in the analyst's page) to its injection into the
 * X server by the real helper: analyst page → input channel → customer page (the gate) → helper
 * channel → helper → XTEST. Idle, then while a file transfer runs on the same peer connection.
 */
export async function controlLatencyBench(opts: { events: number; fileMb: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-bench-control-'));
  const xvfb = await startXvfb();
  const server = await startServer();
  const browser = await launchBrowser();
  const statsFile = join(dir, 'helper-stats.json');
  try {
    const { customer, analyst } = await connectedSession(browser, server.url, 'Bench Customer');
    await customer.getByTestId('start-share').click();
    await waitForDecodedFrames(analyst, 3);
    await analyst.getByTestId('request-control').click();
    await customer.getByTestId('control-allow').click();
    const helper = runHelper(xvfb.display, { file: await savePairingFile(customer) }, ['--stats-file', statsFile, '--quiet']);
    await analyst.locator('[data-testid="analyst-control"][data-state="active"]').waitFor({ timeout: 15_000 });

    const idleCount = await moves(analyst, opts.events);
    const boundary = await analyst.evaluate(() => performance.timeOrigin + performance.now());

    const file = join(dir, 'bench.bin');
    writeFileSync(file, randomBytes(opts.fileMb * 1024 * 1024));
    await analyst.getByTestId('file-input').setInputFiles(file);
    await customer.locator('[data-testid="transfer"][data-name="bench.bin"]').getByTestId('accept-file').click();
    await customer.locator('[data-testid="transfer"][data-name="bench.bin"][data-state="transferring"]').waitFor();
    const transferring = async () => (await customer.locator('[data-testid="transfer"][data-name="bench.bin"]').getAttribute('data-state')) === 'transferring';
    const loadedCount = await moves(analyst, opts.events, transferring);
    const stillRunning = await transferring();

    await stopChild(helper.child);
    const { samples } = JSON.parse(readFileSync(statsFile, 'utf8')) as { samples: Array<[number, number]> };
    const idle = samples.filter(([ts]) => ts < boundary).map(([, ms]) => ms);
    const loaded = samples.filter(([ts]) => ts >= boundary).map(([, ms]) => ms);
    const rows: Row[] = [
      { benchmark: `analyst event → injected, p50, ms (idle, ${idle.length} events)`, value: fmt(percentile(idle, 50), 2), baseline: '—', ratio: '—', target: '< 5 ms', pass: percentile(idle, 50) < 5 },
      { benchmark: `analyst event → injected, p99, ms (idle, ${idle.length} events)`, value: fmt(percentile(idle, 99), 2), baseline: '—', ratio: '—', target: '< 20 ms', pass: percentile(idle, 99) < 20 },
      {
        benchmark: `analyst event → injected, p50, ms (during ${opts.fileMb} MB transfer, ${loaded.length} events)`,
        value: fmt(percentile(loaded, 50), 2), baseline: `${fmt(percentile(idle, 50), 2)} (idle)`, ratio: fmt(percentile(loaded, 50) / percentile(idle, 50), 1), target: '—',
      },
      {
        benchmark: `analyst event → injected, p99, ms (during ${opts.fileMb} MB transfer, ${loaded.length} events)`,
        value: fmt(percentile(loaded, 99), 2), baseline: `${fmt(percentile(idle, 99), 2)} (idle)`, ratio: fmt(percentile(loaded, 99) / percentile(idle, 99), 1), target: '—',
      },
    ];
    const notes = [
      `Events sent: ${idleCount} idle, ${loadedCount} during the transfer${stillRunning ? '' : ' (the transfer ended first)'}; the helper injected what it received while control was active.`,
    ];
    await customer.context().close();
    await analyst.context().close();
    return { rows, notes };
  } finally {
    await browser.close();
    await server.close();
    await xvfb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
