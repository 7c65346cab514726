// The deployment page's verdict panel: cancelling a deployment stuck in progress (with its
// confirm step), and what an ok verdict means after a failed pipeline.
import { randomUUID } from "node:crypto";
import type { APIRequestContext, Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsApp } from "../scripts/lib/metrics-app.mjs";
import { signUp } from "./accounts";
import { baseUrl, launchBrowser, newDesktopContext, watchPageErrors } from "./browser";
import { ciCall, deployToVerdict, healthy, programApp } from "./dashboard-data";

let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let app: { url: string; close: () => Promise<void> };
let project: { id: string; apiKey: string };
const appName = `actions-${randomUUID().slice(0, 8)}`;

const url = (path: string) => `${baseUrl()}${path}`;

async function createProject(request: APIRequestContext) {
  const created = await request.post(url("/api/projects"), {
    data: {
      name: "Cart",
      envs: ["prod"],
      observationWindowMinutes: 1,
      metricsEndpoint: `${app.url}/apps/${appName}/seqpulse-metrics`,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const body = (await created.json()) as { project: { id: string }; apiKey: string };
  const tested = await request.post(url(`/api/projects/${body.project.id}/endpoint/test`), { data: {} });
  expect(tested.status(), await tested.text()).toBe(200);
  return { id: body.project.id, apiKey: body.apiKey };
}

beforeAll(async () => {
  app = await startMetricsApp();
  browser = await launchBrowser();
  context = await newDesktopContext(browser);
  page = await context.newPage();
  pageErrors = watchPageErrors(page);
  await signUp(context.request, baseUrl(), {
    email: `actions-${randomUUID().slice(0, 8)}@example.com`,
    name: "Margaret Hamilton",
    locale: "en",
  });
  await programApp(app.url, appName, [{ metrics: healthy }]);
  project = await createProject(context.request);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
});

describe("the deployment page's verdict panel", () => {
  it("cancels a stuck deployment after a confirm step, and frees its environment", async () => {
    const trigger = { url: url("/deployments/trigger"), body: { env: "prod", branch: "stuck" } };
    const { deployment_id: id } = await ciCall<{ deployment_id: string }>(trigger, project.apiKey);

    await page.goto(url(`/deployments/view/?id=${id}`));
    const panel = page.getByTestId("verdict-panel");
    await panel.getByText("The deployment is in progress.").waitFor();
    await panel.getByRole("button", { name: "Cancel deployment" }).click();
    // The confirm step: keeping it running changes nothing.
    await panel.getByText(`Cancel deployment #1? Sampling stops`).waitFor();
    await panel.getByRole("button", { name: "Keep it running" }).click();
    await panel.getByRole("button", { name: "Cancel deployment" }).click();
    await panel.getByRole("button", { name: "Yes, cancel it" }).click();

    await panel.getByText("This deployment was cancelled.").waitFor();
    expect(await panel.locator("[data-verdict]").getAttribute("data-verdict")).toBe("cancelled");
    expect(await panel.getByRole("button", { name: "Cancel deployment" }).count()).toBe(0);
    expect(await page.locator("section[aria-labelledby=facts-title]").innerText()).toContain("Cancelled");

    // The environment takes the next trigger.
    const next = await ciCall<{ deployment_id: string }>(
      { url: trigger.url, body: { env: "prod", branch: "next" } },
      project.apiKey,
    );
    expect(next.deployment_id).not.toBe(id);
    await ciCall(
      { url: url("/deployments/finish"), body: { deployment_id: next.deployment_id, result: "success" } },
      project.apiKey,
    );
    expect(pageErrors).toEqual([]);
  });

  it("shows an ok after a failed pipeline as neutral, and says what it means", async () => {
    const id = await deployToVerdict({
      request: context.request,
      baseUrl: baseUrl(),
      appUrl: app.url,
      appName,
      apiKey: project.apiKey,
      env: "prod",
      branch: "broken-build",
      commitSha: "f00dfeed",
      windowMinutes: 1,
      baseline: healthy,
      post: [healthy],
      result: "failed",
    });
    await page.goto(url(`/deployments/view/?id=${id}`));
    const panel = page.getByTestId("verdict-panel");
    await panel.getByTestId("verdict-meaning").waitFor();
    expect(await panel.locator("[data-verdict]").getAttribute("data-verdict")).toBe("healthy_unchanged");
    expect(await panel.locator("[data-verdict]").innerText()).toBe("Metrics healthy");
    expect(await panel.getByTestId("verdict-meaning").innerText()).toContain(
      "Pipeline failed — the metrics after it look healthy (the previous version is probably still serving).",
    );
    expect(await panel.innerText()).toMatch(/Confidence \d+%/);

    // The list says the same, with a labelled confidence.
    await page.goto(url(`/deployments/?project=${project.id}`));
    const row = page.locator("tr", { has: page.getByRole("link", { name: /#\d+/ }) }).filter({
      hasText: "broken-build",
    });
    await row.locator("[data-verdict=healthy_unchanged]").waitFor();
    expect(await row.innerText()).toMatch(/Confidence \d+%/);
    expect(pageErrors).toEqual([]);
  });

  it("shows what the other judge would have said, takes a person's word on the verdict, and counts it on the project", async () => {
    const id = await deployToVerdict({
      request: context.request,
      baseUrl: baseUrl(),
      appUrl: app.url,
      appName,
      apiKey: project.apiKey,
      env: "prod",
      branch: "feedback",
      commitSha: "feedf00d",
      windowMinutes: 1,
      baseline: healthy,
      post: [healthy],
      result: "success",
    });
    await page.goto(url(`/deployments/view/?id=${id}`));
    const panel = page.getByTestId("verdict-panel");
    expect(await panel.getByTestId("shadow-verdict").innerText()).toMatch(
      /^The classic judge would have said: .+ \(confidence \d+\s?%\)$/,
    );

    const feedback = page.getByTestId("verdict-feedback");
    await feedback.getByText("Was this verdict right?").waitFor();
    await feedback.getByLabel(/Note/).fill("Checked the dashboards: the release was fine.");
    await feedback.getByRole("button", { name: "Yes, it was right" }).click();
    await feedback.getByText(/You marked this verdict as right/).waitFor();

    // Kept across a reload, and counted on the project's page.
    await page.reload();
    await page
      .getByTestId("verdict-feedback")
      .getByText(/You marked this verdict as right/)
      .waitFor();
    const saved = await context.request.get(url(`/api/deployments/${id}/feedback`));
    expect(await saved.json()).toMatchObject({
      feedback: { correct: true, note: "Checked the dashboards: the release was fine." },
    });
    await page.goto(url(`/projects/view/?id=${project.id}`));
    await page.getByText("1 of 1 marked verdicts were right").waitFor();
    expect(pageErrors).toEqual([]);
  });
});
