import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const CLI = fileURLToPath(new URL('../../helper/cli.ts', import.meta.url));

/** How the helper is paired: the file saved from the page (as a customer does), or the three values (scripts). */
export type HelperPairing = { file: string } | { server: string; code: string; secret: string };

/** The real helper CLI, as a customer would run it, on the given X display. */
export function runHelper(display: string, pairing: HelperPairing, extra: string[] = []) {
  let output = '';
  const args = 'file' in pairing ? ['--pairing', pairing.file] : ['--server', pairing.server, '--code', pairing.code, '--secret', pairing.secret];
  const child = spawn(process.execPath, ['--import=tsx', CLI, ...args, ...extra], {
    env: { ...process.env, DISPLAY: display },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** The customer saves the pairing file from the page (a real download); resolves with where it went. */
export async function savePairingFile(customer: Page): Promise<string> {
  const [download] = await Promise.all([customer.waitForEvent('download'), customer.getByTestId('save-pairing').click()]);
  const path = join(mkdtempSync(join(tmpdir(), 'relaydesk-pairing-')), download.suggestedFilename());
  await download.saveAs(path);
  return path;
}
