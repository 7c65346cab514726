// Shared setup for browser tests: Debian's Chromium driven by playwright-core (no browser
// download works on these machines), against the stack whose URL the runner passes in.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const screenshotsDir = join(import.meta.dirname, "..", "test-results");

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) {
    throw new Error("E2E_BASE_URL is not set: run the browser tests with `npm run test:e2e`");
  }
  return url.replace(/\/$/, "");
}

/** The stack's local mailbox (scripts/lib/mail-standin.mjs), where every mail it sends lands. */
export function mailboxUrl(): string {
  const url = process.env.E2E_MAILBOX_URL;
  if (!url) throw new Error("E2E_MAILBOX_URL is not set: run the browser tests with `npm run test:e2e`");
  return url.replace(/\/$/, "");
}

/**
 * `launch` gives each browser a fresh temporary profile and deletes it on close (it refuses a
 * `--user-data-dir` argument), so no state leaks between runs.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Every page asks `GET /api/auth/me` for the header, and a signed-out visitor gets the 401 that
 * says so; Chromium logs every 4xx fetch as a console error. That one is expected.
 */
function isSignedOutProbe(message: ConsoleMessage): boolean {
  return (
    message.text().startsWith("Failed to load resource: the server responded with a status of 401") &&
    new URL(message.location().url).pathname === "/api/auth/me"
  );
}

/** Collects what would show up red in the console: script errors and CSP violations. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !isSignedOutProbe(message)) errors.push(`console: ${message.text()}`);
  });
  return errors;
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotsDir, { recursive: true });
  const path = join(screenshotsDir, `${name}.png`);
  // Finished transitions: right after emulateMedia, colours would be caught half-way.
  await page.screenshot({ path, fullPage: true, animations: "disabled" });
  return path;
}

export function htmlLang(page: Page): Promise<string> {
  return page.evaluate(() => document.documentElement.lang);
}

/**
 * Every browser test reaches the stack from 127.0.0.1, and the API limits sign-ups (and counts
 * failed sign-ins) per client address: one file's accounts would use up the next file's
 * allowance, and a sign-up in the browser would meet a 429. Local wrangler passes a client's
 * `CF-Connecting-IP` through, as Cloudflare's edge sets it, so each browser context gets an
 * address of its own, drawn from the benchmarking range 198.18.0.0/15.
 */
export function ownClientAddress(): Record<string, string> {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint8Array(2));
  return { "CF-Connecting-IP": `198.${18 + (a & 1)}.${b}.${1 + (a >> 1)}` };
}

/** A desktop window in English, with a client address of its own (see ownClientAddress). */
export function newDesktopContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    extraHTTPHeaders: ownClientAddress(),
    viewport: { width: 1280, height: 900 },
    locale: "en-US",
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** What watchPageErrors has collected on `page` so far. */
  pageErrors: string[];
}

/**
 * One browser for the test file, and a fresh context (with a client address of its own, see
 * ownClientAddress) and page for each test, closed after it. `onPage` receives each test's page
 * before the test's own `beforeEach` hooks run.
 */
export function pagePerTest(
  viewport: { width: number; height: number },
  onPage: (opened: OpenedPage) => void,
): void {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    if (!browser) throw new Error("the browser did not start");
    context = await browser.newContext({ extraHTTPHeaders: ownClientAddress(), viewport });
    const page = await context.newPage();
    onPage({ context, page, pageErrors: watchPageErrors(page) });
  });

  afterEach(async () => {
    await context?.close();
  });
}
