import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { browserPids, launchBrowser } from '../helpers/browser.js';
import { startServer } from '../helpers/server.js';
import { connectedSession } from '../helpers/session.js';

// Chat, pushed links and files between two real Chromium pages, peer to peer over data channels.
// Many sessions, some with 80 MB files: ~110 s alone on 2 cores, more beside other files.
t.setTimeout(300_000);
const server = await startServer();
const browser = await launchBrowser();
const dir = mkdtempSync(join(tmpdir(), 'relaydesk-files-'));
t.teardown(async () => {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function makeFile(name: string, bytes: number): { path: string; sha256: string } {
  const path = join(dir, name);
  const data = randomBytes(bytes);
  writeFileSync(path, data);
  return { path, sha256: createHash('sha256').update(data).digest('hex') };
}

/** A connected session (helpers/session.ts) whose two pages close when the test `t` ends. */
async function openSession(t: Test, customerName?: string, customerInit?: () => void): Promise<{ customer: Page; analyst: Page }> {
  const pages = await connectedSession(browser, server.url, customerName, { customerInit });
  t.teardown(async () => {
    await pages.customer.context().close();
    await pages.analyst.context().close();
  });
  return pages;
}

const transfer = (page: Page, name: string) => page.locator(`[data-testid="transfer"][data-name="${name}"]`);
const transferState = (page: Page, name: string, state: string, timeout = 30_000) =>
  page.locator(`[data-testid="transfer"][data-name="${name}"][data-state="${state}"]`).waitFor({ timeout });
/** The names of the files this page keeps in its private transfer storage (OPFS). */
const storedFiles = (page: Page) =>
  page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('relaydesk-transfers', { create: true });
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names;
  });

/**
 * Bytes and messages each of the page's peer connections carried on its data channels named
 * `file`, from the browser's own statistics: the session connection (the one with a `control`
 * channel) and the file connection (file-connection.ts, a `file` channel alone).
 */
const fileBytes = (page: Page) =>
  page.evaluate(async () => {
    const result = { session: { sent: 0, received: 0, messages: 0 }, link: { sent: 0, received: 0, messages: 0 }, links: 0 };
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      const channels: Array<{ label: string; bytesSent: number; bytesReceived: number; messagesReceived: number }> = [];
      (await pc.getStats()).forEach((report) => report.type === 'data-channel' && channels.push(report));
      if (channels.length === 0) continue;
      const into = channels.some((c) => c.label === 'control') ? result.session : result.link;
      if (into === result.link) result.links += 1;
      for (const c of channels.filter((c) => c.label === 'file')) {
        into.sent += c.bytesSent;
        into.received += c.bytesReceived;
        into.messages += c.messagesReceived;
      }
    }
    return result;
  });

async function sendAndSave(from: Page, to: Page, file: { path: string; sha256: string }, name: string) {
  await from.getByTestId('file-input').setInputFiles(file.path);
  await transfer(to, name).getByTestId('accept-file').click();
  await transferState(to, name, 'done');
  await transferState(from, name, 'done');
  const [download] = await Promise.all([to.waitForEvent('download'), transfer(to, name).getByTestId('save-file').click()]);
  const saved = join(dir, `saved-${name}`);
  await download.saveAs(saved);
  return createHash('sha256').update(readFileSync(saved)).digest('hex');
}

/** Offers a file of `bytes` from one page, accepts it on the other, and waits until bytes flow. */
async function startTransfer(from: Page, to: Page, name: string, bytes: number): Promise<void> {
  await from.getByTestId('file-input').setInputFiles(makeFile(name, bytes).path);
  await transfer(to, name).getByTestId('accept-file').click();
  await transferState(to, name, 'transferring');
}

