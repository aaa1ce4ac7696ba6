import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../helper/cli.ts', import.meta.url));

/** The real helper CLI, as a customer would run it, on the given X display. */
export function runHelper(display: string, server: string, code: string, extra: string[] = []) {
  let output = '';
  const child = spawn(process.execPath, ['--import=tsx', CLI, '--server', server, '--code', code, ...extra], {
    env: { ...process.env, DISPLAY: display },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}
