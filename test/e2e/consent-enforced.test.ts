import t from 'tap';
import { launchBrowser } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';
import { connectedSession } from '../helpers/session.js';

// Consent is enforced by the customer's page, not only shown: a hostile analyst page that sends
// whatever it wants over the data channels cannot start sharing, store a file or open a URL.
const server = await startServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
});

t.test('a hostile analyst cannot make the customer share, receive a file or open a link without a click', async (t) => {
  const { customer, analyst } = await connectedSession(browser, server.url, 'Careful Carla');
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  // Count getDisplayMedia calls in the customer's page from now on.
  await customer.evaluate(() => {
    const w = window as unknown as { __captures: number };
    w.__captures = 0;
    const original = navigator.mediaDevices.getDisplayMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getDisplayMedia = function (options?: DisplayMediaStreamOptions) {
      w.__captures += 1;
      return original(options);
    };
  });

  // (No named helper functions inside evaluate(): tsx's keepNames would wrap them in a __name() the page lacks.)
  await analyst.evaluate(() => {
    const channels = (window as unknown as { __channels: RTCDataChannel[] }).__channels;
    const control = channels.find((c) => c.label === 'control')!;
    const file = channels.find((c) => c.label === 'file')!;
    const bytes = new Uint8Array(64 * 1024).fill(0x41);
    // Bytes with no announcement, bytes for a handle never offered, then an offer immediately
    // followed by its bytes (file channel framing: `begin <handle>`, then raw chunks).
    for (let i = 0; i < 5; i++) file.send(bytes);
    file.send('begin 77');
    for (let i = 0; i < 20; i++) file.send(bytes);
    control.send(JSON.stringify({ type: 'file.offer', id: 'pushy', handle: 9, name: 'payload.exe', size: 10 * 65536, mime: 'application/octet-stream' }));
    file.send('begin 9');
    for (let i = 0; i < 10; i++) file.send(bytes);
    control.send(JSON.stringify({ type: 'file.sent', id: 'pushy', sha256: '0'.repeat(64) }));
    // Messages only the customer may send, and a link: shown, never opened by itself.
    control.send(JSON.stringify({ type: 'url.opened', id: 'x' }));
    control.send(JSON.stringify({ type: 'url.push', id: 'l1', url: 'https://driver.example/setup.exe' }));
  });
  await customer.locator('[data-testid="transfer"][data-name="payload.exe"]').waitFor();
  await customer.getByTestId('link-card').waitFor();
  await customer.waitForTimeout(1000);

  t.equal(await customer.locator('[data-testid="transfer"][data-name="payload.exe"]').getAttribute('data-state'), 'offered', 'the file is only offered');
  const stored = await customer.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('relaydesk-transfers', { create: true });
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names;
  });
  t.same(stored, [], 'no byte of it was stored');
  t.equal(customer.context().pages().length, 1, 'no tab was opened');
  t.equal(await customer.evaluate(() => (window as unknown as { __captures: number }).__captures), 0, 'no screen capture was started');
  t.equal(await customer.getByTestId('sharing-indicator').count(), 0);

  // The customer's own click is what starts sharing.
  await customer.getByTestId('start-share').click();
  await customer.getByTestId('sharing-indicator').waitFor();
  t.equal(await customer.evaluate(() => (window as unknown as { __captures: number }).__captures), 1, 'one capture, from the click');
});

t.test('what the customer sees is what it is: a right-to-left override in a file name, a declared type, links to the home network, plain http', async (t) => {
  const { customer, analyst } = await connectedSession(browser, server.url, 'Reading Rosa');
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  await analyst.evaluate(() => {
    const control = (window as unknown as { __channels: RTCDataChannel[] }).__channels.find((c) => c.label === 'control')!;
    control.send(JSON.stringify({ type: 'file.offer', id: 'rtl', handle: 5, name: 'report\u202Efdp.exe', size: 1000, mime: 'application/pdf' }));
    control.send(JSON.stringify({ type: 'url.push', id: 'router', url: 'http://192.168.1.1/apply.cgi?dns=evil' }));
    control.send(JSON.stringify({ type: 'url.push', id: 'local', url: 'http://printer.local/' }));
    control.send(JSON.stringify({ type: 'url.push', id: 'plain', url: 'http://driver.example/setup' }));
  });
  const row = customer.locator('[data-testid="transfer"][data-direction="in"]');
  await row.waitFor();
  t.equal(await row.getAttribute('data-name'), 'reportfdp.exe', 'the override is gone: the name reads as it is');
  t.match(await row.getByTestId('file-extension').textContent(), /Type: \.exe/, 'the real extension, apart');
  t.match(await row.textContent(), /declared by the sender as application\/pdf/, 'the declared type is a claim');
  t.notOk((await row.textContent())!.includes('\u202E'), 'no direction control left anywhere in the row');
  await customer.locator('[data-testid="link-card"][data-host="driver.example"]').waitFor();
  t.equal(await customer.locator('[data-testid="link-card"]').count(), 1, 'the links to the home network are not shown');
  t.match(await customer.getByTestId('link-insecure').textContent(), /Not secure/, 'plain http gets a warning');
  const refused = customer.locator('[data-testid="activity"][data-key="tools.link.rejected"]');
  t.equal(await refused.count(), 2, 'both refusals are logged');
});

t.test('a flood of chat, links and file offers from the other page is bounded: the tab stays responsive', async (t) => {
  const { customer, analyst } = await connectedSession(browser, server.url, 'Flooded Fred');
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  await analyst.evaluate(() => {
    const control = (window as unknown as { __channels: RTCDataChannel[] }).__channels.find((c) => c.label === 'control')!;
    for (let i = 0; i < 5000; i++) control.send(JSON.stringify({ type: 'chat', id: `c${i}`, text: `spam ${i} ${'x'.repeat(200)}`, sentAt: i }));
    for (let i = 0; i < 500; i++) control.send(JSON.stringify({ type: 'url.push', id: `u${i}`, url: `https://spam.example/${i}` }));
    for (let i = 0; i < 500; i++) control.send(JSON.stringify({ type: 'file.offer', id: `f${i}`, handle: 1000 + i, name: `spam${i}.bin`, size: 10, mime: 'x/y' }));
  });
  await customer.locator('[data-testid="activity"][data-key="tools.flood"]').waitFor({ timeout: 20_000 });
  await customer.waitForTimeout(1500);
  const started = Date.now();
  const counts = await customer.evaluate(() => ({
    chats: document.querySelectorAll('[data-testid="timeline"] > li').length,
    links: document.querySelectorAll('[data-testid="link-card"]').length,
    offers: document.querySelectorAll('[data-testid="transfer"]').length,
  }));
  const responded = Date.now() - started;
  t.ok(counts.chats <= 80, `chat bounded by its rate (${counts.chats} entries shown of 5,000 sent)`);
  t.ok(counts.links <= 10, `links bounded (${counts.links} of 500)`);
  t.ok(counts.offers <= 15, `file offers bounded (${counts.offers} of 500)`);
  t.ok(responded < 1000, `the tab answers at once (${responded} ms)`);
  await customer.getByTestId('chat-input').fill('still here');
  await customer.getByTestId('chat-input').press('Enter');
  await analyst.locator('[data-testid="timeline"]', { hasText: 'still here' }).waitFor({ timeout: 5000 });
  t.pass('and the customer can still chat');
});
