import * as esbuild from 'esbuild';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_PATH, launchProfileBrowser } from '../test/helpers/browser.js';
import type { IceConfig } from '../protocol/index.js';
import { SINK_WORKER_FILE } from '../web/files/file-sink-protocol.js';
import { FILE_CONNECTION_CHUNK_BYTES, SESSION_CHUNK_BYTES } from '../web/files/file-framing.js';
import { CPU_ROLES, type CpuRole, withCounters } from './host-counters.js';
import { fmt, median, percentile, type Row } from './stats.js';

/** What the harness page (page/harness.ts) offers the benchmarks, as `window.bench`. */
export type BenchApi = {
  offer(ice?: IceConfig): Promise<string>;
  answer(offer: string, ice?: IceConfig): Promise<string>;
  complete(answer: string): Promise<void>;
  ready(): Promise<void>;
  rawExpect(bytes: number): void;
  rawResult(): Promise<number>;
  rawSend(bytes: number, chunkBytes: number): Promise<void>;
  ourExpect(): void;
  ourResult(): Promise<{ state: string; at: number }>;
  ourPrepare(bytes: number): Promise<void>;
  ourSend(): number;
  cleanup(): Promise<void>;
  pings(count: number, whileBusy: boolean): Promise<number[]>;
  state(): unknown;
};
declare const bench: BenchApi;

const MB = 1024 * 1024;

/**
 * Writes a file of `bytes` random bytes to `path` and flushes it to disk, so that no write-back of
 * it competes with the transfer: a file at rest, like the one a customer picks.
 */
function writeFileAtRest(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < bytes; written += 16 * MB) writeSync(fd, randomBytes(Math.min(16 * MB, bytes - written)));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Serves the harness bundle on loopback and opens two connected pages (sender A, receiver B), each
 * in its own browser with an on-disk profile, like two people's browsers (off-the-record contexts
 * keep the Origin Private File System in memory, which is not what customers have). A's file input
 * holds a file of `bytes` from the disk, for our transfer to send.
 */
