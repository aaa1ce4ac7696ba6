import t from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';

// Received files live in the Origin Private File System exactly as long as their session
// (web/files/session-files.ts): each page that loads removes the files of sessions no page holds
// any more (a crash, a closed tab), and keeps those of sessions still running in other tabs.
// Real Chromium OPFS and Web Locks, real pages of the app, several tabs of one browser profile.
const server = await startServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
});

/** Names in the transfer folder, as the page sees them. */
const names = (page: Page) =>
  page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('relaydesk-transfers', { create: true });
    const found: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) found.push(name);
    return found.sort();
  });

t.test('a loading page removes a closed tab\'s session files and keeps a running session\'s', async (t) => {
  const first = await browser.newPage();
  t.teardown(() => first.context().close());
  const context = first.context();
  await first.goto(`${server.url}/`);
  // This tab runs a session (holds its lock) with one received file; a crashed one left another.
  await first.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('relaydesk-transfers', { create: true });
    for (const name of ['running.f1', 'crashed.f2']) await (await dir.getFileHandle(name, { create: true })).createWritable().then((w) => w.write('bytes').then(() => w.close()));
    void navigator.locks.request('relaydesk-files:running', () => new Promise(() => undefined));
  });
  const second = await context.newPage();
  await second.goto(`${server.url}/analyst`);
  await second.waitForFunction(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('relaydesk-transfers', { create: true });
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) if (name.startsWith('crashed.')) return false;
    return true;
  });
  t.same(await names(second), ['running.f1'], 'the crashed session\'s file is gone, the running one\'s stays');

  await first.close(); // the tab goes, and its lock with it
  const third = await context.newPage();
  await third.goto(`${server.url}/`);
  await third.waitForFunction(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('relaydesk-transfers', { create: true });
    for await (const _ of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) return false;
    return true;
  });
  t.same(await names(third), [], 'once its tab is closed, the next page load removes it too');
});
