import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The engine that builds images: on the host's network, started by test/containers/base-images.sh. */
export const BUILD_ENGINE = 'unix:///var/run/docker.sock';

const ROOT = '/run/relaydesk-test-docker';
const DATA_ROOT = '/var/lib/relaydesk-test-docker';
const ENGINE_SCRIPT = fileURLToPath(new URL('../containers/engine.sh', import.meta.url));

/** Runs the docker CLI against one engine; rejects with what it printed. */
export async function docker(host: string, args: string[], timeoutMs = 120_000): Promise<string> {
  try {
    const { stdout } = await run('docker', ['-H', host, ...args], { timeout: timeoutMs, maxBuffer: 64 << 20 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`docker ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

export interface RunEngine {
  host: string;
  stop(): Promise<void>;
}

/**
 * A second Docker engine inside the suite's network namespace, so that containers on the host
 * network ("network_mode: host") share the namespace with the tests' browsers and nothing they
 * serve is reachable from outside the machine. test/containers/engine.sh starts it here with a
 * containerd of its own (one outside would put the containers in the machine's namespace). Images
 * persist in its data root between runs.
 */
export async function startRunEngine(): Promise<RunEngine> {
  if (process.env.RELAYDESK_ISOLATED !== '1') {
    throw new Error('the container test runs the stack inside the suite namespace: run it through scripts/isolated-net.sh (npm run test:containers)');
  }
  const host = `unix://${ROOT}/docker.sock`;
  try {
    await run('bash', [ENGINE_SCRIPT, 'start', ROOT, DATA_ROOT, `${ROOT}/docker.sock`, `${ROOT}/engine.log`], { timeout: 400_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`the Docker engine in the namespace did not start: ${e.stderr || e.message}`);
  }
  return {
    host,
    async stop() {
      await run('bash', [ENGINE_SCRIPT, 'stop', ROOT], { timeout: 60_000 });
    },
  };
}

/** Copies images from one engine to another (docker save | docker load), skipping those already there. */
export async function copyImages(from: string, to: string, images: string[]): Promise<string[]> {
  const needed: string[] = [];
  for (const image of images) {
    const source = (await docker(from, ['image', 'inspect', '--format', '{{.Id}}', image])).trim();
    const target = await docker(to, ['image', 'inspect', '--format', '{{.Id}}', image]).then((s) => s.trim(), () => '');
    if (source !== target) needed.push(image);
  }
  if (needed.length === 0) return [];
  await new Promise<void>((resolve, reject) => {
    const save = spawn('docker', ['-H', from, 'save', ...needed], { stdio: ['ignore', 'pipe', 'pipe'] });
    const load = spawn('docker', ['-H', to, 'load', '--quiet'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    save.stderr.on('data', (c) => (errors += c));
    load.stderr.on('data', (c) => (errors += c));
    save.stdout.pipe(load.stdin);
    load.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker save | docker load failed: ${errors}`))));
  });
  return needed;
}

/** Health of every container of a compose project, by service name. */
export async function health(host: string, project: string): Promise<Record<string, string>> {
  const ids = (await docker(host, ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).split('\n').filter(Boolean);
  const states: Record<string, string> = {};
  if (ids.length === 0) return states;
  const lines = await docker(host, ['inspect', '--format',
    '{{index .Config.Labels "com.docker.compose.service"}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', ...ids]);
  for (const line of lines.split('\n').filter(Boolean)) {
    const [service, status, healthStatus] = line.split(' ');
    states[service] = status === 'running' ? healthStatus : status;
  }
  return states;
}

/** Waits until the named services run and every one with a health check reports healthy. */
export async function waitHealthy(host: string, project: string, services: string[], timeoutMs = 90_000): Promise<number> {
  const started = Date.now();
  let last: Record<string, string> = {};
  while (Date.now() - started < timeoutMs) {
    last = await health(host, project);
    if (services.every((s) => last[s] === 'healthy' || last[s] === 'none')) return Date.now() - started;
    if (services.some((s) => last[s] === 'exited' || last[s] === 'dead')) break;
    await sleep(500);
  }
  throw new Error(`services not healthy: ${JSON.stringify(last)}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ComposeProject {
  host: string;
  project: string;
  envFile: string;
  files: string[];
  profiles?: string[];
}

/** Runs Debian's docker-compose (1.29) on a project; rejects with what it printed. */
export async function compose(p: ComposeProject, args: string[], timeoutMs = 300_000): Promise<string> {
  const argv = ['-p', p.project, '--env-file', p.envFile, ...p.files.flatMap((f) => ['-f', f]), ...(p.profiles ?? []).flatMap((x) => ['--profile', x]), ...args];
  try {
    const { stdout, stderr } = await run('docker-compose', argv, {
      timeout: timeoutMs,
      maxBuffer: 64 << 20,
      env: { ...process.env, DOCKER_HOST: p.host, COMPOSE_INTERACTIVE_NO_CLI: '1' },
    });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`docker-compose ${args.join(' ')} failed: ${e.stderr || ''}${e.stdout || ''}${e.message}`);
  }
}