t.test('a file of a few MB goes each way byte-identical, with the hash checked and the activity logged', async (t) => {
  const { customer, analyst } = await openSession(t);
  const logs = makeFile('logs.zip', 3 * 1024 * 1024 + 17);
  t.equal(await sendAndSave(customer, analyst, logs, 'logs.zip'), logs.sha256, 'customer → analyst arrives identical');
  // The bytes took the file connection, a connection of their own, not the session connection that
  // carries chat, links and remote-control input.
  const carried = await fileBytes(analyst);
  t.equal(carried.links, 1, 'the analyst has one file connection');
  t.ok(carried.link.received >= 3 * 1024 * 1024, `the file connection carried the file (${carried.link.received} bytes)`);
  t.ok(carried.session.received < 1024, `the session connection carried none of it (${carried.session.received} bytes)`);
  // In 128 KiB messages (file-framing.ts): 25 of them, and the `begin` message.
  t.equal(carried.link.messages, Math.ceil((3 * 1024 * 1024 + 17) / (128 * 1024)) + 1, `in 128 KiB messages (${carried.link.messages} messages)`);
  const driver = makeFile('driver.bin', 5 * 1024 * 1024 + 3);
  t.equal(await sendAndSave(analyst, customer, driver, 'driver.bin'), driver.sha256, 'analyst → customer arrives identical');
  const log = await customer.getByTestId('timeline').textContent();
  t.match(log, /offers you driver\.bin/);
  t.match(log, /driver\.bin received intact \(SHA-256 checked\)/);
  t.match(await analyst.getByTestId('timeline').textContent(), /logs\.zip received intact/);
});

t.test('nothing reaches the customer without Accept; a declined file leaves nothing behind', async (t) => {
  const { customer, analyst } = await openSession(t, 'Decliner');
  const file = makeFile('unwanted.exe', 2 * 1024 * 1024);
  await analyst.getByTestId('file-input').setInputFiles(file.path);
  await transferState(customer, 'unwanted.exe', 'offered');
  await analyst.waitForTimeout(500);
  t.same(await storedFiles(customer), [], 'an offer stores nothing');
  t.equal(await transfer(customer, 'unwanted.exe').getAttribute('data-state'), 'offered', 'still only offered');
  await transfer(customer, 'unwanted.exe').getByTestId('decline-file').click();
  await transferState(analyst, 'unwanted.exe', 'declined');
  t.same(await storedFiles(customer), [], 'nothing stored after declining');
  t.match(await analyst.getByTestId('timeline').textContent(), /Decliner declined unwanted\.exe/);
});

t.test('cancelling mid-transfer stops it on both sides and deletes the partial file', async (t) => {
  const { customer, analyst } = await openSession(t, 'Canceller');
  await startTransfer(analyst, customer, 'big.iso', 80 * 1024 * 1024);
  await customer.waitForTimeout(300);
  t.match(await transfer(customer, 'big.iso').textContent(), /of 83\.9 MB · .*\/s · /, 'a progress line with speed and time left');
  await transfer(customer, 'big.iso').getByTestId('cancel-file').click();
  await transferState(analyst, 'big.iso', 'cancelled');
  await transferState(customer, 'big.iso', 'cancelled');
  await customer.waitForTimeout(300);
  t.same(await storedFiles(customer), [], 'the partial file is deleted');
  t.match(await analyst.getByTestId('timeline').textContent(), /Canceller cancelled big\.iso/);
});

t.test('a peer closing mid-transfer is reported on the other side', async (t) => {
  const { customer, analyst } = await connectedSession(browser, server.url, 'Vanisher');
  t.teardown(() => analyst.context().close());
  await startTransfer(customer, analyst, 'huge.iso', 80 * 1024 * 1024);
  await customer.context().close();
  // Closing sends a goodbye (SCTP ABORT), reported at once. Under load that datagram can be lost
  // (full socket buffers); the analyst's browser then declares the connection failed, ~16 s after
  // the last packet (the next test freezes a peer to prove that path).
  await transferState(analyst, 'huge.iso', 'failed', 30_000);
  t.match(await analyst.getByTestId('timeline').textContent(), /huge\.iso: (the other side left|the session ended|the connection to Vanisher was lost); the partial file was deleted/);
  await analyst.waitForTimeout(300);
  t.same(await storedFiles(analyst), [], 'the partial file is deleted');
});

