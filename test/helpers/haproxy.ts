import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForTcp } from './ports.js';

export const HAPROXY_CFG = fileURLToPath(new URL('../../deploy/haproxy/haproxy.cfg', import.meta.url));

export interface ProxyEnv {
  TURN_HOST: string;
  TURN_TLS_UPSTREAM: string;
  SIGNALING_UPSTREAM: string;
  /** The second signaling node; by default the same as the first. */
  SIGNALING_UPSTREAM_2?: string;
  /** PEM with the certificate and its key. */
  pem: string;
}

/** HAProxy from Debian's package, running deploy/haproxy/haproxy.cfg as shipped, on a loopback port. */
/** `port`: the public port to take (picked beforehand when the server must know its public URL); a free one otherwise. */
export async function startHaproxy(env: ProxyEnv, publicPort?: number): Promise<{ port: number; log(): string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-haproxy-'));
  const pemPath = join(dir, 'support.pem');
  writeFileSync(pemPath, env.pem);
  const [port, healthPort] = [publicPort ?? (await freePort()), await freePort()];
  const vars = {
    ...process.env,
    BIND_ADDR: '127.0.0.1',
    PUBLIC_PORT: String(port),
    HEALTH_PORT: String(healthPort),
    TURN_HOST: env.TURN_HOST,
    TURN_TLS_UPSTREAM: env.TURN_TLS_UPSTREAM,
    SIGNALING_UPSTREAM: env.SIGNALING_UPSTREAM,
    SIGNALING_UPSTREAM_2: env.SIGNALING_UPSTREAM_2 ?? env.SIGNALING_UPSTREAM,
    TLS_PEM: pemPath,
  };
  let output = '';
  const child = spawn('haproxy', ['-db', '-f', HAPROXY_CFG], { env: vars, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForTcp(port, 'haproxy', 10_000, () => child.exitCode !== null).catch((err) => {
    throw new Error(`${(err as Error).message}:\n${output}`);
  });
  return {
    port,
    log: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
