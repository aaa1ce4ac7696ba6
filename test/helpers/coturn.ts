import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForTcp } from './ports.js';
import { makeSelfSignedCert } from './tls.js';

const RENDER = fileURLToPath(new URL('../../turn/render-config.sh', import.meta.url));

export interface RunningCoturn {
  secret: string;
  realm: string;
  /** coturn's process id (the benchmark reads its CPU time). */
  pid: number;
  port: number;
  tlsPort: number;
  /** turn:127.0.0.1:<port>?transport=udp */
  udpUrl: string;
  /** turns:localhost:<tlsPort>?transport=tcp */
  tlsUrl: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * The real coturn from Debian's package, on loopback ports, configured from the production template
 * (turn/render-config.sh) plus the three lines coturn needs to relay between two loopback peers.
 */
export interface CoturnOptions {
  port: number;
  tlsPort: number;
  minPort: number;
  secret: string;
}

/**
 * Same ports and secret as `previous`: a restarted coturn, as after a crash. `extraConfig`: lines
 * a test adds to the rendered production config.
 */
export async function startCoturn(previous?: CoturnOptions, extraConfig: string[] = []): Promise<RunningCoturn & CoturnOptions> {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-coturn-'));
  const tls = makeSelfSignedCert();
  const [port, tlsPort] = previous ? [previous.port, previous.tlsPort] : [await freePort(), await freePort()];
  const minPort = previous?.minPort ?? 50_000 + Math.floor(Math.random() * 90) * 100;
  const secret = previous?.secret ?? `test-${Math.random().toString(36).slice(2)}`;
  const realm = 'relaydesk.test';
  const configPath = join(dir, 'turnserver.conf');
  const rendered = execFileSync('sh', [RENDER], {
    env: {
      PATH: process.env.PATH,
      TURN_SECRET: secret,
      TURN_REALM: realm,
      TURN_PORT: String(port),
      TURN_TLS_PORT: String(tlsPort),
      TURN_LISTEN_IP: '127.0.0.1',
      TURN_MIN_PORT: String(minPort),
      TURN_MAX_PORT: String(minPort + 99),
      TURN_CERT: tls.certPath,
      TURN_PKEY: tls.keyPath,
      TURN_PIDFILE: join(dir, 'turnserver.pid'),
    },
  });
  writeFileSync(configPath, rendered);
  // Tests only: both browsers are on loopback, which production denies (denied-peer-ip 127.0.0.0/8).
  // coturn 4.6 refuses allow-loopback-peers unless a CLI password is set, even with no-cli.
  appendFileSync(configPath, '\nallow-loopback-peers\ncli-password=unused-test-only\nallowed-peer-ip=127.0.0.1\n');
  if (extraConfig.length > 0) appendFileSync(configPath, `${extraConfig.join('\n')}\n`);

  let output = '';
  const child: ChildProcess = spawn('turnserver', ['-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForTcp(port, 'coturn', 10_000, () => child.exitCode !== null);
    await waitForTcp(tlsPort, 'coturn (TLS)', 10_000, () => child.exitCode !== null);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  return {
    secret,
    realm,
    pid: child.pid!,
    port,
    tlsPort,
    minPort,
    udpUrl: `turn:127.0.0.1:${port}?transport=udp`,
    tlsUrl: `turns:localhost:${tlsPort}?transport=tcp`,
    log: () => output,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