t.test('a peer that vanishes without a word mid-transfer (its computer froze) is reported: first interrupted, then failed, partial files deleted; when it wakes, a new connection brings chat, files and the screen back', async (t) => {
  // The customer in a browser of its own, whose processes are then stopped: no goodbye, no packet.
  const frozen = await launchBrowser();
  let pids: number[] = [];
  t.teardown(async () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await frozen.close().catch(() => undefined);
  });
  const { customer, analyst } = await connectedSession(browser, server.url, 'Freezer', { customerBrowser: frozen });
  t.teardown(() => analyst.context().close());
  // The customer shares a screen; both read the same verification code.
  await customer.getByTestId('start-share').click();
  await sessionFramesDecoded(analyst, 5);
  const code = await analyst.getByTestId('verification-code').getAttribute('data-code');
  t.equal(await customer.getByTestId('verification-code').getAttribute('data-code'), code, 'the same code on both sides');
  // One file each way, both flowing on the file connection when the customer's computer freezes.
  await startTransfer(customer, analyst, 'to-analyst.iso', 150 * 1024 * 1024);
  await startTransfer(analyst, customer, 'to-customer.iso', 150 * 1024 * 1024);
  pids = await browserPids(frozen.browser);
  t.ok(pids.length >= 3, `the customer's browser runs in ${pids.length} processes`);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  const frozenAt = Date.now();

  // Within seconds both rows say the connection is interrupted, instead of a progress bar frozen in silence.
  for (const name of ['to-analyst.iso', 'to-customer.iso']) {
    await analyst.locator(`[data-testid="transfer"][data-name="${name}"][data-interrupted="true"]`).waitFor({ timeout: 15_000 });
    t.match(await transfer(analyst, name).textContent(), /Connection interrupted; waiting for Freezer/);
  }
  t.ok(Date.now() - frozenAt < 15_000, `interrupted shown after ${Date.now() - frozenAt} ms`);
  // The session connection notices on its own schedule (each connection checks its path apart).
  const logged = analyst.locator('[data-testid="activity"][data-key="tools.event.interrupted"]');
  await logged.waitFor({ timeout: 15_000 });
  t.match(await logged.textContent(), /Connection to Freezer interrupted; trying to restore it/);

  // Then the browser declares the connection failed: both transfers fail with that reason.
  for (const name of ['to-analyst.iso', 'to-customer.iso']) await transferState(analyst, name, 'failed', 40_000);
  const log = await analyst.getByTestId('timeline').textContent();
  t.match(log, /to-analyst\.iso: the connection to Freezer was lost; the partial file was deleted/);
  t.match(log, /to-customer\.iso: the connection to Freezer was lost; the partial file was deleted/);
  t.notMatch(log, /Connection to Freezer restored/);
  // And the log says what to do now that the session connection is gone for good.
  const lost = analyst.locator('[data-testid="activity"][data-key="tools.event.lost"]');
  await lost.waitFor({ timeout: 15_000 });
  t.match(await lost.textContent(), /The connection to Freezer was lost; setting up a new one/);
  await analyst.waitForTimeout(300);
  t.same(await storedFiles(analyst), [], 'the partial file is deleted');

  // The computer wakes up: the customer's page hears that the analyst's end is gone and sets up a
  // new connection (connection-replacement.ts); the session goes on without anyone starting a new one.
  for (const pid of pids) process.kill(pid, 'SIGCONT');
  pids = [];
  const wokeAt = Date.now();
  for (const page of [analyst, customer]) {
    const relinked = page.locator('[data-testid="activity"][data-key="tools.event.relinked"]');
    await relinked.waitFor({ timeout: 45_000 });
    t.match(await relinked.textContent(), /New connection to .*: chat, files and the shared screen work again/);
  }
  t.comment(`new connection ${Date.now() - wokeAt} ms after the customer's computer woke`);
  // The screen comes back on the new connection, still shared, and the verification code is the
  // same (the new connection keeps each side's certificate).
  await sessionFramesDecoded(analyst, 5);
  await analyst.locator(`[data-testid="verification-code"][data-code="${code}"]`).waitFor({ timeout: 10_000 });
  await customer.locator(`[data-testid="verification-code"][data-code="${code}"]`).waitFor({ timeout: 10_000 });
  // The log and the failed transfers of the lost connection are still there.
  t.equal(await analyst.locator('[data-testid="transfer"][data-state="failed"]').count(), 2, 'the lost transfers stay listed');
  t.match(await analyst.getByTestId('timeline').textContent(), /to-analyst\.iso: the connection to Freezer was lost/);
  // Chat works both ways again, and a file goes through.
  await customer.getByTestId('chat-input').fill('back again');
  await customer.getByTestId('chat-input').press('Enter');
  await analyst.getByTestId('chat-message').filter({ hasText: 'back again' }).waitFor({ timeout: 10_000 });
  await analyst.getByTestId('chat-input').fill('welcome back');
  await analyst.getByTestId('chat-input').press('Enter');
  await customer.getByTestId('chat-message').filter({ hasText: 'welcome back' }).waitFor({ timeout: 10_000 });
  const after = makeFile('after-wake.txt', 2 * 1024 * 1024 + 5);
  t.equal(await sendAndSave(analyst, customer, after, 'after-wake.txt'), after.sha256, 'a file sent after the new connection arrives identical');
});

