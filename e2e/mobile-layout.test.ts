// Every page fits a 390 px phone: no horizontal scrolling, signed out and signed in with data
// (a judged deployment with hints and charts, one still observing), in English and German.
// Something a few pixels too wide (a long word, a table, a chart's fixed size) would make the
// whole page pan sideways.
import { randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsApp } from "../scripts/lib/metrics-app.mjs";
import { setPlan, signUp } from "./accounts";
import { baseUrl, launchBrowser, ownClientAddress, saveScreenshot } from "./browser";
import { ciCall, degraded, deployToVerdict, healthy, programApp } from "./dashboard-data";

const PHONE_WIDTH = 390;

let browser: Browser;
let app: { url: string; close: () => Promise<void> };
let signedIn: BrowserContext;
let signedOut: BrowserContext;
const ids = { project: "", judged: "" };

const url = (path: string) => `${baseUrl()}${path}`;

beforeAll(async () => {
  app = await startMetricsApp();
  browser = await launchBrowser();
  const phone = { viewport: { width: PHONE_WIDTH, height: 844 }, locale: "en-US", isMobile: true };
  signedIn = await browser.newContext({ ...phone, extraHTTPHeaders: ownClientAddress() });
  signedOut = await browser.newContext({ ...phone, extraHTTPHeaders: ownClientAddress() });
  const request = signedIn.request;
  await signUp(request, baseUrl(), {
    email: `phone-${randomUUID().slice(0, 8)}@example.com`,
    name: "Katherine Johnson",
    locale: "en",
  });
  const appName = `phone-${randomUUID().slice(0, 8)}`;
  const created = await request.post(url("/api/projects"), {
    data: {
      name: "Checkout API",
      description: "Payments and orders",
      observationWindowMinutes: 2,
      metricsEndpoint: `${app.url}/apps/${appName}/seqpulse-metrics`,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { project, apiKey } = (await created.json()) as { project: { id: string }; apiKey: string };
  ids.project = project.id;
  // Two environments of its own: a plan above free.
  await setPlan(project.id, "pro");
  const envs = await request.patch(url(`/api/projects/${project.id}`), {
    data: { envs: ["production", "staging"] },
  });
  expect(envs.status(), await envs.text()).toBe(200);
  const tested = await request.post(url(`/api/projects/${project.id}/endpoint/test`), { data: {} });
  expect(tested.status(), await tested.text()).toBe(200);
  ids.judged = await deployToVerdict({
    request,
    baseUrl: baseUrl(),
    appUrl: app.url,
    appName,
    apiKey,
    env: "production",
    branch: "release/2024-11-checkout-rewrite",
    commitSha: randomUUID().replaceAll("-", "").slice(0, 40),
    windowMinutes: 2,
    baseline: healthy,
    post: [degraded, { ...degraded, latency_p95: 1250 }],
  });
  // One still observing: its verdict is pending.
  await programApp(app.url, appName, [{ metrics: healthy }]);
  await ciCall(
    { url: url("/deployments/trigger"), body: { env: "staging", branch: "main", commit_sha: "9c1d2e3f" } },
    apiKey,
  );
}, 240_000);

afterAll(async () => {
  await signedIn?.close();
  await signedOut?.close();
  await browser?.close();
  await app?.close();
});

/** The page's width once its islands have drawn (charts load after the first render). */
async function scrollWidthOf(page: Page, path: string): Promise<number> {
  await page.goto(url(path), { waitUntil: "networkidle" });
  await page.locator("h1").first().waitFor();
  // uPlot is imported lazily and draws on the next frames.
  await page.waitForTimeout(300);
  return page.evaluate(() => document.documentElement.scrollWidth);
}

function signedInPaths(prefix: string) {
  return [
    `${prefix}/`,
    `${prefix}/deployments/`,
    `${prefix}/deployments/view/?id=${ids.judged}`,
    `${prefix}/hints/`,
    `${prefix}/projects/`,
    `${prefix}/projects/view/?id=${ids.project}`,
    `${prefix}/projects/view/?id=${ids.project}&tab=integration`,
    `${prefix}/projects/view/?id=${ids.project}&tab=settings`,
    `${prefix}/settings/`,
    `${prefix}/settings/security/`,
  ];
}

describe.each([
  ["English", ""],
  ["German", "/de"],
])("at 390 px, in %s", (language, prefix) => {
  it("no signed-in page scrolls sideways", async () => {
    const page = await signedIn.newPage();
    const widths: Record<string, number> = {};
    for (const path of signedInPaths(prefix)) widths[path] = await scrollWidthOf(page, path);
    await scrollWidthOf(page, `${prefix}/`);
    await saveScreenshot(page, `phone-overview-${language.toLowerCase()}`);
    await scrollWidthOf(page, `${prefix}/deployments/view/?id=${ids.judged}`);
    await saveScreenshot(page, `phone-deployment-${language.toLowerCase()}`);
    await page.close();
    const tooWide = Object.entries(widths).filter(([, width]) => width > PHONE_WIDTH);
    expect(tooWide).toEqual([]);
  });

  it("no signed-out page scrolls sideways", async () => {
    const page = await signedOut.newPage();
    const widths: Record<string, number> = {};
    for (const path of [`${prefix}/`, `${prefix}/signin/`, `${prefix}/signup/`, `${prefix}/no-such-page`]) {
      await page.goto(url(path), { waitUntil: "networkidle" });
      widths[path] = await page.evaluate(() => document.documentElement.scrollWidth);
    }
    await page.close();
    const tooWide = Object.entries(widths).filter(([, width]) => width > PHONE_WIDTH);
    expect(tooWide).toEqual([]);
  });
});
