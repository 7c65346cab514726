// A deployment awaiting its verdict, watched in the browser: the detail page counts the samples
// as the sweeps take them and turns into the verdict by itself, and so does the list's row, with
// no reload; once the verdict is there, the page stops asking.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsApp } from "../scripts/lib/metrics-app.mjs";
import { signUp } from "./accounts";
import { baseUrl, launchBrowser, newDesktopContext, saveScreenshot, watchPageErrors } from "./browser";
import { ciCall, degraded, fireSweep, healthy, observeUntilVerdict, programApp } from "./dashboard-data";

const WINDOW_MINUTES = 2;

let browser: Browser;
let context: BrowserContext;
let app: { url: string; close: () => Promise<void> };
let apiKey = "";
const appName = `live-${randomUUID().slice(0, 8)}`;

const url = (path: string) => `${baseUrl()}${path}`;

beforeAll(async () => {
  app = await startMetricsApp();
  browser = await launchBrowser();
  context = await newDesktopContext(browser);
  await signUp(context.request, baseUrl(), {
    email: `live-${randomUUID().slice(0, 8)}@example.com`,
    name: "Edsger Dijkstra",
    locale: "en",
  });
  const created = await context.request.post(url("/api/projects"), {
    data: {
      name: "Live API",
      envs: ["prod"],
      observationWindowMinutes: WINDOW_MINUTES,
      metricsEndpoint: `${app.url}/apps/${appName}/seqpulse-metrics`,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const body = (await created.json()) as { project: { id: string }; apiKey: string };
  apiKey = body.apiKey;
  const tested = await context.request.post(url(`/api/projects/${body.project.id}/endpoint/test`), {
    data: {},
  });
  expect(tested.status(), await tested.text()).toBe(200);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
});

/** Triggers and finishes a deployment whose samples show a regression; no sweep runs yet. */
async function startObservedDeployment(): Promise<{ id: string; finishedAt: number }> {
  await programApp(app.url, appName, [{ metrics: healthy }, { metrics: degraded }]);
  const { deployment_id: id } = await ciCall<{ deployment_id: string }>(
    { url: url("/deployments/trigger"), body: { env: "prod", branch: "main", commit_sha: "5e6f7a8b" } },
    apiKey,
  );
  await sleep(500);
  await ciCall({ url: url("/deployments/finish"), body: { deployment_id: id, result: "success" } }, apiKey);
  return { id, finishedAt: Date.now() };
}

/** Marks the document: a reload would lose the mark. */
async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
}

async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);
}

describe("a deployment awaiting its verdict", () => {
  it("shows its samples coming in, then the verdict, on the detail page without a reload", async () => {
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    const { id, finishedAt } = await startObservedDeployment();
    const asked: number[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === `/api/deployments/${id}`) asked.push(Date.now());
    });

    await page.goto(url(`/deployments/view/?id=${id}`));
    const panel = page.getByTestId("verdict-panel");
    await panel.locator('[data-verdict="pending"]').waitFor();
    const progress = page.getByTestId("observation-progress");
    await progress.getByText(`0 of ${WINDOW_MINUTES} samples taken after the deploy.`).waitFor();
    await markDocument(page);

    // The first minute's sample: the page counts it within a poll.
    await fireSweep(baseUrl(), finishedAt + 1000);
    await progress
      .getByText(`1 of ${WINDOW_MINUTES} samples taken after the deploy.`)
      .waitFor({ timeout: 15_000 });
    expect(await page.getByRole("progressbar").getAttribute("aria-valuenow")).toBe("1");
    await saveScreenshot(page, "deployment-observing");
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((violation) => violation.id)).toEqual([]);

    // The rest of the window and the analysis: the verdict replaces the progress.
    const analyzed = await observeUntilVerdict(context.request, baseUrl(), id, finishedAt, WINDOW_MINUTES);
    expect(analyzed.verdict.verdict).toBe("rollback_recommended");
    await panel.locator('[data-verdict="rollback_recommended"]').waitFor({ timeout: 20_000 });
    expect(await progress.count()).toBe(0);
    expect(await stillSameDocument(page)).toBe(true);
    // The charts drew the samples that came in meanwhile.
    await page.locator('[data-metric="latency_p95"] canvas').first().waitFor();

    // Judged: nothing more is asked.
    const askedAtVerdict = asked.length;
    await sleep(16_000);
    expect(asked.length).toBe(askedAtVerdict);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("turns into its verdict in the deployments list without a reload", async () => {
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    const { id, finishedAt } = await startObservedDeployment();
    await page.goto(url("/deployments/"));
    const row = page.locator("tr", { has: page.locator(`a[href*="${id}"]`) });
    await row.locator('[data-verdict="pending"]').waitFor();
    await markDocument(page);

    await observeUntilVerdict(context.request, baseUrl(), id, finishedAt, WINDOW_MINUTES);
    await row.locator('[data-verdict="rollback_recommended"]').waitFor({ timeout: 20_000 });
    expect(await stillSameDocument(page)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
