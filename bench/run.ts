// npm run bench [-- <suite> ...]: runs the benchmarks, prints a table, and records it in
// docs/benchmarks.md. Suites: file, control, signaling, screen, first-frame, glass, queue, wan, turn, text (default: all).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { controlLatencyBench } from './control-latency.bench.js';
import { fileTransferBench } from './file-transfer.bench.js';
import { signalingBench } from './signaling.bench.js';
import { screenBench } from './screen.bench.js';
import { firstFrameBench } from './first-frame.bench.js';
import { glassBench } from './glass.bench.js';
import { queueBench } from './queue.bench.js';
import { wanBench } from './wan.bench.js';
import { turnBench } from './turn.bench.js';
import { textBench } from './text.bench.js';
import { table, type Row } from './stats.js';

const suites: Record<string, () => Promise<{ rows: Row[]; notes: string[] }>> = {
  file: () => fileTransferBench({ sizeMb: Number(process.env.BENCH_FILE_MB ?? 200), runs: Number(process.env.BENCH_RUNS ?? 7), pings: 2000 }),
  signaling: () => signalingBench({ idle: Number(process.env.BENCH_IDLE ?? 10_000), pairs: 200, seconds: 4, tickets: 3000, rounds: 3 }),
  screen: () => screenBench({ seconds: Number(process.env.BENCH_SECONDS ?? 8) }),
  'first-frame': () => firstFrameBench({ runs: Number(process.env.BENCH_RUNS ?? 5) }),
  glass: () => glassBench({ seconds: Number(process.env.BENCH_SECONDS ?? 10) }),
  wan: () => wanBench({ runs: Number(process.env.BENCH_RUNS ?? 3), seconds: Number(process.env.BENCH_SECONDS ?? 10), pings: 300 }),
  turn: () => turnBench({ sessions: Number(process.env.BENCH_SESSIONS ?? 1000), packetsPerSecond: 20, packetBytes: 1000, seconds: Number(process.env.BENCH_SECONDS ?? 10) }),
  text: () => textBench({ seconds: Number(process.env.BENCH_SECONDS ?? 5) }),
  queue: () => queueBench({ waiting: Number(process.env.BENCH_WAITING ?? 10_000), queues: 20, consoles: 200, joins: 500, rounds: 10, nodes: Number(process.env.BENCH_NODES ?? 3) }),
  control: () => controlLatencyBench({ events: Number(process.env.BENCH_EVENTS ?? 1000), fileMb: Number(process.env.BENCH_FILE_MB ?? 200) }),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(suites);
// The BENCH_* settings of this run (runs, sizes, core pinning), so the recorded command reproduces it.
const benchSettings = Object.entries(process.env)
  .filter(([key]) => key.startsWith('BENCH_'))
  .map(([key, value]) => `${key}=${value} `)
  .join('');
const doc = new URL('../docs/benchmarks.md', import.meta.url).pathname;
// With a receiver on another computer the benchmark runs outside the isolated network namespace.
const command = process.env.BENCH_RECEIVER_CDP ? 'npx tsx bench/run.ts' : 'npm run bench --';

for (const name of names) {
  const suite = suites[name];
  if (!suite) throw new Error(`unknown suite "${name}"; known: ${Object.keys(suites).join(', ')}`);
  console.log(`\n## ${name}`);
  const { rows, notes } = await suite();
  const rendered = table(rows);
  console.log(rendered);
  notes.forEach((n) => console.log(`\n${n}`));
  const section = [
    `<!-- bench:${name}:start -->`,
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.version}, Debian Chromium, with \`${benchSettings}${command} ${name}\`.`,
    '',
    rendered,
    '',
    ...notes,
    `<!-- bench:${name}:end -->`,
  ].join('\n');
  let text = readFileSync(doc, 'utf8');
  const pattern = new RegExp(`<!-- bench:${name}:start -->[\\s\\S]*?<!-- bench:${name}:end -->`);
  text = pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(doc, text);
}
console.log(`\nRecorded in ${doc}`);
