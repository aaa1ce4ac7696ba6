import t from 'tap';
import { runHelper, savePairingFile } from '../helpers/helper-process.js';
import { expected, near, spot, startControlRig, waitFor } from '../helpers/control.js';
import { pointerAt, stopChild } from '../helpers/xvfb.js';

// The analyst's viewer during remote control, with the real helper injecting into a real X server
// (Xvfb) and an X client (xev) recording every key that arrives: zoom keeps clicks on the right
// spot, and the console's Alt+Shift shortcuts never reach the customer's computer. (Its own file:
// remote-control.test.ts is near the per-file time limit.)
const { xvfb, recorder, controlAllowed } = await startControlRig(t);

t.test('while controlling: the view zooms and clicks still land right; the console\'s Alt+Shift shortcuts never reach the customer, Alt+Shift+R releases control', async (t) => {
  const { customer, analyst } = await controlAllowed(t, 'Zoom Zelda');
  const file = await savePairingFile(customer);
  const helper = runHelper(xvfb.display, { file });
  t.teardown(() => stopChild(helper.child));
  await analyst.locator('[data-testid="analyst-control"][data-state="active"]').waitFor({ timeout: 15_000 });
  // Into the X client that records keys (at 0.2, 0.25), so anything that leaked would show there.
  const start = await spot(analyst, 0.2, 0.25);
  await analyst.mouse.click(start.x, start.y);
  await analyst.keyboard.type('k');
  await t.resolves(waitFor(() => /keysym 0x6b, k\)/.test(recorder.output())), 'the recorder has the keyboard');
  const before = recorder.output().length;

  // 100 %, then two steps in, by the keyboard while the remote screen has it.
  await analyst.keyboard.press('Alt+Shift+Digit1');
  await analyst.locator('[data-testid="viewer"][data-zoom="1"]').waitFor();
  await analyst.keyboard.press('Alt+Shift+Equal');
  await analyst.keyboard.press('Alt+Shift+Equal');
  await analyst.locator('[data-testid="viewer"][data-zoom="2"]').waitFor();
  // The encoder may change the picture's resolution under load: the size follows it (its resize event).
  await t.resolves(analyst.waitForFunction(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-screen"]')!;
    return video.videoWidth > 0 && Math.round(video.getBoundingClientRect().width) === video.videoWidth * 2;
  }, undefined, { timeout: 5000 }), 'at 200 % the picture is twice its own pixels wide (device pixel ratio 1)');
  // The centre stayed in view; a point there maps to the same spot of the customer's screen.
  const centre = await spot(analyst, 0.5, 0.5);
  await analyst.mouse.move(centre.x, centre.y);
  await t.resolves(waitFor(() => near(pointerAt(xvfb.display), expected(0.5, 0.5))), 'zoomed in, the X pointer still follows the analyst');
  // Back over the recorder (the pointer gives X its keyboard focus), scrolled into view at this zoom.
  await analyst.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="remote-screen"]')!;
    const viewport = document.querySelector<HTMLElement>('[data-testid="viewport"]')!;
    viewport.scrollTo(video.clientWidth * 0.2 - viewport.clientWidth / 2, video.clientHeight * 0.25 - viewport.clientHeight / 2);
  });
  const recorderSpot = await spot(analyst, 0.2, 0.25);
  await analyst.mouse.move(recorderSpot.x, recorderSpot.y);
  await t.resolves(waitFor(() => near(pointerAt(xvfb.display), expected(0.2, 0.25))), 'and over the recorder again');

  await analyst.keyboard.press('Alt+Shift+KeyR');
  await analyst.locator('[data-testid="analyst-control"][data-state="off"]').waitFor({ timeout: 5000 });
  await customer.getByTestId('control-indicator').waitFor({ state: 'detached' });
  await analyst.waitForTimeout(300);
  const after = recorder.output().slice(before);
  t.notMatch(after, /Alt_L|Shift_L|keysym 0x72, r\)|keysym 0x31, 1\)|keysym 0x3d, equal\)/, 'no Alt, Shift, R, 1 or = reached the customer\'s computer');
  t.match(await customer.getByTestId('timeline').textContent(), /Remote control stopped/);
});
