import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Debian's Chromium, never a downloaded one. The fake-media flags give getDisplayMedia a synthetic
// screen and answer the picker without a human; the rest keep Chromium off the (closed) network.
// playwright's launch() gives every run a fresh, temporary user-data-dir.
/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  browser: Browser;
  /** A page in its own context (own cookies and storage), as a separate person would have. */
  newPage(locale?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(extraArgs: string[] = []): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
  return {
    browser,
    async newPage(locale = 'en-US') {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale });
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
      return page;
    },
    close: () => browser.close(),
  };
}

/**
 * A browser with a normal, on-disk profile, as a customer's own browser has. launchBrowser()'s
 * contexts are off the record, where Chromium keeps the Origin Private File System in memory; the
 * file benchmark needs the real disk path. The profile folder is deleted on close.
 */
export async function launchProfileBrowser(options: { executablePath?: string; extraArgs?: string[] } = {}): Promise<{ page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'relaydesk-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: options.executablePath ?? CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  return {
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The operating-system process ids of every process of `browser` (browser, renderers, network
 * service, GPU), from Chromium's own SystemInfo domain: what a test signals to freeze a "computer".
 */
export async function browserPids(browser: Browser): Promise<number[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ id: number; type: string }> };
    return processInfo.map((p) => p.id);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
