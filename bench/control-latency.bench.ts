import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/helpers/browser.js';
import { waitForDecodedFrames } from '../test/helpers/flows.js';
import { downloadHelperProgram, removeSavedFiles, runProgram, stopWine, wineReady } from '../test/helpers/helper-process.js';
import { startServer } from '../test/helpers/server.js';
import { connectedSession } from '../test/helpers/session.js';
import { startXvfb } from '../test/helpers/xvfb.js';
import { fmt, percentile, type Row } from './stats.js';
import { INPUT_ACTIVE_MS, INPUT_FILE_BYTES_PER_S } from '../web/session/peer-channels.js';

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

type Samples = {
  idle: number[]; loaded: number[]; idleCount: number; loadedCount: number; stillRunning: boolean;
  /** The transfer's pace while the events flowed and after they stopped (input first: peer-channels.ts), MB/s. */
  rateDuring: number; rateAfter: number | null;
};

/** One helper program downloaded from the page and driven through control, idle then during a transfer. */
async function measure(browser: Awaited<ReturnType<typeof launchBrowser>>, serverUrl: string, display: string, dir: string, platform: 'linux-x64' | 'win-x64', opts: { events: number; fileMb: number }): Promise<Samples> {
  const { customer, analyst } = await connectedSession(browser, serverUrl, `Bench ${platform}`);
  try {
    await customer.getByTestId('start-share').click();
    await waitForDecodedFrames(analyst, 3);
    await analyst.getByTestId('request-control').click();
    await customer.getByTestId('control-allow').click();
    if (platform === 'win-x64') await wineReady(display);
    const program = await downloadHelperProgram(customer, platform);
    const statsFile = join(dir, `helper-stats-${platform}.json`);
    // Wine shows the machine's root as drive Z:.
    const statsArg = platform === 'win-x64' ? `Z:${statsFile.replace(/\//g, '\\')}` : statsFile;
    const helper = runProgram(display, program, ['--stats-file', statsArg, '--quiet']);
    await analyst.locator('[data-testid="analyst-control"][data-state="active"]').waitFor({ timeout: 60_000 });

    const idleCount = await moves(analyst, opts.events);
    const boundary = await analyst.evaluate(() => performance.timeOrigin + performance.now());

    const file = join(dir, 'bench.bin');
    writeFileSync(file, randomBytes(opts.fileMb * 1024 * 1024));
    await analyst.getByTestId('file-input').setInputFiles(file);
    await customer.locator('[data-testid="transfer"][data-name="bench.bin"]').getByTestId('accept-file').click();
    await customer.locator('[data-testid="transfer"][data-name="bench.bin"][data-state="transferring"]').waitFor();
    const row = customer.locator('[data-testid="transfer"][data-name="bench.bin"]');
    const transferring = async () => (await row.getAttribute('data-state')) === 'transferring';
    // The transfer's progress (whole percents of the file) at both ends of the events, then at its end.
    const percent = async () => Number((await row.locator('progress').getAttribute('value', { timeout: 1000 }).catch(() => null)) ?? 100);
    const mb = (percents: number, ms: number) => ((percents / 100) * opts.fileMb) / (ms / 1000);
    const [p0, t0] = [await percent(), performance.now()];
    const loadedCount = await moves(analyst, opts.events, transferring);
    const [p1, t1] = [await percent(), performance.now()];
    const stillRunning = await transferring();
    let rateAfter: number | null = null;
    if (stillRunning) {
      await row.and(customer.locator(':not([data-state="transferring"])')).waitFor({ timeout: 300_000 });
      rateAfter = mb(100 - p1, performance.now() - t1);
    }
    const rateDuring = mb(p1 - p0, t1 - t0);

    // Stop control in the page: the helper writes its samples and exits by itself (also under Wine,
    // where a signal to `wine` would not reach the Windows program).
    await customer.getByTestId('stop-control').click();
    if ((await helper.exited) !== 0) throw new Error(`the ${platform} helper failed: ${helper.output()}`);
    const { samples } = JSON.parse(readFileSync(statsFile, 'utf8')) as { samples: Array<[number, number]> };
    return {
      idle: samples.filter(([ts]) => ts < boundary).map(([, ms]) => ms),
      loaded: samples.filter(([ts]) => ts >= boundary).map(([, ms]) => ms),
      idleCount, loadedCount, stillRunning, rateDuring, rateAfter,
    };
  } finally {
    await customer.context().close();
    await analyst.context().close();
  }
}

