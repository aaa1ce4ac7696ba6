import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';

// The deploy files' promises, checked as text in milliseconds: non-root images with health checks
// and declared ports, secrets only from files, a valid HAProxy config. test/containers/ builds and
// runs them for real.
const root = new URL('../../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

t.test('every image is multi-stage or derived, runs as non-root, declares its ports and has a health check', async (t) => {
  const expectations: Record<string, RegExp[]> = {
    'deploy/signaling.Dockerfile': [/FROM .* AS build/, /FROM .* AS runtime/, /EXPOSE 8080\/tcp/],
    'deploy/coturn.Dockerfile': [/EXPOSE 3478\/udp 3478\/tcp 5349\/tcp 49152-65535\/udp/],
    'deploy/proxy.Dockerfile': [/EXPOSE 443\/tcp/],
  };
  for (const [file, patterns] of Object.entries(expectations)) {
    const text = read(file);
    for (const pattern of patterns) t.match(text, pattern, `${file}: ${pattern}`);
    t.match(text, /HEALTHCHECK /, `${file} has a health check`);
    t.notMatch(text, /^# syntax=/m, `${file}: no syntax line (the legacy builder ignores it, BuildKit would pull it)`);
    t.notMatch(text, /^(FROM|ARG \w+=)\S*:latest\b/m, `${file}: its base is pinned`);
    const users = [...text.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    t.ok(users.length > 0 && users.at(-1) !== 'root', `${file} ends as a non-root user (${users.at(-1)})`);
  }
});

t.test('compose runs signaling, coturn, the proxy (and a second node and the store for scale-out) with every secret from a file', async (t) => {
  const compose = parse(read('deploy/compose.yaml'), { merge: true });
  t.notOk('name' in compose, 'no top-level name: Debian\'s docker-compose 1.29 refuses it');
  t.same(Object.keys(compose.services).sort(), ['coturn', 'proxy', 'signaling', 'signaling-2', 'store']);
  t.same(compose.services.store.profiles, ['scale-out'], 'the store only with the scale-out profile');
  t.same(compose.services['signaling-2'].profiles, ['scale-out'], 'and the second node');
  t.match(compose.services.store.command.join(' '), /--appendonly yes/, 'the store keeps an append-only file');
  t.same(compose.services.signaling.volumes, ['signaling-data:/var/lib/relaydesk'], 'accounts on a named volume');
  for (const name of ['turn_secret', 'demo_password', 'metrics_token']) t.ok(compose.secrets[name].file, `${name} comes from a file`);
  const env = JSON.stringify(compose.services);
  t.notMatch(env, /"(TURN_SECRET|DEMO_PASSWORD|METRICS_TOKEN)":/, 'no secret value in the environment, only *_FILE');
  t.equal(compose.services.signaling.environment.TURN_SECRET_FILE, '/run/secrets/turn_secret');
  t.equal(compose.services.coturn.environment.TURN_SECRET_FILE, '/run/secrets/turn_secret');
  const example = read('deploy/.env.example');
  for (const variable of ['SUPPORT_HOST', 'TURN_HOST', 'PUBLIC_IP', 'PRIVATE_IP']) t.match(example, new RegExp(`^${variable}=`, 'm'));
  const twoIp = parse(read('deploy/compose.two-ip.yaml'));
  t.equal(twoIp.services.coturn.environment.TURN_TLS_PORT, 443, 'the two-IP variant puts TURN over TLS on 443 itself');
});

t.test('the HAProxy config is valid for HAProxy from Debian', async (t) => {
  const output = execFileSync('haproxy', ['-c', '-f', `${root}deploy/haproxy/haproxy.cfg`], {
    env: {
      ...process.env, BIND_ADDR: '127.0.0.1', PUBLIC_PORT: '8443', HEALTH_PORT: '8404', TURN_HOST: 'turn.example.com',
      TURN_TLS_UPSTREAM: '127.0.0.1:5349', SIGNALING_UPSTREAM: '127.0.0.1:8080', SIGNALING_UPSTREAM_2: '127.0.0.1:8081', TLS_PEM: `${root}test/fixtures/example.pem`,
    },
    encoding: 'utf8',
  });
  t.match(output, /Configuration file is valid/);
});

t.test('the coturn template renders every placeholder and keeps the hardening', async (t) => {
  const rendered = execFileSync('sh', [`${root}turn/render-config.sh`], {
    env: { PATH: process.env.PATH, TURN_SECRET: 'c2VjcmV0', TURN_REALM: 'example.com' },
    encoding: 'utf8',
  });
  const lines = rendered.split('\n').filter((l) => l && !l.startsWith('#'));
  t.notOk(lines.some((l) => l.includes('{{')), 'no placeholder left');
  for (const line of ['use-auth-secret', 'static-auth-secret=c2VjcmV0', 'realm=example.com', 'fingerprint', 'no-cli', 'no-multicast-peers',
    'denied-peer-ip=10.0.0.0-10.255.255.255', 'denied-peer-ip=127.0.0.0-127.255.255.255', 'denied-peer-ip=192.168.0.0-192.168.255.255',
    'denied-peer-ip=172.16.0.0-172.31.255.255', 'denied-peer-ip=169.254.0.0-169.254.255.255', 'tls-listening-port=5349',
    'denied-peer-ip=::', 'denied-peer-ip=64:ff9b:1::-64:ff9b:1:ffff:ffff:ffff:ffff:ffff',
    'denied-peer-ip=2002::-2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'denied-peer-ip=fec0::-feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'min-port=49152', 'max-port=65535', 'total-quota=12000', 'user-quota=12', 'max-bps=3000000']) {
    t.ok(lines.includes(line), line);
  }
  t.notOk(lines.some((l) => l.startsWith('allow-loopback-peers')), 'production never allows loopback peers');
  t.notOk(lines.some((l) => l.startsWith('allowed-peer-ip')), 'and no allowed peer unless TURN_ALLOWED_PEER_IPS names one');
  // 1,000 relayed sessions at about 8 allocations each must fit in the port range and the quota.
  const ports = 65535 - 49152 + 1;
  t.ok(ports >= 8 * 1000 && 12000 >= 8 * 1000, `${ports} relay ports and a total quota of 12000 hold 1,000 sessions of 8 allocations`);
  const lab = execFileSync('sh', [`${root}turn/render-config.sh`], {
    env: { PATH: process.env.PATH, TURN_SECRET: 'c2VjcmV0', TURN_REALM: 'example.com', TURN_ALLOWED_PEER_IPS: '198.18.0.1,10.0.0.1-10.0.0.9' },
    encoding: 'utf8',
  });
  t.match(lab, /^allowed-peer-ip=198\.18\.0\.1$/m, 'a lab peer is allowed when named');
  t.match(lab, /^allowed-peer-ip=10\.0\.0\.1-10\.0\.0\.9$/m);
  t.throws(() => execFileSync('sh', [`${root}turn/render-config.sh`], {
    env: { PATH: process.env.PATH, TURN_SECRET: 'c2VjcmV0', TURN_REALM: 'x', TURN_ALLOWED_PEER_IPS: '1.2.3.4\nno-auth' }, stdio: 'pipe',
  }), 'refuses an allowed peer that is not an address');
  t.throws(() => execFileSync('sh', [`${root}turn/render-config.sh`], { env: { PATH: process.env.PATH, TURN_REALM: 'x' }, stdio: 'pipe' }), 'refuses to render without a secret');
});

t.test('the systemd units (deploy without Docker) pass systemd-analyze verify and take secrets as credentials', async (t) => {
  const units = ['relaydesk-signaling.service', 'relaydesk-coturn.service'].map((u) => `${root}deploy/systemd/${u}`);
  execFileSync('systemd-analyze', ['verify', '--man=no', ...units], { stdio: 'pipe' });
  for (const unit of units) {
    const text = readFileSync(unit, 'utf8');
    t.match(text, /^DynamicUser=yes$/m, `${unit}: a throw-away user`);
    t.match(text, /^LoadCredential=turn_secret:/m, `${unit}: the TURN secret as a credential`);
    t.notMatch(text, /^Environment=.*(TURN_SECRET|DEMO_PASSWORD|METRICS_TOKEN)=(?!%d)/m, `${unit}: no secret value in the environment`);
  }
  t.match(readFileSync(units[0], 'utf8'), /^StateDirectory=relaydesk$/m, 'accounts in the state directory');
});
