import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
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

/** Folders this process saved downloads in (a helper program is 100 MB): removed by removeSavedFiles(). */
const savedIn: string[] = [];
const savingFolder = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  savedIn.push(dir);
  return dir;
};
export function removeSavedFiles(): void {
  for (const dir of savedIn.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The customer saves the pairing file from the page (a real download); resolves with where it went. */
export async function savePairingFile(customer: Page): Promise<string> {
  // Under "Other ways to start the helper" (the download is the page's one button).
  const otherWays = customer.locator('details.other-ways');
  if (!(await otherWays.evaluate((d) => (d as unknown as { open: boolean }).open))) await otherWays.locator('summary').click();
  return saveDownload(customer, 'save-pairing', 'relaydesk-pairing-', 30_000);
}

/** Clicks the button `testId` and saves the file the browser downloads, in a folder removeSavedFiles() clears. */
async function saveDownload(page: Page, testId: string, prefix: string, timeout: number): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout }), page.getByTestId(testId).click()]);
  const path = join(savingFolder(prefix), download.suggestedFilename());
  await download.saveAs(path);
  return path;
}

/** The customer clicks the page's download button; resolves with where the program was saved. */
export async function downloadHelperProgram(customer: Page, platform?: 'win-x64' | 'linux-x64'): Promise<string> {
  if (platform) {
    const chooser = customer.getByTestId(`choose-${platform}`);
    if (await chooser.count()) {
      await customer.locator('details.other-systems summary').click();
      await chooser.click();
    }
  }
  await customer.locator('[data-testid="download-helper"]:not([disabled])').waitFor();
  return saveDownload(customer, 'download-helper', 'relaydesk-download-', 60_000);
}

const WINE_PREFIX = process.env.RELAYDESK_WINEPREFIX ?? '/var/tmp/relaydesk-wine';
/** Wine's environment: our own prefix, no Mono or Gecko prompts, quiet. */
const wineEnv = (display: string) => ({
  ...process.env, DISPLAY: display, WINEPREFIX: WINE_PREFIX, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree=d;mshtml=d', NODE_SKIP_PLATFORM_CHECK: '1',
});

/** A Wine prefix set to Windows 10 (Node 22 refuses older Windows), made once and kept. */
export async function wineReady(display: string): Promise<void> {
  if (existsSync(join(WINE_PREFIX, '.relaydesk-ready'))) return;
  const run = (cmd: string, args: string[]) => new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { env: wineEnv(display), stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
  await run('wineboot', ['--init']);
  await run('winecfg', ['-v', 'win10']);
  await run('wineserver', ['-w']);
  writeFileSync(join(WINE_PREFIX, '.relaydesk-ready'), 'win10\n');
}

/**
 * A downloaded helper program, run as the customer runs it: nothing on its command line. The
 * Windows one runs under Wine, its output to a file (Node under Wine cannot write to a pipe).
 */
export function runProgram(display: string, program: string, extra: string[] = []) {
  chmodSync(program, 0o755);
  const windows = program.endsWith('.exe');
  const log = `${program}.log`;
  const out = openSync(log, 'w');
  const child = windows
    ? spawn('wine', [program, ...extra], { env: wineEnv(display), stdio: ['ignore', out, out] })
    : spawn(program, extra, { env: { ...process.env, DISPLAY: display }, stdio: ['ignore', out, out] });
  closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => (existsSync(log) ? readFileSync(log, 'utf8') : '') };
}

/** Ends every Windows program of the test's Wine prefix (killing `wine` itself leaves the program running). */
export function stopWine(display: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('wineserver', ['-k'], { env: wineEnv(display), stdio: 'ignore' });
    child.once('error', () => resolve());
    child.once('exit', () => resolve());
  });
}

/**
 * A Windows console (cmd) in its own window under Wine, in a fresh folder: where it is on the
 * screen (normalised, for the analyst to click), and that folder (what it runs shows there).
 */
export async function windowsConsole(display: string): Promise<{ center: { x: number; y: number }; cwd: string; stop(): Promise<void> }> {
  const cwd = savingFolder('relaydesk-console-');
  const child = spawn('wine', ['wineconsole', 'cmd'], { env: wineEnv(display), cwd, stdio: 'ignore' });
  const env = { ...process.env, DISPLAY: display };
  const deadline = Date.now() + 30_000;
  for (;;) {
    let id = '';
    try {
      id = execFileSync('xdotool', ['search', '--name', 'cmd\\.exe'], { env, encoding: 'utf8' }).trim().split('\n')[0];
    } catch {
      // not mapped yet
    }
    if (id) {
      const geometry = execFileSync('xdotool', ['getwindowgeometry', id], { env, encoding: 'utf8' });
      const [, x, y] = /Position: (\d+),(\d+)/.exec(geometry)!;
      const [, w, h] = /Geometry: (\d+)x(\d+)/.exec(geometry)!;
      const screen = execFileSync('xdotool', ['getdisplaygeometry'], { env, encoding: 'utf8' }).trim().split(' ').map(Number);
      return {
        center: { x: (Number(x) + Number(w) / 2) / (screen[0] - 1), y: (Number(y) + Number(h) / 2) / (screen[1] - 1) },
        cwd,
        stop: async () => {
          child.kill();
        },
      };
    }
    if (Date.now() > deadline) throw new Error('the Windows console window did not appear');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The folders a single-file helper writes its native parts to (helper/native.ts), left on disk for `platform`. */
export function nativeFolders(platform: 'win-x64' | 'linux-x64'): string[] {
  const dir = platform === 'win-x64' ? join(WINE_PREFIX, 'drive_c/users', userInfo().username, 'AppData/Local/Temp') : tmpdir();
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('relaydesk-helper-native-')) : [];
}
