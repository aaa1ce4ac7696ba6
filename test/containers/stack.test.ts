import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { BUILD_ENGINE, compose, copyImages, docker, startRunEngine, waitHealthy, type ComposeProject } from '../helpers/docker.js';
import { analystSignsIn, analystTakes, customerRequestsHelp, waitForDecodedFrames } from '../helpers/flows.js';
import { makeSelfSignedCert } from '../helpers/tls.js';
import { createAnalyst, fetchThroughProxy, readyStatus, signIn } from '../helpers/api-client.js';

// The deployment as ops run it: the images built from deploy/*.Dockerfile by Debian's
// docker-compose 1.29, started from deploy/compose.yaml with only a .env, secret files and
// certificates, then a whole relayed session through port 443, restarts, down/up and scale-out.
// Images are built by the engine on the host's network (test/containers/base-images.sh starts it
// and makes the stand-in bases); the stack runs in a second engine inside this namespace.
t.setTimeout(12 * 60_000);

const repo = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'relaydesk-stack-'));
const secretsDir = join(work, 'secrets');
const certsDir = join(work, 'certs');
// As deploy/README.md tells ops: directories only root can enter, files the containers' users can read.
for (const dir of [secretsDir, certsDir]) mkdirSync(dir, { mode: 0o700 });
const demoPassword = `demo-${Math.random().toString(36).slice(2)}-pw`;
const metricsToken = `metrics-${Math.random().toString(36).slice(2)}`;
const secrets = { turn_secret: `turn${Math.random().toString(36).slice(2)}`, demo_password: demoPassword, metrics_token: metricsToken };
for (const [name, value] of Object.entries(secrets)) writeFileSync(join(secretsDir, name), value, { mode: 0o644 });
const supportCert = makeSelfSignedCert(['support.test']);
const turnCert = makeSelfSignedCert(['turn.test']);
writeFileSync(join(certsDir, 'support.pem'), supportCert.cert + supportCert.key);
writeFileSync(join(certsDir, 'turn.crt'), turnCert.cert);
writeFileSync(join(certsDir, 'turn.key'), turnCert.key);
for (const file of ['support.pem', 'turn.crt', 'turn.key']) chmodSync(join(certsDir, file), 0o644);

// 198.18.0.1 is this namespace's one interface (scripts/isolated-net.sh): coturn's address, and the
// only peer address it may relay to. Relay ports below the kernel's ephemeral range, so the other
// tests' servers never race coturn for one.
const baseEnv = [
  'SUPPORT_HOST=support.test',
  'TURN_HOST=turn.test',
  'PUBLIC_IP=198.18.0.1',
  'PRIVATE_IP=198.18.0.1',
  'PUBLIC_BIND_ADDR=127.0.0.1',
  'TURN_ALLOWED_PEER_IPS=198.18.0.1',
  'TURN_MIN_PORT=30000',
  'TURN_MAX_PORT=30999',
  'ICE_TRANSPORT_POLICY=relay',
  'SHUTDOWN_GRACE_MS=3000',
  `SECRETS_DIR=${secretsDir}`,
  `CERTS_DIR=${certsDir}`,
];
const envFile = join(work, '.env');
writeFileSync(envFile, `${baseEnv.join('\n')}\n`);
const scaleEnvFile = join(work, 'scale-out.env');
writeFileSync(scaleEnvFile, `${[...baseEnv, 'REDIS_URL=redis://127.0.0.1:6379'].join('\n')}\n`);

const projectName = 'relaydesk-test';
const composeFile = `${repo}deploy/compose.yaml`;
const images = ['relaydesk/signaling:latest', 'relaydesk/coturn:latest', 'relaydesk/proxy:latest', 'valkey/valkey:8.1-bookworm'];

// Build with the shipped files (plus host networking for the build steps, see the override file).
const buildStarted = Date.now();
await compose(
  { host: BUILD_ENGINE, project: projectName, envFile, files: [composeFile, `${repo}test/containers/compose.build-network.yaml`], profiles: ['scale-out'] },
  ['build'],
  600_000,
);
const buildMs = Date.now() - buildStarted;
const engine = await startRunEngine();
const copied = await copyImages(BUILD_ENGINE, engine.host, images);
const single: ComposeProject = { host: engine.host, project: projectName, envFile, files: [composeFile] };
const scaled: ComposeProject = { ...single, envFile: scaleEnvFile, profiles: ['scale-out'] };
// A run interrupted before its teardown leaves its containers and volumes: start from nothing.
await compose(scaled, ['down', '-v', '--remove-orphans'], 120_000);