t.test("the session connection closing under a live session (the analyst's end dropped it) is replaced at once: screen, chat and files come back, the log stays", async (t) => {
  const { customer, analyst } = await openSession(t, 'Closer');
  await customer.getByTestId('start-share').click();
  await sessionFramesDecoded(analyst, 5);
  await customer.getByTestId('chat-input').fill('before the drop');
  await customer.getByTestId('chat-input').press('Enter');
  await analyst.getByTestId('chat-message').filter({ hasText: 'before the drop' }).waitFor({ timeout: 10_000 });
  // The analyst's end of the session connection goes (the first connection the page made; the
  // file connection came after it). The customer's end sees it closed, and its page starts the next one.
  await analyst.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0].close());
  for (const page of [analyst, customer]) {
    await page.locator('[data-testid="activity"][data-key="tools.event.relinked"]').waitFor({ timeout: 20_000 });
  }
  await sessionFramesDecoded(analyst, 5);
  t.equal(await analyst.getByTestId('chat-message').filter({ hasText: 'before the drop' }).count(), 1, 'the chat history stays');
  await analyst.getByTestId('chat-input').fill('after the drop');
  await analyst.getByTestId('chat-input').press('Enter');
  await customer.getByTestId('chat-message').filter({ hasText: 'after the drop' }).waitFor({ timeout: 10_000 });
  const file = makeFile('after-drop.bin', 1024 * 1024 + 3);
  t.equal(await sendAndSave(customer, analyst, file, 'after-drop.bin'), file.sha256, 'a file goes through the new connection');
  // The customer's page made exactly one new session connection (the others are file connections).
  const sessionLinks = await customer.evaluate(() =>
    (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.getTransceivers().length > 0).length);
  t.equal(sessionLinks, 2, 'one new session connection, with the screen on it');
});

