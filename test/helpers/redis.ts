import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForTcp } from './ports.js';
import { stopChild } from './xvfb.js';

export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port: empty, since nothing is persisted. */
  restart(): Promise<void>;
  /** Stops the process only (restart() in two steps, for a longer outage). */
  halt(): Promise<void>;
  resume(): Promise<void>;
}

/** A real redis-server (Debian's package) on a loopback port, with no persistence. */
export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-redis-'));
  const launch = async () => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    await waitForTcp(port, 'redis-server', 10_000, () => child.exitCode !== null);
    return child;
  };
  let child = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await stopChild(child);
      child = await launch();
    },
    halt: () => stopChild(child),
    async resume() {
      child = await launch();
    },
  };
}