export async function openPair(bytes: number, ice?: IceConfig) {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-bench-'));
  await esbuild.build({
    entryPoints: [new URL('./page/harness.ts', import.meta.url).pathname],
    bundle: true, format: 'esm', platform: 'browser', outfile: join(dir, 'harness.js'), logLevel: 'warning',
  });
  // The disk writer of incoming files, found next to the harness bundle as in the product.
  await esbuild.build({
    entryPoints: [new URL('../web/files/file-sink-worker.ts', import.meta.url).pathname],
    bundle: true, format: 'iife', platform: 'browser', outfile: join(dir, SINK_WORKER_FILE), logLevel: 'warning',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><input type="file" id="pick"><script type="module" src="/harness.js"></script>');
  const picked = join(dir, 'picked.bin');
  writeFileAtRest(picked, bytes);
  const server = createServer((req, res) => {
    const file = req.url === '/harness.js' ? 'harness.js' : req.url === `/${SINK_WORKER_FILE}` ? SINK_WORKER_FILE : req.url === '/' ? 'index.html' : null;
    if (!file) return void res.writeHead(404).end();
    res.setHeader('content-type', file.endsWith('.js') ? 'text/javascript' : 'text/html');
    res.end(readFileSync(join(dir, file)));
  });
  await new Promise<void>((resolve) => server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  // The remote receiver first: if it cannot be reached, nothing is left running or on disk here.
  let remote: Awaited<ReturnType<typeof remoteBrowser>> | null = null;
  if (REMOTE_RECEIVER) {
    try {
      remote = await remoteBrowser(REMOTE_RECEIVER);
    } catch (err) {
      server.close();
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }
  const browsers = remote
    ? [await launchProfileBrowser({ extraArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns'] }), remote]
    : [await launchProfileBrowser(pinnedTo(dir, 0)), await launchProfileBrowser(pinnedTo(dir, 1))];
  const [a, b] = browsers.map((browser) => browser.page);
  for (const page of [a, b]) {
    await page.goto(url);
    await page.waitForFunction(() => 'bench' in window);
  }
  const offer = await a.evaluate((i) => bench.offer(i), ice);
  const answer = await b.evaluate(([o, i]) => bench.answer(o, i), [offer, ice] as const);
  await a.evaluate((s) => bench.complete(s), answer);
  await Promise.all([a.evaluate(() => bench.ready()), b.evaluate(() => bench.ready())]);
  // Picked as a customer picks it: the page gets a File backed by the file on disk.
  await a.setInputFiles('#pick', picked);
  return {
    a, b,
    async close() {
      await Promise.all(browsers.map((browser) => browser.close()));
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * With BENCH_RECEIVER_CDP (a DevTools endpoint, e.g. http://127.0.0.1:9222), the receiving page
 * opens in that browser, normally one on a second computer reached through SSH tunnels (how: in
 * docs/benchmarks.md), so each side has a machine of its own, as real peers do. The harness page
 * is then served on BENCH_PORT, which the tunnel forwards. CPU rows count this machine only.
 */
const REMOTE_RECEIVER = process.env.BENCH_RECEIVER_CDP ?? '';

/** A page in the default (on-disk) profile of a browser already running, reached over DevTools. */
async function remoteBrowser(endpoint: string): Promise<{ page: Page; close(): Promise<void> }> {
  const browser = await chromium.connectOverCDP(endpoint).catch((err: Error) => {
    throw new Error(
      `cannot reach the receiver's browser at ${endpoint} (${err.message.split('\n')[0]}). Start it and the SSH tunnels as docs/benchmarks.md says, ` +
        'and run `npx tsx bench/run.ts file` (npm run bench runs in a network namespace of its own, where no tunnel reaches).',
    );
  });
  const context = browser.contexts()[0] ?? (await browser.newContext());
  const page = await context.newPage();
  return {
    page,
    async close() {
      await page.close();
      await browser.close(); // disconnects; the browser keeps running
    },
  };
}

/**
 * With BENCH_PIN_CORES=1, browser `index` (and every process it starts) runs on core `index` only:
 * two one-core "machines", so each side's hashing and storage compete with its own network stack
 * alone, not with the other browser's. A diagnostic: the default shares both cores, as one
 * machine running two browsers does.
 */
function pinnedTo(dir: string, index: number): { executablePath?: string } {
  if (process.env.BENCH_PIN_CORES !== '1') return {};
  const wrapper = join(dir, `chromium-core-${index}.sh`);
  writeFileSync(wrapper, `#!/bin/sh\nexec taskset -c ${index} ${CHROMIUM_PATH} "$@"\n`, { mode: 0o755 });
  return { executablePath: wrapper };
}

/** What each part of Chromium (host-counters.ts) does for a transfer, for the table. */
const ROLE_LABELS: Record<CpuRole, string> = {
  network: "Chromium's network service (UDP sockets)",
  webrtc: "the renderers' WebRTC thread (ICE, DTLS, SCTP)",
  ipc: "the renderers' IO thread (packets to and from the network service)",
  page: 'the pages: main threads and workers (reading, hashing, writing the file)',
  browser: 'the browser process (serving the picked file)',
};

/** A run that has not ended after this long has stalled: a bug to report, not a figure. */
const STALL_MS = 5 * 60_000;

/** Runs `run`; if it stalls, fails with where both pages stand instead of hanging the benchmark. */
export async function watched<T>(a: Page, b: Page, what: string, run: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(async () => {
      const states = await Promise.all([a, b].map((page) => page.evaluate(() => bench.state()).catch((err: Error) => err.message)));
      reject(new Error(`${what} stalled for ${STALL_MS / 1000} s; sender: ${JSON.stringify(states[0])}; receiver: ${JSON.stringify(states[1])}`));
    }, STALL_MS);
  });
  try {
    return await Promise.race([run, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** MB/s of the raw baseline: A sends, B counts. */
export async function rawRun(a: Page, b: Page, bytes: number, chunk: number): Promise<number> {
  await b.evaluate((n) => bench.rawExpect(n), bytes);
  const arrived = b.evaluate(() => bench.rawResult());
  const start = await a.evaluate(() => performance.now());
  await a.evaluate(([n, c]) => bench.rawSend(n, c), [bytes, chunk] as const);
  const end = await arrived;
  // From A's start to B's last byte, B's time moved onto A's clock.
  return bytes / MB / ((end + (await clockSkew(a, b)) - start) / 1000);
}

/** Milliseconds to add to a time on B's clock to put it on A's (same machine, same monotonic clock). */
async function clockSkew(a: Page, b: Page): Promise<number> {
  return (await b.evaluate(() => performance.timeOrigin)) - (await a.evaluate(() => performance.timeOrigin));
}

/**
 * MB/s of our transfer, from the offer on A to the verified, stored file on B: offer, accept,
 * reading the file, chunks, the digest on both sides, OPFS writes, verification.
 */
export async function ourRun(a: Page, b: Page, bytes: number): Promise<number> {
  await a.evaluate((n) => bench.ourPrepare(n), bytes);
  await b.evaluate(() => bench.ourExpect());
  const start = await a.evaluate(() => bench.ourSend());
  const result = await b.evaluate(() => bench.ourResult());
  if (result.state !== 'done') throw new Error(`transfer ended ${result.state}`);
  const seconds = (result.at + (await clockSkew(a, b)) - start) / 1000;
  await Promise.all([a.evaluate(() => bench.cleanup()), b.evaluate(() => bench.cleanup())]);
  return bytes / MB / seconds;
}

export async function fileTransferBench(opts: { sizeMb: number; runs: number; pings: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const bytes = opts.sizeMb * MB;
  const pair = await openPair(bytes);
  const { a, b } = pair;
  try {
    // The raw channel at four chunk sizes. The baseline is the fastest of them (by median): the
    // practical limit, whatever chunk size our files use. The cost rows compare ours with the raw
    // channel at our own chunk size on the file connection (FILE_CONNECTION_CHUNK_BYTES).
    const chunkSizes = [16 * 1024, 64 * 1024, 128 * 1024, 256 * 1024];
    const byChunk: Record<number, number[]> = {};
    for (const size of chunkSizes) byChunk[size] = [];
    const ours: number[] = [];
    // What each baseline raw run and each of ours cost the machine: CPU per MB and UDP drops.
    type Cost = { cpu: number[]; drops: number[]; byRole: Record<CpuRole, number[]>; rest: number[] };
    const newCost = (): Cost => ({ cpu: [], drops: [], byRole: { network: [], webrtc: [], ipc: [], page: [], browser: [] }, rest: [] });
    const cost = { raw: newCost(), ours: newCost() };
    const measured = async (into: Cost, run: () => Promise<number>) => {
      const { result, cpuSeconds, udpDrops, byRole } = await withCounters(run);
      into.cpu.push((cpuSeconds * 1000) / opts.sizeMb);
      into.drops.push(udpDrops);
      for (const role of CPU_ROLES) into.byRole[role].push((byRole[role] * 1000) / opts.sizeMb);
      const chromium = CPU_ROLES.reduce((sum, role) => sum + byRole[role], 0);
      into.rest.push(((cpuSeconds - chromium) * 1000) / opts.sizeMb);
      return result;
    };
    for (let run = 0; run < opts.runs; run++) {
      // Alternate, so drift in machine load hits both sides alike.
      for (const size of chunkSizes) {
        const once = () => watched(a, b, `raw run (${size / 1024} KiB chunks)`, rawRun(a, b, bytes, size));
        byChunk[size].push(await (size === FILE_CONNECTION_CHUNK_BYTES ? measured(cost.raw, once) : once()));
      }
      ours.push(await measured(cost.ours, () => watched(a, b, 'our transfer', ourRun(a, b, bytes))));
      process.stdout.write('.');
    }
    const fastest = chunkSizes.reduce((best, size) => (median(byChunk[size]) > median(byChunk[best]) ? size : best));
    const rawMedian = median(byChunk[fastest]);
    const ourMedian = median(ours);
    const spread = (values: number[], digits = 1) => `${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)}`;
    /** A diagnostic row: the median of ours next to the median of the raw baseline, and their ratio. */
    const versusRaw = (benchmark: string, mine: number[], raw: number[], digits = 1): Row => ({
      benchmark,
      value: fmt(median(mine), digits),
      baseline: `${fmt(median(raw), digits)} (raw, ${FILE_CONNECTION_CHUNK_BYTES / 1024} KiB)`,
      ratio: fmt(median(mine) / median(raw), 2),
      target: 'diagnostic',
    });
    // Each run of ours against the baseline run taken just before it: how far one pair can stray.
    const paired = ours.map((speed, run) => speed / byChunk[fastest][run]);

    const idle = await a.evaluate((n) => bench.pings(n, false), opts.pings);
    await a.evaluate((n) => bench.ourPrepare(n), bytes);
    await b.evaluate(() => bench.ourExpect());
    const done = b.evaluate(() => bench.ourResult());
    await a.evaluate(() => bench.ourSend());
    const loaded = await a.evaluate((n) => bench.pings(n, true), opts.pings);
    await done;
    // The same pings while a raw send saturates the session connection itself, in the chunks files
    // use there: what the file connection spares control messages.
    await b.evaluate((n) => bench.rawExpect(n), bytes);
    const rawArrived = b.evaluate(() => bench.rawResult());
    const rawSending = a.evaluate(([n, c]) => bench.rawSend(n, c), [bytes, SESSION_CHUNK_BYTES] as const);
    await a.waitForTimeout(200);
    const loadedRaw = await a.evaluate((n) => bench.pings(n, true), opts.pings);
    await rawSending;
    await rawArrived;
    await Promise.all([a.evaluate(() => bench.cleanup()), b.evaluate(() => bench.cleanup())]);
    process.stdout.write('\n');

    const rows: Row[] = [
      {
        benchmark: `file transfer, ${opts.sizeMb} MB, MB/s (${opts.runs} runs)`,
        value: fmt(ourMedian),
        baseline: `${fmt(rawMedian)} (raw RTCDataChannel, ${fastest / 1024} KiB chunks, the fastest raw size; same backpressure)`,
        ratio: fmt(ourMedian / rawMedian, 2),
        target: '≥ 0.90',
        pass: ourMedian / rawMedian >= 0.9,
      },
      {
        benchmark: `file transfer, spread of the ${opts.runs} runs, MB/s`,
        value: spread(ours),
        baseline: `${spread(byChunk[fastest])} (raw, ${fastest / 1024} KiB)`,
        ratio: '—',
        target: 'diagnostic',
      },
      {
        benchmark: `file transfer, ratio of each run to the raw run just before it (${opts.runs} pairs)`,
        value: `${fmt(median(paired), 2)} (${spread(paired, 2)})`,
        baseline: '—',
        ratio: '—',
        target: 'diagnostic',
      },
      versusRaw('CPU time of the whole machine per MB moved, ms', cost.ours.cpu, cost.raw.cpu),
      versusRaw(`UDP datagrams dropped on a full socket buffer, per ${opts.sizeMb} MB`, cost.ours.drops, cost.raw.drops, 0),
      ...CPU_ROLES.map((role) => versusRaw(`  of which ${ROLE_LABELS[role]}, ms per MB`, cost.ours.byRole[role], cost.raw.byRole[role])),
      versusRaw(
        "  and the rest of the machine: the kernel's own threads (disk write-back…) and the benchmark's Node, ms per MB",
        cost.ours.rest,
        cost.raw.rest,
      ),
      ...chunkSizes.map((size) => ({
        benchmark: `raw RTCDataChannel, ${size / 1024} KiB chunks, MB/s`,
        value: fmt(median(byChunk[size])),
        baseline: `${fmt(rawMedian)} (${fastest / 1024} KiB, the fastest)`,
        ratio: fmt(median(byChunk[size]) / rawMedian, 2),
        target: 'chunk size choice',
      })),
      {
        benchmark: `control round trip p50, ms (idle, ${idle.length} pings)`,
        value: fmt(percentile(idle, 50), 2),
        baseline: '—',
        ratio: '—',
        target: '—',
      },
      {
        benchmark: `control round trip p99, ms (idle, ${idle.length} pings)`,
        value: fmt(percentile(idle, 99), 2),
        baseline: '—',
        ratio: '—',
        target: '—',
      },
      {
        benchmark: `control round trip p50, ms (during ${opts.sizeMb} MB transfer, ${loaded.length} pings)`,
        value: fmt(percentile(loaded, 50), 2),
        baseline: `${fmt(percentile(idle, 50), 2)} (idle)`,
        ratio: fmt(percentile(loaded, 50) / percentile(idle, 50), 1),
        target: '—',
      },
      {
        benchmark: `control round trip p99, ms (during ${opts.sizeMb} MB transfer, ${loaded.length} pings)`,
        value: fmt(percentile(loaded, 99), 2),
        baseline: `${fmt(percentile(idle, 99), 2)} (idle)`,
        ratio: fmt(percentile(loaded, 99) / percentile(idle, 99), 1),
        target: '< 50 ms',
        pass: percentile(loaded, 99) < 50,
      },
      {
        benchmark: `control round trip p99, ms (during raw ${opts.sizeMb} MB send, ${loadedRaw.length} pings)`,
        value: fmt(percentile(loadedRaw, 99), 2),
        baseline: `${fmt(percentile(idle, 99), 2)} (idle)`,
        ratio: fmt(percentile(loadedRaw, 99) / percentile(idle, 99), 1),
        target: 'diagnostic',
      },
    ];
    const notes = [`Loaded pings stop when the transfer ends: ${loaded.length} of ${opts.pings} fit in it.`];
    if (REMOTE_RECEIVER) notes.push('The receiver ran in a browser on another computer (BENCH_RECEIVER_CDP): CPU and drop rows count the sender\'s machine only.');
    return { rows, notes };
  } finally {
    await pair.close();
  }
}