t.test('a new connection whose certificate changed (someone in the middle of it) shows the verification code as changed on both sides', async (t) => {
  // On the test's word, the customer's browser makes a fresh certificate for each new connection,
  // as a man in the middle's would be: the page's own certificate (peer-certificate.ts) is dropped.
  // Installed before the page's scripts, which keep the constructor they find.
  const { customer, analyst } = await openSession(t, 'Changer', () => {
    const Previous = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Previous {
      constructor(config?: RTCConfiguration) {
        super((window as unknown as { __freshCertificates?: boolean }).__freshCertificates ? { ...config, certificates: undefined } : config);
      }
    };
  });
  const code = await analyst.getByTestId('verification-code').getAttribute('data-code');
  t.equal(await analyst.getByTestId('verification-code').getAttribute('data-changed'), null, 'not marked at first');
  await customer.evaluate(() => ((window as unknown as { __freshCertificates?: boolean }).__freshCertificates = true));
  await analyst.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0].close());
  for (const page of [analyst, customer]) {
    await page.locator('[data-testid="verification-code"][data-changed="true"]').waitFor({ timeout: 20_000 });
    t.not(await page.getByTestId('verification-code').getAttribute('data-code'), code, 'another code');
    t.match(await page.getByTestId('verification-code').textContent(), /It changed with the new connection: read it to each other again/);
    const logged = page.locator('[data-testid="activity"][data-key="tools.event.codeChanged"]');
    await logged.waitFor({ timeout: 5_000 });
    t.equal(await logged.count(), 1, 'logged once');
  }
});

/**
 * Frames the analyst's page decoded on its newest session connection (the last one with a video
 * receiver), read from the browser's statistics; waits until at least `min`.
 */
async function sessionFramesDecoded(analyst: Page, min: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let frames = 0;
  while (Date.now() < deadline) {
    frames = await analyst.evaluate(async () => {
      const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter((pc) => pc.getReceivers().some((r) => r.track.kind === 'video'));
      const newest = pcs.at(-1);
      if (!newest || newest.connectionState !== 'connected') return 0;
      let decoded = 0;
      (await newest.getStats()).forEach((entry) => {
        if (entry.type === 'inbound-rtp' && entry.kind === 'video') decoded += entry.framesDecoded ?? 0;
      });
      return decoded;
    });
    if (frames >= min) return frames;
    await analyst.waitForTimeout(250);
  }
  throw new Error(`the analyst decoded ${frames} frames on its newest connection in ${timeoutMs} ms`);
}

/** How many file connections (peer connections after the session's own) the page has, and how many are connected. */
const fileLinks = (page: Page) =>
  page.evaluate(() => {
    const links = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.slice(1);
    return { made: links.length, connected: links.filter((pc) => pc.connectionState === 'connected').length };
  });

t.test('the file connection dropping mid-transfer stops that file on both sides; a new link is set up and takes the next file', async (t) => {
  const { customer, analyst } = await openSession(t, 'Linker');
  await startTransfer(analyst, customer, 'dropped.iso', 80 * 1024 * 1024);
  // The customer's file connection goes away (as when its path fails) while the file flows on it.
  await customer.evaluate(() => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    pcs[pcs.length - 1].close();
  });
  // The customer's side fails at once and tells the analyst's over the session connection
  // (file.link.lost), which does not wait for the DTLS close (lost on a loaded machine) or for ICE
  // consent to run out (~30 s).
  const dropped = Date.now();
  for (const page of [customer, analyst]) await transferState(page, 'dropped.iso', 'failed', 10_000);
  t.comment(`both sides failed the file ${Date.now() - dropped} ms after the link closed`);
  for (const page of [customer, analyst]) {
    t.match(await page.getByTestId('timeline').textContent(), /dropped\.iso: the direct file connection dropped; the partial file was deleted\. Send it again\./);
  }
  await customer.waitForTimeout(300);
  t.same(await storedFiles(customer), [], 'the partial file is deleted');

  // The customer sets up a new link a few seconds later (file-connection.ts, FILE_CONNECTION_RETRY_MS)...
  await customer.waitForFunction(() => {
    const links = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.slice(1);
    return links.length === 2 && links[1].connectionState === 'connected';
  }, undefined, { timeout: 15_000 });
  t.same(await fileLinks(customer), { made: 2, connected: 1 }, 'a second link, connected');
  // ...and the session goes on: the next file arrives, on the new link.
  const next = makeFile('next.txt', 1024 * 1024 + 5);
  const before = await fileBytes(customer);
  t.equal(await sendAndSave(analyst, customer, next, 'next.txt'), next.sha256, 'the next file arrives identical');
  const after = await fileBytes(customer);
  t.ok(after.link.received - before.link.received >= 1024 * 1024, 'over the new file connection');
  t.ok(after.session.received - before.session.received < 1024, 'not over the session connection');
});

