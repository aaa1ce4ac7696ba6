// The benchmark's server processes print "READY <port>" once listening, and answer the line "mem"
// on standard input with "MEM <json>" after a full garbage collection (node --expose-gc).
import { createInterface } from 'node:readline';

export function serveMemoryProbe(port: number): void {
  console.log(`READY ${port}`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() !== 'mem') return;
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed, external } = process.memoryUsage();
    console.log(`MEM ${JSON.stringify({ rss, heapUsed, external })}`);
  });
}
