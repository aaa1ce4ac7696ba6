import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { analystSignsIn } from '../helpers/flows.js';
import { startServer } from '../helpers/server.js';

const server = await startServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
});

t.test('an admin adds an analyst for one queue in the console; the analyst signs in and sees only that queue', async (t) => {
  const admin = await browser.newPage();
  t.teardown(() => admin.context().close());
  await analystSignsIn(admin, server.url, 'alice');
  await admin.getByTestId('tab-accounts').click();
  const form = admin.getByTestId('create-account');
  await form.getByLabel('User name').fill('dave');
  await form.getByLabel('Display name (shown to customers)').fill('Dave Roux');
  await form.getByLabel('Password').fill('short');
  await form.getByLabel('Printers').check();
  await form.getByRole('button', { name: 'Create account' }).click();
  t.match(await admin.getByTestId('accounts-error').textContent(), /at least 10 characters/, 'a weak password is explained');
  await form.getByLabel('Password').fill('dave-password');
  await form.getByRole('button', { name: 'Create account' }).click();
  await admin.locator('[data-testid="account"][data-username="dave"]').waitFor();

  const bob = await browser.newPage();
  t.teardown(() => bob.context().close());
  await analystSignsIn(bob, server.url, 'bob');
  t.equal(await bob.getByTestId('tab-accounts').count(), 0, 'an analyst has no accounts tab');

  const dave = await browser.newPage();
  t.teardown(() => dave.context().close());
  await analystSignsIn(dave, server.url, 'dave', 'dave-password');
  const queues = await dave.locator('[data-queue]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-queue')));
  t.same(queues, ['printers']);
});
