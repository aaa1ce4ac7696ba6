import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { controlAllowed, expected, near, spot, waitFor } from '../helpers/control.js';
import { downloadHelperProgram, nativeFolders, removeSavedFiles, runProgram, stopWine, windowsConsole, wineReady } from '../helpers/helper-process.js';
import { startServer } from '../helpers/server.js';
import { moveLocalPointer, pointerAt, startEventRecorder, startXvfb, stopChild } from '../helpers/xvfb.js';

// The helper as customers get it: the single-file program (npm run helper:build, dist/helper)
// downloaded from the customer's page in Chromium, run with nothing on its command line, paired by
// what the page appended to the file. The Linux program runs here on Xvfb; the Windows one under
// Wine on the same Xvfb. xev records what reaches the X server.
const xvfb = await startXvfb(1280, 800);
const recorder = startEventRecorder(xvfb.display);
const server = await startServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await stopWine(xvfb.display);
  removeSavedFiles();
  await browser.close();
  await server.close();
  await stopChild(recorder.child);
  await xvfb.stop();
});

const allowed = (t: Test, name: string) => controlAllowed(t, browser, server.url, name);
const active = (customer: Page) => customer.locator('[data-testid="control-indicator"][data-state="active"]').waitFor({ timeout: 30_000 });

for (const platform of ['linux-x64', 'win-x64'] as const) {
  const label = platform === 'win-x64' ? 'Windows helper under Wine' : 'Linux helper';
  t.test(`${label}: download, run with nothing typed, input reaches X, the customer's priority, Stop control`, async (t) => {
    t.setTimeout(240_000);
    if (platform === 'win-x64') await wineReady(xvfb.display);
    const { customer, analyst } = await allowed(t, platform === 'win-x64' ? 'Windows Wendy' : 'Linux Lena');
    const download = customer.getByTestId('helper-download');
    t.equal(await download.getAttribute('data-platform'), 'linux-x64', 'the page offers the helper for this computer (Chromium on Linux)');
    t.match(await customer.getByTestId('download-helper').textContent(), /Download the control helper for Linux \(\d+ MB\)/, 'with its size');
    const started = Date.now();
    const program = await downloadHelperProgram(customer, platform);
    t.match(program, platform === 'win-x64' ? /relaydesk-helper-win-x64\.exe$/ : /relaydesk-helper-linux-x64$/);
    t.ok(statSync(program).size > 10_000_000, `the whole program (${(statSync(program).size / 1e6).toFixed(1)} MB)`);
    t.match(await customer.getByTestId('helper-run').textContent(), platform === 'win-x64' ? /More info, then Run anyway/ : /chmod \+x|terminal/);
    const helper = runProgram(xvfb.display, program);
    t.teardown(() => stopChild(helper.child));
    await active(customer);
    t.pass(`paired without typing anything; control active ${((Date.now() - started) / 1000).toFixed(1)} s after the download click`);
    await analyst.locator('[data-testid="analyst-control"][data-state="active"]').waitFor();
    await t.resolves(waitFor(() => /Remote control is ACTIVE/.test(helper.output()), 10_000), 'the helper says so in its window');
    t.match(helper.output(), /Your analyst: Alice Martin\./, 'and who it works for');

    const target = await spot(analyst, 0.2, 0.25);
    await analyst.mouse.move(target.x, target.y);
    await t.resolves(waitFor(() => near(pointerAt(xvfb.display), expected(0.2, 0.25))), 'the X pointer follows the analyst');
    if (platform === 'linux-x64') {
      await analyst.mouse.down();
      await analyst.mouse.up();
      await analyst.keyboard.type('hi');
      await t.resolves(waitFor(() => /ButtonPress[\s\S]*button 1/.test(recorder.output()) && /keysym 0x68, h\)/.test(recorder.output()) && /keysym 0x69, i\)/.test(recorder.output())),
        'xev received the click and the keys h, i');
    } else {
      // Wine moves the X pointer itself, but hands clicks and keys to Windows programs only (not to
      // other X clients such as xev): a Windows console window gets them, and runs what is typed.
      const console = await windowsConsole(xvfb.display);
      t.teardown(() => console.stop());
      const center = await spot(analyst, console.center.x, console.center.y);
      await analyst.mouse.click(center.x, center.y);
      await analyst.keyboard.type('mkdir typed');
      await analyst.keyboard.press('Enter');
      await t.resolves(waitFor(() => existsSync(join(console.cwd, 'typed')), 10_000), 'a click and keys reached a Windows program: cmd ran the typed mkdir');
    }
    // The customer's own mouse wins.
    moveLocalPointer(xvfb.display, 1000, 700);
    await customer.locator('[data-testid="control-indicator"][data-state="suspended"]').waitFor({ timeout: 5000 });
    const during = await spot(analyst, 0.5, 0.5);
    await analyst.mouse.move(during.x, during.y);
    await analyst.waitForTimeout(150);
    t.same(pointerAt(xvfb.display), { x: 1000, y: 700 }, 'analyst input is ignored while the customer moves their mouse');
    await customer.locator('[data-testid="control-indicator"][data-state="active"]').waitFor({ timeout: 5000 });

    // Stop control in the page: nothing more is injected, and the helper ends by itself.
    await customer.getByTestId('stop-control').click();
    await customer.waitForTimeout(100);
    const frozen = pointerAt(xvfb.display);
    for (const [x, y] of [[0.1, 0.1], [0.9, 0.9]]) {
      const p = await spot(analyst, x, y);
      await analyst.mouse.move(p.x, p.y);
    }
    await analyst.waitForTimeout(300);
    t.same(pointerAt(xvfb.display), frozen, 'no injection after Stop control');
    t.equal(await helper.exited, 0, 'the helper exits with control');
    t.match(helper.output(), /Remote control was stopped/);
    // Windows removes its native parts a moment after it exits (a loaded DLL is locked until then).
    await t.resolves(waitFor(() => nativeFolders(platform).length === 0, 15_000), 'and leaves nothing behind but the downloaded file');

    // A second run of the same file (or a copy) is refused: its code was used.
    const again = runProgram(xvfb.display, program);
    t.equal(await again.exited, 2, 'a second helper from the same download is refused');
    t.match(again.output(), /expired or was already used/);
  });

  t.test(`${label}: ends by itself when the session ends`, async (t) => {
    t.setTimeout(180_000);
    if (platform === 'win-x64') await wineReady(xvfb.display);
    const { customer, analyst } = await allowed(t, platform === 'win-x64' ? 'Ending Emma' : 'Ending Eli');
    const helper = runProgram(xvfb.display, await downloadHelperProgram(customer, platform));
    t.teardown(() => stopChild(helper.child));
    await active(customer);
    await analyst.getByTestId('analyst-end').click();
    t.equal(await helper.exited, 0, 'the helper exits');
    // Whichever the helper hears first: the page ending control as it closes, or the server's end of the session.
    t.match(helper.output(), /Remote control was stopped|The support session ended|The support page closed the connection/);
  });
}
