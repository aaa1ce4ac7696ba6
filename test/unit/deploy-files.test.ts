import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';

// The deploy files cannot be run here (no Docker engine), so their promises are checked as text:
// non-root images with health checks and declared ports, secrets only from files, a valid HAProxy config.
const root = new URL('../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

t.test('every image is multi-stage or derived, runs as non-root, declares its ports and has a health check', async (t) => {
  const expectations: Record<string, RegExp[]> = {
    'deploy/signaling.Dockerfile': [/FROM .* AS build/, /FROM .* AS runtime/, /EXPOSE 8080\/tcp/],
    'deploy/coturn.Dockerfile': [/EXPOSE 3478\/udp 3478\/tcp 5349\/tcp 49160-49200\/udp/],
    'deploy/proxy.Dockerfile': [/EXPOSE 443\/tcp/],
  };
  for (const [file, patterns] of Object.entries(expectations)) {
    const text = read(file);
    for (const pattern of patterns) t.match(text, pattern, `${file}: ${pattern}`);
    t.match(text, /HEALTHCHECK /, `${file} has a health check`);
    const users = [...text.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    t.ok(users.length > 0 && users.at(-1) !== 'root', `${file} ends as a non-root user (${users.at(-1)})`);
  }
});

t.test('compose runs signaling, coturn, the proxy (and Redis for scale-out) with every secret from a file', async (t) => {
  const compose = parse(read('deploy/compose.yaml'));
  t.same(Object.keys(compose.services).sort(), ['coturn', 'proxy', 'redis', 'signaling']);
  t.same(compose.services.redis.profiles, ['scale-out'], 'Redis only with the scale-out profile');
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
      TURN_TLS_UPSTREAM: '127.0.0.1:5349', SIGNALING_UPSTREAM: '127.0.0.1:8080', TLS_PEM: `${root}test/fixtures/example.pem`,
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
    'denied-peer-ip=172.16.0.0-172.31.255.255', 'denied-peer-ip=169.254.0.0-169.254.255.255', 'tls-listening-port=5349']) {
    t.ok(lines.includes(line), line);
  }
  t.notOk(lines.some((l) => l.startsWith('allow-loopback-peers')), 'production never allows loopback peers');
  t.throws(() => execFileSync('sh', [`${root}turn/render-config.sh`], { env: { PATH: process.env.PATH, TURN_REALM: 'x' }, stdio: 'pipe' }), 'refuses to render without a secret');
});