/**
 * Latency from the analyst's input event (stamped in the analyst's page) to its injection by the
 * helper programs customers download (npm run helper:build): analyst page → input channel →
 * customer page (the gate) → helper channel → helper → XTEST (Linux) or SendInput (Windows, under
 * Wine on the same X server). Idle, then while a file transfer runs on the same peer connection.
 * The Windows rows compare with the Linux helper's, measured in the same run.
 */
export async function controlLatencyBench(opts: { events: number; fileMb: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-bench-control-'));
  const xvfb = await startXvfb();
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const linux = await measure(browser, server.url, xvfb.display, dir, 'linux-x64', opts);
    const windows = await measure(browser, server.url, xvfb.display, dir, 'win-x64', opts);
    const p = (values: number[], q: number) => percentile(values, q);
    const rows: Row[] = [
      { benchmark: `Linux helper: analyst event → injected, p50, ms (idle, ${linux.idle.length} events)`, value: fmt(p(linux.idle, 50), 2), baseline: '—', ratio: '—', target: '< 5 ms', pass: p(linux.idle, 50) < 5 },
      { benchmark: `Linux helper: analyst event → injected, p99, ms (idle, ${linux.idle.length} events)`, value: fmt(p(linux.idle, 99), 2), baseline: '—', ratio: '—', target: '< 20 ms', pass: p(linux.idle, 99) < 20 },
      {
        benchmark: `Linux helper: p50, ms (during ${opts.fileMb} MB transfer, ${linux.loaded.length} events)`,
        value: fmt(p(linux.loaded, 50), 2), baseline: `${fmt(p(linux.idle, 50), 2)} (idle)`, ratio: fmt(p(linux.loaded, 50) / p(linux.idle, 50), 1), target: '—',
      },
      {
        benchmark: `Linux helper: p99, ms (during ${opts.fileMb} MB transfer, ${linux.loaded.length} events)`,
        value: fmt(p(linux.loaded, 99), 2), baseline: `${fmt(p(linux.idle, 99), 2)} (idle)`, ratio: fmt(p(linux.loaded, 99) / p(linux.idle, 99), 1), target: '< 50 ms', pass: p(linux.loaded, 99) < 50,
      },
      {
        benchmark: `Windows helper (Wine): p50, ms (idle, ${windows.idle.length} events)`,
        value: fmt(p(windows.idle, 50), 2), baseline: `${fmt(p(linux.idle, 50), 2)} (Linux)`, ratio: fmt(p(windows.idle, 50) / p(linux.idle, 50), 1), target: '< 5 ms', pass: p(windows.idle, 50) < 5,
      },
      {
        benchmark: `Windows helper (Wine): p99, ms (idle, ${windows.idle.length} events)`,
        value: fmt(p(windows.idle, 99), 2), baseline: `${fmt(p(linux.idle, 99), 2)} (Linux)`, ratio: fmt(p(windows.idle, 99) / p(linux.idle, 99), 1), target: '< 20 ms', pass: p(windows.idle, 99) < 20,
      },
      {
        benchmark: `Windows helper (Wine): p99, ms (during ${opts.fileMb} MB transfer, ${windows.loaded.length} events)`,
        value: fmt(p(windows.loaded, 99), 2), baseline: `${fmt(p(linux.loaded, 99), 2)} (Linux)`, ratio: fmt(p(windows.loaded, 99) / p(linux.loaded, 99), 1), target: '—',
      },
      {
        benchmark: 'Linux run: the file transfer while the events flow, MB/s', value: fmt(linux.rateDuring, 1),
        baseline: linux.rateAfter === null ? '— (the transfer ended first)' : `${fmt(linux.rateAfter, 1)} (after the last event)`,
        ratio: linux.rateAfter === null ? '—' : fmt(linux.rateDuring / linux.rateAfter, 2), target: '—',
      },
    ];
    const notes = [
      `Events sent: Linux ${linux.idleCount} idle, ${linux.loadedCount} during the transfer${linux.stillRunning ? '' : ' (the transfer ended first)'}; Windows ${windows.idleCount} idle, ${windows.loadedCount} during the transfer${windows.stillRunning ? '' : ' (the transfer ended first)'}. Each helper injected what it received while control was active.`,
      `While input flows, the sending page keeps files to ${fmt(INPUT_FILE_BYTES_PER_S / 1024 / 1024, 0)} MiB/s (input first, web/session/peer-channels.ts), full speed again ${INPUT_ACTIVE_MS} ms after the last event: the last row shows the pace during the events and after them.`,
      'Both are the single-file programs a customer downloads from the page (dist/helper), not the helper run from the repository.',
    ];
    return { rows, notes };
  } finally {
    await stopWine(xvfb.display);
    removeSavedFiles();
    await browser.close();
    await server.close();
    await xvfb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
