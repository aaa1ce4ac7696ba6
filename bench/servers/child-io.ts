// The benchmark's server processes print "READY <port>" once listening, and answer on standard
// input: "mem" with "MEM <json>" after a full garbage collection (node --expose-gc), "cpu" with
// "CPU <json>": the process's CPU time so far, user and system, in microseconds.
import { createInterface } from 'node:readline';

export function serveMemoryProbe(port: number): void {
  console.log(`READY ${port}`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    const command = line.trim();
    if (command === 'cpu') return console.log(`CPU ${JSON.stringify(process.cpuUsage())}`);
    if (command !== 'mem') return;
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed, external } = process.memoryUsage();
    console.log(`MEM ${JSON.stringify({ rss, heapUsed, external })}`);
  });
}
