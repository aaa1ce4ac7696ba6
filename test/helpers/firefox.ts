import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startXvfb } from './xvfb.js';

/** Debian's Firefox ESR, or the one FIREFOX_PATH names. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Firefox driven over WebDriver BiDi (puppeteer-core), on an X server of its own: headless Firefox
 * has no screen to share. The two prefs make getDisplayMedia return the X screen without a picker
 * and without a permission prompt, as the Chromium tests' fake-UI flag does.
 */
export async function launchFirefox(): Promise<{ browser: Browser; newPage(): Promise<Page>; close(): Promise<void> }> {
  const xvfb = await startXvfb();
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: false,
      // The suite runs the container test beside it: a first Firefox start can take longer than puppeteer's 30 s.
      timeout: 120_000,
      env: { ...process.env, DISPLAY: xvfb.display, MOZ_CRASHREPORTER_DISABLE: '1' },
      extraPrefsFirefox: {
        'media.navigator.permission.disabled': true,
        'media.navigator.streams.fake': true,
        // Off the (closed) network: no updates, telemetry or first-run pages.
        'app.update.enabled': false,
        'browser.shell.checkDefaultBrowser': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'toolkit.telemetry.enabled': false,
      },
    });
  } catch (err) {
    await xvfb.stop();
    throw err;
  }
  return {
    browser,
    newPage: async () => {
      const page = await browser.newPage();
      page.on('pageerror', (err) => console.error(`[firefox page error] ${String(err)}`));
      return page;
    },
    close: async () => {
      await browser.close().catch(() => undefined);
      await xvfb.stop();
    },
  };
}

/**
 * Waits for `selector` by polling (puppeteer's waitForSelector builds a function in the page,
 * which the pages' CSP forbids: no 'unsafe-eval'). With `text`, until its text matches too.
 */
export async function waitForSelector(page: Page, selector: string, options: { timeout?: number; text?: RegExp } = {}): Promise<void> {
  const deadline = Date.now() + (options.timeout ?? 10_000);
  for (;;) {
    const text = await page.$eval(selector, (el) => el.textContent ?? '').catch(() => null);
    if (text !== null && (!options.text || options.text.test(text))) return;
    if (Date.now() > deadline) throw new Error(`no ${selector}${options.text ? ` matching ${options.text}` : ''} within ${options.timeout ?? 10_000} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