const browser = await launchBrowser([
  // Both names lead to the proxy on loopback:443, as DNS would lead to the host's public address.
  // Plain TURN (UDP 3478 on 198.18.0.1) is then out of reach: TURN over TLS through 443 it is.
  '--host-resolver-rules=MAP support.test 127.0.0.1, MAP turn.test 127.0.0.1',
  // Self-signed test certificates for both names; production uses publicly trusted ones.
  '--ignore-certificate-errors',
]);
t.teardown(async () => {
  await browser.close();
  await compose(scaled, ['down', '-v', '--remove-orphans'], 120_000).catch((err) => console.error(err));
  await engine.stop();
  rmSync(work, { recursive: true, force: true });
});
const base = 'https://support.test';
const node1 = 'http://127.0.0.1:8080';
const node2 = 'http://127.0.0.1:8081';

t.test('the stack starts from the shipped files and every health check passes', async (t) => {
  t.comment(`built in ${(buildMs / 1000).toFixed(1)} s; copied into the namespace's engine: ${copied.join(', ') || 'nothing (unchanged)'}`);
  const started = Date.now();
  await compose(single, ['up', '-d'], 180_000);
  const healthyMs = await waitHealthy(engine.host, projectName, ['signaling', 'coturn', 'proxy']);
  t.comment(`up -d to all healthy: ${((Date.now() - started) / 1000).toFixed(1)} s (health wait ${(healthyMs / 1000).toFixed(1)} s)`);
  for (const image of images.slice(0, 3)) {
    const size = Number(await docker(engine.host, ['image', 'inspect', '--format', '{{.Size}}', image]));
    t.comment(`${image}: ${(size / 1e6).toFixed(0)} MB`);
  }
  t.pass('signaling, coturn and the proxy are healthy');
});

t.test('the signaling image runs as non-root with only the bundled server and the web app', async (t) => {
  const container = `${projectName}_signaling_1`;
  t.equal((await docker(engine.host, ['exec', container, 'id', '-un'])).trim(), 'node', 'the process user is "node"');
  const files = await docker(engine.host, ['run', '--rm', '--entrypoint', 'sh', 'relaydesk/signaling:latest', '-c',
    'find / -xdev \\( -name node_modules -o -name tsx -o -name esbuild -o -name typescript -o -name "*.ts" \\) -not -path "/proc/*" 2>/dev/null; ls /app /app/build']);
  t.notMatch(files, /node_modules|tsx|esbuild|typescript|\.ts\n/, 'no node_modules, tsx, esbuild, TypeScript or .ts source in the image');
  t.match(files, /server\.mjs/, 'the one bundled server file');
  const listed = JSON.parse((await fetchThroughProxy('/helper/downloads')).body) as { platforms: Array<{ platform: string; size: number }> };
  t.same(listed.platforms.map((p) => p.platform).sort(), ['linux-x64', 'win-x64'], 'the helper programs are in the image, listed through 443');
  t.ok(listed.platforms.every((p) => p.size > 10_000_000), 'whole programs');
  const env = await docker(engine.host, ['exec', container, 'sh', '-c', 'echo $DATA_DIR; ls -ld $DATA_DIR; node --version']);
  t.match(env, /^\/var\/lib\/relaydesk\n.*node node/m, 'DATA_DIR is the volume, owned by "node"');
  t.match(env, /v22\./, 'Node 22 LTS');
  const mounts = await docker(engine.host, ['inspect', '--format', '{{range .Mounts}}{{.Type}}:{{.Destination}} {{end}}', container]);
  t.match(mounts, /volume:\/var\/lib\/relaydesk/, 'accounts live on a named volume');
});

t.test('a full relayed session through port 443: portal, WSS and TURN over TLS', async (t) => {
  const customer = await browser.newPage();
  const analyst = await browser.newPage();
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  // The admin's password is the secret file's: nothing to read in a log on the first start.
  await analystSignsIn(analyst, base, 'demo', demoPassword);
  await customerRequestsHelp(customer, base, 'Container Carla');
  t.ok(customer.url().startsWith(`${base}/s/`), 'the customer link names the public host');
  await analystTakes(analyst, customer, 'Container Carla');
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click();
  const stats = await waitForDecodedFrames(analyst, 10, 30_000);
  t.equal(stats.route, 'relay', 'media on a relay pair');
  t.equal(stats.relayProtocol, 'tls', 'TURN over TLS, through the SNI proxy on 443');
  t.ok(stats.width > 0, `${stats.frames} frames of ${stats.width}px decoded`);
});

