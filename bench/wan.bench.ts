import type { IceConfig } from '../protocol/index.js';
import { issueTurnCredentials } from '../signaling/turn-credentials.js';
import { launchBrowser } from '../test/helpers/browser.js';
import { startCoturn } from '../test/helpers/coturn.js';
import { startServer } from '../test/helpers/server.js';
import { openPair, ourRun, rawRun, watched, type BenchApi } from './file-transfer.bench.js';
import { startRawRelay } from './first-frame.bench.js';
import { glassRuns } from './glass.bench.js';
import { startLink, type LinkProfile } from './servers/link-emulator.js';
import { fmt, median, percentile, type Row } from './stats.js';
import { FILE_CONNECTION_CHUNK_BYTES } from '../web/files/file-framing.js';

// The file, control and glass measures on emulated customer networks: real coturn (the production
// template), every packet through a link emulator of the benchmark's own in front of it
// (servers/link-emulator.ts: delay, random loss, a bandwidth bottleneck with a buffer), the
// browsers relay-only. Ours and the raw baselines cross the same link in the same run.

export const PROFILES: LinkProfile[] = [
  { name: 'DSL', rttMs: 40, loss: 0.005, rateBps: 20_000_000 },
  { name: 'hotel', rttMs: 120, loss: 0.02, rateBps: 5_000_000 },
];

const MB = 1024 * 1024;

