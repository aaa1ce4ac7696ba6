// What the benchmarks' load generators share: server processes of their own, sockets, batches.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

export interface Child {
  port: number;
  memory(): Promise<{ rss: number; heapUsed: number; external: number }>;
  /** CPU time the process used so far, user + system, in milliseconds. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts one benchmark server in its own process, so its memory is its own. */
export async function startChild(script: string, env: Record<string, string> = {}): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--import=tsx', fileURLToPath(new URL(script, import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout! });
  const waiters: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiters.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => waiters.push(resolve));
  const ready = await nextLine();
  const port = Number(/^READY (\d+)/.exec(ready)?.[1]);
  return {
    port,
    async memory() {
      child.stdin!.write('mem\n');
      return JSON.parse((await nextLine()).slice(4));
    },
    async cpuMs() {
      child.stdin!.write('cpu\n');
      const { user, system } = JSON.parse((await nextLine()).slice(4)) as { user: number; system: number };
      return (user + system) / 1000;
    },
    async stop() {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export const open = (url: string, headers: Record<string, string> = {}) =>
  new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });

export async function inBatches<T>(count: number, batch: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += batch) out.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => make(i + j)))));
  return out;
}

export async function login(base: string, username = 'bench'): Promise<string> {
  const res = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'bench-password' }) });
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

