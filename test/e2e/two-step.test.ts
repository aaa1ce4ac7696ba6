import t from 'tap';
import jsqrModule from 'jsqr';
import { PNG } from 'pngjs';
import { base32Decode, hotp, TOTP_STEP_MS } from '../../signaling/auth/totp.js';
import { launchBrowser } from '../helpers/browser.js';
import { analystSignsIn } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';

// Two-step sign-in in real Chromium: the analyst sets it up from the console (the QR code on the
// page is decoded from a screenshot, as a phone would), signs in with a code, and an admin
// requires it for another analyst, whose next sign-in opens on the set-up.
const server = await startServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
});
// jsqr is CommonJS with an ES default export: depending on the loader's interop, the function is the module or its `default`.
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = ((jsqrModule as unknown as { default?: Decode }).default ?? jsqrModule) as unknown as Decode;
const codeAt = (secret: string, offset = 0) => hotp(base32Decode(secret), Math.floor(Date.now() / TOTP_STEP_MS) + offset);

t.test('bob sets it up from his console, keeps his recovery codes, then signs in with a code', async (t) => {
  const page = await browser.newPage();
  t.teardown(() => page.context().close());
  await analystSignsIn(page, server.url, 'bob');
  await page.getByTestId('tab-security').click();
  t.equal(await page.getByTestId('totp-status').getAttribute('data-on'), 'false');
  await page.getByTestId('totp-start').click();
  // Focus moves in an effect after rendering: wait for it rather than read it at once.
  t.ok(await page.waitForFunction(() => document.activeElement?.id === 'totp-password', undefined, { timeout: 5000 }), 'focus on the password');
  await page.getByLabel('Your password, to confirm it is you').fill('bob-password');
  await page.keyboard.press('Enter');

  const qr = page.getByTestId('totp-qr');
  await qr.waitFor();
  const shot = PNG.sync.read(await qr.screenshot());
  const decoded = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
  const secret = (await page.getByTestId('totp-key').getAttribute('data-secret'))!;
  t.equal(decoded?.data, `otpauth://totp/Relay%20Desk:bob?secret=${secret}&issuer=Relay%20Desk&algorithm=SHA1&digits=6&period=30`, 'the QR code on screen reads as the otpauth URI');
  t.equal((await page.getByTestId('totp-key').textContent())!.replace(/ /g, ''), secret, 'the key is shown for typing too');

  await page.getByLabel('The 6-digit code the app shows now').fill('000000');
  await page.getByTestId('totp-turn-on').click();
  await page.getByTestId('totp-error').waitFor();
  t.match(await page.getByTestId('totp-error').textContent(), /does not match/);
  await page.getByLabel('The 6-digit code the app shows now').fill(codeAt(secret));
  await page.getByTestId('totp-turn-on').click();
  await page.getByTestId('recovery-codes').waitFor();
  const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
  t.equal(codes.length, 10, 'ten recovery codes');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('recovery-download').click()]);
  t.equal(download.suggestedFilename(), 'relaydesk-recovery-codes.txt');
  const saved = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
  t.ok(codes.every((c) => saved.includes(c)), 'the file holds the codes');
  await page.getByTestId('recovery-saved').click();
  await page.locator('[data-testid="totp-status"][data-on="true"]').waitFor();
  t.pass('the panel says it is on');

  // Next sign-in: the password, then the code.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('User name').fill('bob');
  await page.getByLabel('Password').fill('bob-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('code-asked').waitFor();
  t.ok(await page.waitForFunction(() => document.activeElement?.id === 'login-code', undefined, { timeout: 5000 }), 'focus goes to the code');
  await page.getByLabel('Code from your authenticator app').fill('123456');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(/This code is wrong or was already used/).waitFor();
  await page.getByLabel('Code from your authenticator app').fill(codeAt(secret, 1));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('queue-list').waitFor();
  t.pass('signed in with password and code');
});

t.test('an admin requires it for carol: her next sign-in opens on the set-up, then the console', async (t) => {
  const admin = await browser.newPage();
  const carol = await browser.newPage('fr-FR');
  t.teardown(async () => {
    await admin.context().close();
    await carol.context().close();
  });
  await analystSignsIn(admin, server.url, 'alice');
  await admin.getByTestId('tab-accounts').click();
  const row = admin.locator('[data-testid="account"][data-username="carol"]');
  await row.getByTestId('totp-require').check();
  await row.getByText('Two-step required').waitFor();

  await carol.goto(`${server.url}/analyst`);
  await carol.getByLabel('Identifiant').fill('carol');
  await carol.getByLabel('Mot de passe').fill('carol-password');
  await carol.getByRole('button', { name: 'Se connecter' }).click();
  await carol.getByTestId('totp-required').waitFor();
  t.match(await carol.getByTestId('totp-required').textContent(), /exige la connexion en deux étapes/, 'told in French why');
  t.equal(await carol.getByTestId('queue-list').count(), 0, 'no console yet');
  await carol.getByLabel('Votre mot de passe, pour confirmer que c’est vous').fill('carol-password');
  await carol.keyboard.press('Enter');
  const secret = (await carol.getByTestId('totp-key').getAttribute('data-secret'))!;
  await carol.locator('#totp-first-code').fill(codeAt(secret));
  await carol.keyboard.press('Enter');
  await carol.getByTestId('recovery-codes').waitFor();
  await carol.getByTestId('recovery-saved').click();
  await carol.getByTestId('queue-list').waitFor();
  t.pass('the console opens once it is set up');

  await admin.reload();
  await admin.getByTestId('tab-accounts').click();
  t.equal(await row.getByTestId('account-totp').getAttribute('data-on'), 'true', 'the admin sees it on');
  admin.once('dialog', (dialog) => void dialog.accept());
  await row.getByTestId('totp-reset').click();
  await row.locator('[data-testid="account-totp"][data-on="false"]').waitFor();
  await carol.getByTestId('signin-ended').waitFor();
  t.pass("carol's sign-in ends when it is reset");
});