t.test('/metrics is served on the node but never through the public port, however it is spelled', async (t) => {
  const direct = await fetch(`${node1}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
  t.equal(direct.status, 200, 'the node itself answers the metrics token (so a 404 below is the proxy refusing)');
  for (const path of ['/metrics', '/%6detrics', '/%6Detrics', '/%6d%65trics', '/Metrics']) {
    const response = await fetchThroughProxy(path, metricsToken);
    t.equal(response.status, 404, `${path} through 443 is 404`);
    t.notMatch(response.body, /relaydesk_/, `${path}: no metric leaks`);
  }
  t.equal((await fetchThroughProxy('/healthz')).status, 200, 'other paths pass');
});

t.test('accounts survive docker-compose down and up (the data volume)', async (t) => {
  const admin = await signIn(node1, 'demo', demoPassword);
  t.equal(admin.status, 200);
  t.equal(await createAnalyst(node1, admin.cookie, 'vera', 'vera-password-1'), 201, 'an analyst is created');
  await compose(single, ['down'], 120_000);
  await compose(single, ['up', '-d'], 180_000);
  await waitHealthy(engine.host, projectName, ['signaling', 'coturn', 'proxy']);
  t.equal((await signIn(node1, 'vera', 'vera-password-1')).status, 200, 'the analyst still signs in after down/up');
  t.equal((await signIn(node1, 'demo', demoPassword)).status, 200, 'and the admin, with the same password');
});

t.test('docker stop: /readyz answers 503 during the grace, then the node exits', async (t) => {
  t.equal((await readyStatus(node1)).status, 200, 'ready before');
  const stopping = docker(engine.host, ['stop', '-t', '20', `${projectName}_signaling_1`], 60_000);
  const started = Date.now();
  let seen: { status: number; body: string } | undefined;
  while (Date.now() - started < 5000) {
    const answer = await readyStatus(node1).catch(() => undefined);
    if (answer?.status === 503) {
      seen = answer;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(seen?.status, 503, `503 after ${Date.now() - started} ms of the stop`);
  t.match(seen?.body, /shutting-down/);
  await stopping;
  const stoppedAfter = Date.now() - started;
  t.ok(stoppedAfter >= 2500 && stoppedAfter < 15_000, `stopped after the 3 s grace (${stoppedAfter} ms), well before docker's kill`);
  const state = await docker(engine.host, ['inspect', '--format', '{{.State.ExitCode}}', `${projectName}_signaling_1`]);
  t.equal(state.trim(), '0', 'a clean exit');
});

t.test('scale-out: two signaling containers and the store carry one session across them', async (t) => {
  await compose(single, ['down'], 120_000);
  await compose(scaled, ['up', '-d'], 180_000);
  await waitHealthy(engine.host, projectName, ['store', 'signaling', 'signaling-2', 'coturn', 'proxy'], 120_000);
  // Node 1's volume holds the accounts made above; the empty store is filled from it.
  t.equal((await signIn(node2, 'vera', 'vera-password-1')).status, 200, 'an account made on the single node signs in on node 2');

  const customer = await browser.newPage();
  const analyst = await browser.newPage();
  const waiting = await browser.newPage();
  // A second analyst, on node 2 too, keeps the queue in view (the first one is in the session).
  const watcher = await browser.newPage();
  t.teardown(async () => {
    for (const page of [customer, analyst, waiting, watcher]) await page.context().close();
  });
  await analystSignsIn(analyst, node2, 'vera', 'vera-password-1');
  await customerRequestsHelp(customer, node1, 'Scaled Sam');
  await analystTakes(analyst, customer, 'Scaled Sam');
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 5, 30_000);
  t.pass('customer on node 1, analyst on node 2: frames decoded');

  for (const service of ['signaling', 'signaling-2']) {
    await compose(scaled, ['restart', service], 120_000);
    // Healthy again before going on: the next step opens a page on node 2, which must be listening.
    await waitHealthy(engine.host, projectName, [service], 60_000);
    await analyst.getByText('Connection to the server lost').waitFor({ state: 'detached', timeout: 30_000 });
    await analyst.locator('[data-testid="analyst-session"][data-state="live"]').waitFor({ timeout: 30_000 });
    const stats = await waitForDecodedFrames(analyst, 5, 10_000);
    t.pass(`docker-compose restart ${service}: the session is live again (${stats.frames} frames)`);
  }

  // A customer waiting in the queue while the store restarts.
  await analystSignsIn(watcher, node2, 'demo', demoPassword);
  await customerRequestsHelp(waiting, node1, 'Waiting Wes');
  await watcher.getByTestId('ticket').filter({ hasText: 'Waiting Wes' }).waitFor();
  await compose(scaled, ['restart', 'store'], 120_000);
  await waitHealthy(engine.host, projectName, ['store'], 60_000);
  for (const node of [node1, node2]) {
    t.equal((await signIn(node, 'vera', 'vera-password-1')).status, 200, `${node}: accounts intact after the store restarts`);
  }
  const late = await browser.newPage();
  t.teardown(() => late.context().close());
  await customerRequestsHelp(late, node1, 'Later Lou');
  await watcher.getByTestId('ticket').filter({ hasText: 'Later Lou' }).waitFor({ timeout: 15_000 });
  t.ok(await watcher.getByTestId('ticket').filter({ hasText: 'Waiting Wes' }).isVisible(), 'the ticket waiting before the restart is still in the queue');
  t.pass('a ticket made on node 1 after the store restart reaches the analyst on node 2');

  await analyst.getByTestId('analyst-end').click();
  await customer.locator('[data-testid="ended"][data-reason="analystEnded"]').waitFor({ timeout: 15_000 });
  t.pass('the analyst on node 2 ends the session; the customer on node 1 is told');
});