t.test('a file connection that never opens: files take the session connection, in 64 KiB messages, and the customer stops retrying', async (t) => {
  // The customer's browser refuses to make any offer for a second connection: no link, ever.
  const { customer, analyst } = await openSession(t, 'Nolink', () => {
    const Native = window.RTCPeerConnection;
    let made = 0;
    window.RTCPeerConnection = class extends Native {
      constructor(config?: RTCConfiguration) {
        super(config);
        made += 1;
        if (made > 1) this.createOffer = (() => Promise.reject(new DOMException('blocked by the test', 'OperationError'))) as unknown as RTCPeerConnection['createOffer'];
      }
    } as typeof RTCPeerConnection;
  });
  const file = makeFile('fallback.bin', 1024 * 1024 + 5);
  t.equal(await sendAndSave(customer, analyst, file, 'fallback.bin'), file.sha256, 'the file arrives identical');
  const carried = await fileBytes(analyst);
  t.ok(carried.session.received >= 1024 * 1024, 'over the session connection');
  t.equal(carried.link.received, 0, 'nothing over a file connection');
  // In the session connection's smaller messages, so control messages wait behind less.
  t.equal(carried.session.messages, Math.ceil((1024 * 1024 + 5) / (64 * 1024)) + 1, 'in 64 KiB messages');
  // The first try and FILE_CONNECTION_RETRIES (3) more, FILE_CONNECTION_RETRY_MS (3 s) apart; then no more.
  await customer.waitForFunction(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.length === 5, undefined, { timeout: 20_000 });
  await customer.waitForTimeout(4000);
  t.equal((await fileLinks(customer)).made, 4, 'four tries in all, then files stay on the session connection');
});

t.test('a transfer through which nothing moves for 10 s on a working connection says so on both sides, and can be cancelled', async (t) => {
  // The customer's first file read hangs after 4 MiB, as when the file sits on a network share
  // that went away; later files read normally.
  const { customer, analyst } = await openSession(t, 'Slowdisk', () => {
    const read = ReadableStreamBYOBReader.prototype.read;
    let first: ReadableStreamBYOBReader | null = null;
    let bytes = 0;
    ReadableStreamBYOBReader.prototype.read = function (this: ReadableStreamBYOBReader, view: ArrayBufferView) {
      first ??= this;
      if (this !== first) return read.call(this, view as Uint8Array<ArrayBuffer>);
      if (bytes >= 4 * 1024 * 1024) return new Promise(() => undefined);
      return read.call(this, view as Uint8Array<ArrayBuffer>).then((result) => {
        bytes += result.value?.byteLength ?? 0;
        return result;
      });
    } as typeof read;
  });
  await startTransfer(customer, analyst, 'stuck.iso', 20 * 1024 * 1024);
  for (const page of [analyst, customer]) {
    const quiet = page.locator('[data-testid="transfer"][data-name="stuck.iso"][data-quiet]');
    await quiet.waitFor({ timeout: 20_000 });
    t.match(await quiet.textContent(), /No data for 1\d s; it goes on as soon as data comes\. Cancel to stop it\./);
    t.equal(await quiet.getAttribute('data-state'), 'transferring', 'still running, not failed');
  }
  t.equal(await transfer(analyst, 'stuck.iso').getAttribute('data-interrupted'), null, 'the connection itself is fine');
  await transfer(analyst, 'stuck.iso').getByTestId('cancel-file').click();
  for (const page of [analyst, customer]) await transferState(page, 'stuck.iso', 'cancelled');
  await analyst.waitForTimeout(300);
  t.same(await storedFiles(analyst), [], 'the partial file is deleted');
  // The hung read does not hold back the customer's next file.
  const next = makeFile('after-stuck.txt', 1024 * 1024 + 9);
  t.equal(await sendAndSave(customer, analyst, next, 'after-stuck.txt'), next.sha256, 'the next file arrives identical');
});