export async function wanBench(opts: { runs: number; seconds: number; pings: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const coturn = await startCoturn();
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    for (const profile of PROFILES) {
      const link = await startLink(profile, coturn.port);
      const turnUrl = `turn:127.0.0.1:${link.port}?transport=udp`;
      const expires = Math.floor(Date.now() / 1000) + 3600;
      const ice: IceConfig = { iceServers: [{ urls: [turnUrl], ...issueTurnCredentials(coturn.secret, 'bench', expires) }], iceTransportPolicy: 'relay' };
      // About four seconds of the link's rate: a transfer long enough to reach its pace.
      const bytes = Math.round((profile.rateBps / 8) * 4 / MB) * MB;
      try {
        // File and control: the harness pair (the product's file modules on connections through the link).
        const pair = await openPair(bytes, ice);
        const ours: number[] = [];
        const raw: number[] = [];
        let pingsBusy: number[] = [];
        let pingsIdle: number[] = [];
        try {
          for (let run = 0; run < opts.runs; run++) {
            raw.push(await watched(pair.a, pair.b, `${profile.name}: raw run`, rawRun(pair.a, pair.b, bytes, FILE_CONNECTION_CHUNK_BYTES)));
            ours.push(await watched(pair.a, pair.b, `${profile.name}: our transfer`, ourRun(pair.a, pair.b, bytes)));
          }
          // Control round trips on the idle link first: what the link's loss alone does to them.
          pingsIdle = await pair.a.evaluate((n) => bench.pings(n, false), opts.pings);
          // Control round trips (the session connection's control channel) while our file goes.
          await pair.a.evaluate((n) => bench.ourPrepare(n), bytes);
          await pair.b.evaluate(() => bench.ourExpect());
          const done = pair.b.evaluate(() => bench.ourResult());
          await pair.a.evaluate(() => bench.ourSend());
          // Until the receiver has it all (the sender's side is done sooner: a file under the
          // channel's buffer is queued at once), in rounds of 20 sequential pings.
          let finished = false;
          void done.finally(() => (finished = true));
          while (!finished && pingsBusy.length < opts.pings) pingsBusy.push(...(await pair.a.evaluate(() => bench.pings(20, false))));
          const result = await done;
          if (result.state !== 'done') throw new Error(`${profile.name}: the transfer under pings ended ${result.state}`);
          await Promise.all([pair.a.evaluate(() => bench.cleanup()), pair.b.evaluate(() => bench.cleanup())]);
        } finally {
          await pair.close();
        }
        // Glass: the product's pages through the real server (TURN through the link), and the raw pair.
        const server = await startServer({ turnSecret: coturn.secret, turnUrls: [turnUrl], iceTransportPolicy: 'relay' });
        const relay = await startRawRelay();
        const browser = await launchBrowser();
        let glass: { ours: number[]; raw: number[] };
        try {
          glass = await glassRuns(browser, server.url, relay.url, opts.seconds, ice);
        } finally {
          await browser.close();
          await relay.close();
          await server.close();
        }
        const { dropped, passed } = link.counts();
        const name = `${profile.name} (${profile.rttMs} ms RTT, ${fmt(profile.loss * 100, 1)} % loss, ${profile.rateBps / 1e6} Mbit/s), relayed`;
        const controlTarget = 2 * profile.rttMs + 50;
        rows.push(
          {
            benchmark: `${name}: file transfer, ${bytes / MB} MB, MB/s (median of ${opts.runs})`, value: fmt(median(ours), 2), baseline: `${fmt(median(raw), 2)} (raw RTCDataChannel, same link)`,
            ratio: fmt(median(ours) / median(raw), 2), target: '≥ 0.95', pass: median(ours) / median(raw) >= 0.95,
          },
          {
            benchmark: `${name}: control round trip during a transfer, p99, ms (${pingsBusy.length} pings)`, value: `${fmt(percentile(pingsBusy, 99), 0)} (p50 ${fmt(percentile(pingsBusy, 50), 0)})`, baseline: `${fmt(percentile(pingsIdle, 99), 0)} (p50 ${fmt(percentile(pingsIdle, 50), 0)}): the idle link`,
            ratio: fmt(percentile(pingsBusy, 99) / percentile(pingsIdle, 99), 2), target: `< 2× RTT + 50 = ${controlTarget} ms`, pass: pingsBusy.length > 0 && percentile(pingsBusy, 99) < controlTarget,
          },
          {
            benchmark: `${name}: glass-to-glass p50, ms (${glass.ours.length} frames)`, value: fmt(percentile(glass.ours, 50), 0), baseline: `${fmt(percentile(glass.raw, 50), 0)} (raw pair, ${glass.raw.length} frames)`,
            ratio: fmt(percentile(glass.ours, 50) / percentile(glass.raw, 50), 2), target: '≤ raw + 10 ms', pass: percentile(glass.ours, 50) <= percentile(glass.raw, 50) + 10,
          },
        );
        const lost = (samples: number[]) => samples.filter((ms) => ms > 2 * profile.rttMs + 50).length;
        notes.push(`${profile.name}: control pings over ${controlTarget} ms: ${lost(pingsBusy)} of ${pingsBusy.length} during the transfer, ${lost(pingsIdle)} of ${pingsIdle.length} on the idle link (a lost packet waits for SCTP's retransmission timer).`);
        notes.push(`${profile.name}: file runs ours ${ours.map((v) => fmt(v, 2)).join(', ')} MB/s, raw ${raw.map((v) => fmt(v, 2)).join(', ')} MB/s; glass p99 ours ${fmt(percentile(glass.ours, 99), 0)} ms, raw ${fmt(percentile(glass.raw, 99), 0)} ms; the link dropped ${dropped} of ${dropped + passed} packets (${fmt((100 * dropped) / Math.max(1, dropped + passed), 2)} %: loss and full queue).`);
      } finally {
        link.close();
      }
    }
  } finally {
    await coturn.stop();
  }
  notes.push(
    'Reading the figures: the same measures as the loopback suites, on the networks customers sit behind. Both browsers are relayed (relay-only ICE) through the real coturn; the emulator adds a quarter of the round trip on each of the packet\'s two crossings (browser → coturn → browser), half the loss on each, and one bottleneck of the rate with a 50 ms buffer per direction that every connection shares: the file connection\'s packets queue in front of the control channel\'s, as on one line. A direct path cannot be emulated here (no netem; delay needs a relay in the path): on a direct path the same figures hold without coturn\'s hop. The control round trip is the session connection\'s control channel, which chat, links and the remote-control input share the connection with, measured while our file goes on the file connection.',
  );
  return { rows, notes };
}

declare const bench: BenchApi;
