import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

// The helper's own checks, before it touches the desktop or the network: the real CLI, no display.
const CLI = fileURLToPath(new URL('../../helper/cli.ts', import.meta.url));
const SECRET = 'a1'.repeat(16);

function helper(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import=tsx', CLI, ...args], { env: { ...process.env, DISPLAY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

t.test('the helper pairs only over https, except with this machine', async (t) => {
  for (const server of ['http://support.example.com', 'http://192.168.1.10:8080', 'ftp://support.example.com']) {
    const run = await helper(['--server', server, '--code', '123456', '--secret', SECRET]);
    t.equal(run.code, 2, server);
    t.match(run.output, /must be reached over https/);
  }
});

t.test('a pairing file is checked, and deleted once read', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-helper-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ kind: 'relaydesk-pairing', server: 'https://support.example.com', code: '12345', secret: SECRET }));
  const refused = await helper(['--pairing', bad]);
  t.equal(refused.code, 2);
  t.match(refused.output, /is not a Relay Desk pairing file/);
  const missing = await helper(['--pairing', join(dir, 'nowhere.json')]);
  t.match(missing.output, /Cannot read the pairing file/);
  const good = join(dir, 'relaydesk-pairing.json');
  writeFileSync(good, JSON.stringify({ kind: 'relaydesk-pairing', server: 'http://support.example.com', code: '123456', secret: SECRET }));
  const run = await helper(['--pairing', good]);
  t.notOk(existsSync(good), 'read once, then deleted');
  t.match(run.output, /must be reached over https/, 'and what it holds is checked like the options');
  const usage = await helper(['--server', 'https://support.example.com', '--code', '123456']);
  t.equal(usage.code, 2);
  t.match(usage.output, /--pairing/, 'without the secret: how to run it');
});
