import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import t from 'tap';
import { runHelper, savePairingFile } from '../helpers/helper-process.js';
import { rogueHelper } from '../helpers/rogue-helper.js';
import { connectedSession } from '../helpers/session.js';
import { expected, near, spot, startControlRig, waitFor } from '../helpers/control.js';
import { waitForDecodedFrames } from '../helpers/flows.js';
import { moveLocalPointer, pointerAt, stopChild } from '../helpers/xvfb.js';

// A real session in Chromium plus the real helper injecting into a real X server (Xvfb), with an
// X client (xev) recording what arrives. The shared picture is Chromium's synthetic screen; the
// helper maps its normalised coordinates onto the 1280×800 Xvfb screen.
const { xvfb, recorder, server, browser, controlAllowed } = await startControlRig(t);

t.test('a helper with a wrong pairing code is refused', async (t) => {
  const helper = runHelper(xvfb.display, { server: server.url, code: '000000', secret: '0'.repeat(32) });
  t.equal(await helper.exited, 2);
  t.match(helper.output(), /not valid or has expired/);
});

t.test('remote control end to end: separate consent, pairing, injection, customer priority, revoke', async (t) => {
  const { customer, analyst } = await controlAllowed(t, 'Remote Rita');
  const code = (await customer.getByTestId('pairing-code').textContent({ timeout: 5000 }))!.replace(/\D/g, '');
  t.match(code, /^\d{6}$/, 'the page shows a 6-digit pairing code');
  const file = await savePairingFile(customer);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { code: string; secret: string; server: string };
  t.equal(saved.code, code, 'the pairing file holds the code');
  t.match(saved.secret, /^[0-9a-f]{32}$/, 'and a 128-bit secret');
  t.notOk((await customer.locator('body').textContent())!.includes(saved.secret), 'the secret is nowhere on the page');
  const helper = runHelper(xvfb.display, { file });
  t.teardown(() => stopChild(helper.child));
  await customer.locator('[data-testid="control-indicator"][data-state="active"]').waitFor({ timeout: 15_000 });
  await analyst.locator('[data-testid="analyst-control"][data-state="active"]').waitFor();
  // The page shows "active" as it tells the helper; the helper prints it a moment later.
  await t.resolves(waitFor(() => /Remote control is ACTIVE/.test(helper.output())), 'the helper says so in its own output');

  // Pointer, click and typing reach the X client.
  const target = await spot(analyst, 0.2, 0.25);
  await analyst.mouse.move(target.x, target.y);
  await t.resolves(waitFor(() => near(pointerAt(xvfb.display), expected(0.2, 0.25))), 'the X pointer follows the analyst');
  await analyst.mouse.down();
  await analyst.mouse.up();
  await analyst.keyboard.type('hi');
  await t.resolves(waitFor(() => /ButtonPress[\s\S]*button 1/.test(recorder.output()) && /keysym 0x68, h\)/.test(recorder.output()) && /keysym 0x69, i\)/.test(recorder.output())),
    'xev received the click and the keys h, i');

  // The customer moves their own mouse: remote input is suspended and everyone is told.
  moveLocalPointer(xvfb.display, 1000, 700);
  await customer.locator('[data-testid="control-indicator"][data-state="suspended"]').waitFor({ timeout: 3000 });
  await analyst.locator('[data-testid="analyst-control"][data-state="suspended"]').waitFor();
  const during = await spot(analyst, 0.5, 0.5);
  await analyst.mouse.move(during.x, during.y);
  // Well inside the 1.5 s pause (injection takes ~3 ms when it happens at all).
  await analyst.waitForTimeout(150);
  t.same(pointerAt(xvfb.display), { x: 1000, y: 700 }, 'analyst input is ignored while the customer has control');
  await customer.locator('[data-testid="control-indicator"][data-state="active"]').waitFor({ timeout: 5000 });
  t.pass('control resumes after the customer stops moving');

  // Revoke: within 100 ms nothing more is injected.
  await customer.getByTestId('stop-control').click();
  await customer.waitForTimeout(100);
  const frozen = pointerAt(xvfb.display);
  for (const [x, y] of [[0.1, 0.1], [0.9, 0.9], [0.3, 0.7]]) {
    const p = await spot(analyst, x, y);
    await analyst.mouse.move(p.x, p.y);
  }
  await analyst.waitForTimeout(300);
  t.same(pointerAt(xvfb.display), frozen, 'no injection after Stop control');
  await analyst.locator('[data-testid="analyst-control"][data-state="off"]').waitFor();
  t.equal(await customer.getByTestId('control-indicator').count(), 0, 'the indicator is gone');
  t.match(await customer.getByTestId('timeline').textContent(), /Remote control stopped/);
});

t.test('a helper that knows the code but not the secret is refused, told to the customer, and cannot receive input; the real one then pairs', async (t) => {
  const { customer, analyst } = await controlAllowed(t, 'Guarded Gina');
  const code = (await customer.getByTestId('pairing-code').textContent({ timeout: 5000 }))!.replace(/\D/g, '');
  // The code is on screen: the attacker read it in the video and pairs first.
  const rogue = await rogueHelper(server.wsUrl, code);
  t.teardown(() => rogue.close());
  const refused = customer.getByTestId('helper-refused');
  await refused.waitFor({ timeout: 20_000 });
  t.equal(await refused.getAttribute('data-reason'), 'proof');
  t.match(await refused.textContent(), /could not prove/);
  t.equal(await rogue.closed, 4409, "the server drops the attacker's helper at the page's word");
  await customer.locator('[data-testid="activity"][data-key="tools.event.control.helperRefused"]').waitFor();
  const fresh = (await customer.getByTestId('pairing-code').textContent())!.replace(/\D/g, '');
  t.not(fresh, code, 'a new code');
  t.equal(await customer.getByTestId('control-indicator').count(), 0, 'control is not active');
  await analyst.keyboard.type('x');
  t.same(rogue.received, [], 'no input reached the attacker');

  const helper = runHelper(xvfb.display, { file: await savePairingFile(customer) });
  t.teardown(() => stopChild(helper.child));
  await customer.locator('[data-testid="control-indicator"][data-state="active"]').waitFor({ timeout: 15_000 });
  t.pass('the helper started with the new pairing file pairs');
});