t.test('chat arrives in order both ways, with timestamps', async (t) => {
  const { customer, analyst } = await openSession(t, 'Chatty');
  const say = async (page: Page, text: string) => {
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-input').press('Enter');
  };
  const script: [Page, string][] = [[customer, 'hello'], [analyst, 'hi, I can see it'], [customer, 'one'], [customer, 'two'], [analyst, 'three'], [customer, 'four']];
  for (const [page, text] of script) await say(page, text);
  for (const page of [customer, analyst]) {
    await page.getByTestId('chat-message').filter({ hasText: 'four' }).waitFor();
    const texts = await page.getByTestId('chat-message').locator('.text').allTextContents();
    t.same(texts, script.map(([, text]) => text), 'same order on both sides');
    t.match(await page.getByTestId('chat-message').first().locator('time').textContent(), /\d{2}:\d{2}:\d{2}/);
  }
});

t.test('URL push: http(s) links open only on the customer\'s click, in a new tab; others are refused on both sides', async (t) => {
  const { customer, analyst } = await openSession(t, 'Linker');
  const push = async (url: string, label = '') => {
    await analyst.getByLabel('Address (http or https)').fill(url);
    await analyst.getByLabel('Description (optional)').fill(label);
    await analyst.getByRole('button', { name: 'Send link' }).click();
  };
  for (const [bad, message] of [['javascript:alert(1)', /Only http/], ['data:text/html,hi', /Only http/], ['file:///etc/passwd', /Only http/], ['https://bank.example@evil.example/', /user name or password/]] as const) {
    await push(bad);
    t.match(await analyst.getByTestId('push-link-error').textContent(), message, `${bad} refused by the analyst's page`);
  }
  // A hostile analyst page that bypasses its own form: the customer's page refuses it too.
  await analyst.evaluate(() => {
    const control = (window as unknown as { __channels: RTCDataChannel[] }).__channels.find((c) => c.label === 'control')!;
    control.send(JSON.stringify({ type: 'url.push', id: 'evil1', url: 'javascript:alert(document.cookie)' }));
    control.send(JSON.stringify({ type: 'file.accept', id: 'nothing', extra: true }));
  });
  await customer.locator('[data-testid="activity"][data-key="tools.link.rejected"]').waitFor();
  t.equal(await customer.getByTestId('link-card').count(), 0, 'no card for a javascript: link');

  await push('https://docs.example.com/printer/setup?model=42', 'Printer setup guide');
  const card = customer.getByTestId('link-card');
  await card.waitFor();
  t.equal(await card.getByTestId('link-host').textContent(), 'docs.example.com', 'the destination host is shown');
  t.match(await card.textContent(), /Printer setup guide/);
  t.equal(customer.context().pages().length, 1, 'nothing opened by itself');
  const [opened] = await Promise.all([customer.context().waitForEvent('page'), card.getByTestId('open-link').click()]);
  await opened.waitForLoadState('domcontentloaded').catch(() => undefined);
  t.match(opened.url(), /^https:\/\/docs\.example\.com\/printer\/setup\?model=42|^chrome-error:/, 'opened in a new tab');
  t.equal(await opened.evaluate(() => window.opener).catch(() => null), null, 'without access back to the session page');
  await analyst.locator('[data-testid="activity"][data-key="tools.link.openedByPeer"]').waitFor();
  t.pass('the analyst sees that the customer opened it');
});
