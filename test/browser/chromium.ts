/**
 * Debian's headless Chromium driven by playwright-core, and where the
 * screenshots go. No browser is downloaded: without /usr/bin/chromium the
 * browser tests are skipped with the reason printed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

export const CHROMIUM_PATH = process.env.STETPAY_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `${CHROMIUM_PATH} is absent: install Debian's chromium (apt-get install chromium; .ci/run does) or set STETPAY_CHROMIUM to a Chromium binary`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Screenshots of the run: STETPAY_SCREENSHOT_DIR, else `<OS temp>/stetpay-browser-test`
 * (a fixed place so a person can look after the run; each run overwrites the files).
 */
export function screenshotDir(): string {
  const dir = process.env.STETPAY_SCREENSHOT_DIR ?? join(tmpdir(), 'stetpay-browser-test');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The browser of one suite: the contexts opened through it close with it. */
export class SuiteBrowser {
  private browser?: Browser;
  private readonly contexts: BrowserContext[] = [];

  async start(): Promise<void> {
    this.browser = await launchChromium();
  }

  /** A new context (test certificates accepted). */
  async context(opts: BrowserContextOptions = {}): Promise<BrowserContext> {
    const ctx = await this.browser!.newContext({ ignoreHTTPSErrors: true, ...opts });
    this.contexts.push(ctx);
    return ctx;
  }

  async close(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
    await this.browser?.close().catch(() => undefined);
  }
}