t.test("control starts with the customer's priority (before any move of the analyst) and stops when the share stops", async (t) => {
  const { customer, analyst } = await controlAllowed(t, 'Sharing Sam');
  const file = await savePairingFile(customer);
  const helper = runHelper(xvfb.display, { file });
  t.teardown(() => stopChild(helper.child));
  await customer.locator('[data-testid="control-indicator"][data-state="active"]').waitFor({ timeout: 15_000 });
  await t.resolves(waitFor(() => /Remote control is ACTIVE/.test(helper.output())));
  t.notOk(existsSync(file), 'the helper deleted the pairing file once read');
  // The analyst has not moved yet; the customer moves: paused all the same (an analyst who only
  // types could otherwise never be paused).
  moveLocalPointer(xvfb.display, 900, 600);
  await customer.locator('[data-testid="control-indicator"][data-state="suspended"]').waitFor({ timeout: 3000 });
  t.pass('suspended by the first local move');
  await customer.locator('[data-testid="control-indicator"][data-state="active"]').waitFor({ timeout: 5000 });
  // The analyst clicks into the X client and types: its own keys do not pause control.
  const into = await spot(analyst, 0.2, 0.25);
  await analyst.mouse.click(into.x, into.y);
  await analyst.keyboard.type('ab');
  await t.resolves(waitFor(() => /keysym 0x62, b\)/.test(recorder.output())), 'the analyst\'s keys arrive');
  t.equal(await customer.getByTestId('control-indicator').getAttribute('data-state'), 'active', "the analyst's own keys do not pause control");
  // The customer presses a key of their own (X raw key events, xinput): paused.
  execFileSync('xdotool', ['key', 'shift'], { env: { ...process.env, DISPLAY: xvfb.display } });
  await customer.locator('[data-testid="control-indicator"][data-state="suspended"]').waitFor({ timeout: 3000 });
  t.pass("suspended by the customer's own key");
  await customer.locator('[data-testid="control-indicator"][data-state="active"]').waitFor({ timeout: 5000 });

  await customer.getByTestId('stop-share').click();
  await customer.locator('[data-testid="activity"][data-key="tools.event.control.stoppedNoScreen"]').waitFor({ timeout: 5000 });
  t.equal(await customer.getByTestId('control-indicator').count(), 0, 'control stopped with the share');
  await t.resolves(waitFor(() => /Remote control was stopped/.test(helper.output())), 'the helper is told');
  t.equal(await helper.exited, 0, 'and ends with control');
  t.equal(await analyst.locator('[data-testid="analyst-control"][data-state="active"]').count(), 0, "the analyst's page no longer shows control");
  const frozen = pointerAt(xvfb.display);
  await analyst.keyboard.type('zz');
  await analyst.waitForTimeout(300);
  t.same(pointerAt(xvfb.display), frozen);
  t.notOk(/keysym 0x7a, z\)/.test(recorder.output()), 'nothing injected after the share stopped');
});

t.test('the customer reloads during remote control: control is off until they allow it again, and nothing more is injected', async (t) => {
  const { customer, analyst } = await controlAllowed(t, 'Reloading Rob');
  const helper = runHelper(xvfb.display, { file: await savePairingFile(customer) });
  t.teardown(() => stopChild(helper.child));
  await customer.locator('[data-testid="control-indicator"][data-state="active"]').waitFor({ timeout: 15_000 });
  await analyst.locator('[data-testid="analyst-control"][data-state="active"]').waitFor();

  await customer.reload();
  await customer.getByTestId('customer-session').waitFor({ timeout: 5000 });
  await analyst.locator('[data-testid="analyst-control"][data-state="active"]').waitFor({ state: 'detached', timeout: 10_000 });
  t.pass("the analyst's page no longer shows control");
  t.equal(await customer.getByTestId('control-indicator').count(), 0, 'no control on the reloaded page');
  const frozen = pointerAt(xvfb.display);
  await analyst.keyboard.type('qq');
  await analyst.waitForTimeout(500);
  t.same(pointerAt(xvfb.display), frozen);
  t.notOk(/keysym 0x71, q\)/.test(recorder.output()), 'nothing injected after the reload');
  // Control needs the customer's consent again (and their screen shared again).
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 3);
  await analyst.getByTestId('request-control').click();
  await customer.getByTestId('control-allow').waitFor({ timeout: 10_000 });
  t.pass('the customer is asked again');
});

t.test('without the helper the analyst can point: a highlight shows on the customer\'s preview', async (t) => {
  const { customer, analyst } = await connectedSession(browser, server.url, 'Pointed Paul');
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  await customer.getByTestId('start-share').click();
  await waitForDecodedFrames(analyst, 3);
  const p = await spot(analyst, 0.75, 0.25);
  await analyst.mouse.click(p.x, p.y);
  const highlight = customer.getByTestId('pointer-highlight');
  await highlight.waitFor();
  const left = await highlight.evaluate((el) => (el as HTMLElement).style.left);
  t.match(left, /^7[45]\.\d*%$|^75%$/, `at the spot the analyst clicked (${left})`);
});
