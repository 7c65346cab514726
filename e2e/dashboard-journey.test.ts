// The dashboard end to end, as a new user would go through it: sign up, create a project that
// points at a stand-in application (running in this process, on loopback like the stack), test
// and activate its endpoint, take the curl snippet from the Integration tab and run the
// deployment it describes, then read the verdict, the charts and the hints, in English and in
// Spanish.
import { randomUUID } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsApp } from "../scripts/lib/metrics-app.mjs";
import { renderLocalizedText } from "../worker/features/analysis/messages";
import { newEmail, submitSignUpForm } from "./accounts";
import {
  baseUrl,
  htmlLang,
  launchBrowser,
  newDesktopContext,
  saveScreenshot,
  watchPageErrors,
} from "./browser";
import { ciCall, degraded, healthy, observeUntilVerdict, programApp } from "./dashboard-data";

let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let app: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  app = await startMetricsApp();
  browser = await launchBrowser();
  context = await newDesktopContext(browser);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl() });
  page = await context.newPage();
  pageErrors = watchPageErrors(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
});

const url = (path: string) => `${baseUrl()}${path}`;

/** The two calls of the curl snippet, as a pipeline would run them. */
function parseCurlSnippet(snippet: string) {
  const trigger = /"(https?:\/\/[^"\s]+\/deployments\/trigger)"/.exec(snippet)?.[1];
  const finish = /"(https?:\/\/[^"\s]+\/deployments\/finish)"/.exec(snippet)?.[1];
  const triggerBody = /-d '(\{"env".*\})'/.exec(snippet)?.[1];
  expect(trigger, snippet).toBeDefined();
  expect(finish, snippet).toBeDefined();
  expect(triggerBody, snippet).toBeDefined();
  expect(snippet).toContain('-H "X-API-Key: $SEQPULSE_API_KEY"');
  // What the shell substitutes: the commit being deployed.
  const body = JSON.parse(triggerBody!.replace(`'"$(git rev-parse HEAD)"'`, "4f2a9c1e0b7d3a56")) as Record<
    string,
    unknown
  >;
  return { trigger: trigger!, finish: finish!, body };
}

describe("the dashboard journey", () => {
  it("goes from sign-up to a translated verdict with charts and hints", async () => {
    const email = newEmail("journey");
    const appName = `journey-${randomUUID().slice(0, 8)}`;
    const endpoint = `${app.url}/apps/${appName}/seqpulse-metrics`;

    // Sign up through the page: lands on the overview, which has nothing yet.
    await page.goto(url("/signup/"));
    await submitSignUpForm(page, { email, name: "Grace Hopper" });
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    await page.getByText("No deployments in the last 7 days").waitFor();
    expect(await page.locator("#public-intro").count()).toBe(0);

    // Create the project: the form opens by itself for a first project.
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Projects" }).click();
    await page.waitForURL(url("/projects/"));
    await page.getByLabel("Name", { exact: true }).fill("Checkout API");
    // A new project is on the free plan: its one environment is given, and the field says why.
    const envs = page.getByLabel("Environments");
    expect(await envs.inputValue()).toBe("prod");
    expect(await envs.isDisabled()).toBe(true);
    await page.getByLabel("Metrics endpoint (optional)").fill(endpoint);
    await page.getByLabel("Observation window (minutes)").fill("1");
    await page.getByRole("button", { name: "Create the project" }).click();
    const apiKey = (await page.getByTestId("api-key").innerText()).trim();
    expect(apiKey).toMatch(/^sp_/);

    // Integration: the endpoint must be tested first; Settings does it.
    await Promise.all([
      page.waitForURL(/\/projects\/view\/\?id=.+&tab=integration$/),
      page.getByTestId("continue-to-integration").click(),
    ]);
    const projectId = new URL(page.url()).searchParams.get("id")!;
    await page.getByText("Endpoint not tested").first().waitFor();
    await page.getByRole("button", { name: "Test the endpoint in Settings" }).click();
    expect(await page.getByRole("tab", { name: "Settings" }).getAttribute("aria-selected")).toBe("true");
    expect(page.url()).toBe(url(`/projects/view/?id=${projectId}&tab=settings`));
    await page.getByRole("button", { name: "Test & activate" }).click();
    await page.getByText("The endpoint answered correctly: it is active.").waitFor();

    // The curl snippet, copied from the page.
    await page.getByRole("tab", { name: "Integration" }).click();
    const curlBlock = page.locator("figure", { has: page.getByTestId("snippet-curl") });
    await curlBlock.getByRole("button", { name: "Copy" }).click();
    await curlBlock.getByText("Copied.").waitFor();
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    expect(snippet).toBe(await page.getByTestId("snippet-curl").innerText());
    const calls = parseCurlSnippet(snippet);
    expect(calls.trigger).toBe(url("/deployments/trigger"));
    expect(calls.body).toMatchObject({ env: "prod", branch: "main" });

    // Run the deployment the snippet describes: a baseline, then a bad minute.
    await programApp(app.url, appName, [{ metrics: healthy }, { metrics: degraded }]);
    const { deployment_id: deploymentId } = await ciCall<{ deployment_id: string }>(
      { url: calls.trigger, body: calls.body },
      apiKey,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await ciCall({ url: calls.finish, body: { deployment_id: deploymentId, result: "success" } }, apiKey);
    const analyzed = await observeUntilVerdict(context.request, baseUrl(), deploymentId, Date.now(), 1);
    expect(analyzed.verdict.verdict).toBe("rollback_recommended");

    // The deployment page: verdict first, then hints and one chart per metric.
    await page.goto(url(`/deployments/view/?id=${deploymentId}`));
    const verdict = page.getByTestId("verdict-panel");
    await verdict.getByText("Rollback recommended", { exact: true }).waitFor();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Deployment #1");
    expect(await verdict.innerText()).toMatch(/Confidence \d+%/);
    const hints = page.locator("section[aria-labelledby=hints-title] article");
    expect(await hints.count()).toBeGreaterThan(0);
    expect(await hints.first().innerText()).toContain("Suggested actions");
    const charts = page.locator("figure[data-metric]");
    expect(await charts.count()).toBe(5);
    await page.locator("figure[data-metric=latency_p95] canvas").first().waitFor();
    // The line the default judge compared with: above the 180 ms baseline, under the 460 ms sample.
    expect(await page.locator("figure[data-metric=latency_p95] figcaption").innerText()).toMatch(
      /1 of 1 samples after the deploy above \d+ ms \(peak 460 ms, baseline 180 ms\)/,
    );
    await saveScreenshot(page, "journey-deployment-en");

    // The same page in Spanish: words, dates and numbers.
    const detail = (await (await context.request.get(url(`/api/deployments/${deploymentId}`))).json()) as {
      deployment: {
        startedAt: string;
        hints: Array<{ title: { code: string; params: Record<string, string | number>; text: string } }>;
      };
    };
    await Promise.all([
      page.waitForURL(url(`/es/deployments/view/?id=${deploymentId}`)),
      page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "Español" }).click(),
    ]);
    expect(await htmlLang(page)).toBe("es");
    await page.getByTestId("verdict-panel").getByText("Reversión recomendada", { exact: true }).waitFor();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Despliegue n.º 1");
    expect(await page.getByTestId("verdict-panel").innerText()).toMatch(/Confianza \d+\s%/);
    const spanishTitle = renderLocalizedText(detail.deployment.hints[0]!.title as never, "es");
    expect(spanishTitle).not.toBe(detail.deployment.hints[0]!.title.text);
    await page.getByText(spanishTitle).first().waitFor();
    const started = new Intl.DateTimeFormat("es", { dateStyle: "medium", timeStyle: "short" }).format(
      new Date(detail.deployment.startedAt),
    );
    expect(await page.locator("section[aria-labelledby=facts-title]").innerText()).toContain(started);
    // 0.045 as a Spanish percentage: a comma, and a space before the sign.
    expect(await page.locator("figure[data-metric=error_rate] figcaption").innerText()).toMatch(/4,5\s%/);
    await saveScreenshot(page, "journey-deployment-es");

    expect(pageErrors).toEqual([]);
  }, 180_000);

  it("manages a project's secrets, window and deletion from its Settings tab", async () => {
    await page.goto(url("/projects/"));
    await page.getByRole("button", { name: "New project" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Throwaway");
    await page.getByRole("button", { name: "Create the project" }).click();
    const firstKey = (await page.getByTestId("api-key").innerText()).trim();
    await Promise.all([
      page.waitForURL(/tab=integration$/),
      page.getByTestId("continue-to-integration").click(),
    ]);
    await page.getByRole("tab", { name: "Integration" }).focus();
    // Arrow keys move between the tabs (ARIA tabs pattern).
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("tab", { name: "Settings" }).getAttribute("aria-selected")).toBe("true");

    // HMAC: on (secret shown once), rotated (another one), off after confirming.
    await page.getByRole("button", { name: "Turn signing on" }).click();
    const secret = (await page.getByTestId("hmac-secret").innerText()).trim();
    expect(secret).toMatch(/^spm_/);
    await page.getByRole("button", { name: "Rotate the secret" }).click();
    await expect
      .poll(async () => (await page.getByTestId("hmac-secret").innerText()).trim())
      .not.toBe(secret);
    expect(await page.getByText(/The previous secret is still accepted until/).count()).toBe(1);
    await page.getByRole("button", { name: "Turn signing off" }).click();
    await page.getByRole("button", { name: "Yes, turn signing off" }).click();
    await page.getByText("Signing is off.").waitFor();

    // Observation window (its form's Save: the Slack section has one too).
    const windowForm = page.locator("section[aria-labelledby=window-title]");
    await page.getByLabel("Minutes (1 to 60)").fill("61");
    await windowForm.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("A whole number of minutes from 1 to 60.").waitFor();
    await page.getByLabel("Minutes (1 to 60)").fill("5");
    await windowForm.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved.").waitFor();

    // API key: the new one is shown once and the old one stops working at once.
    await page.getByRole("button", { name: "Rotate the key" }).click();
    await page.getByRole("button", { name: "Yes, rotate now" }).click();
    const secondKey = (await page.getByTestId("api-key").innerText()).trim();
    expect(secondKey).toMatch(/^sp_/);
    expect(secondKey).not.toBe(firstKey);
    const refused = await fetch(url("/deployments/trigger"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": firstKey },
      body: JSON.stringify({ env: "prod" }),
    });
    expect(refused.status).toBe(401);

    // Deleting needs the exact name.
    const remove = page.getByRole("button", { name: "Delete the project" });
    expect(await remove.isDisabled()).toBe(true);
    await page.getByLabel("Type Throwaway to confirm").fill("Throwaway");
    await Promise.all([page.waitForURL(url("/projects/")), remove.click()]);
    await page.getByRole("heading", { name: "Checkout API" }).waitFor();
    expect(await page.getByRole("heading", { name: "Throwaway" }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("keeps the theme and changes the name and the language from /settings/", async () => {
    await page.goto(url("/settings/"));
    await page.getByLabel("Dark").check();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    expect(await page.getByLabel("Dark").isChecked()).toBe(true);
    await page.getByLabel("Like the system").check();

    await page.getByLabel("Name", { exact: true }).fill("Grace B. Hopper");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved.").waitFor();

    await page.getByRole("combobox", { name: "Language" }).selectOption("fr");
    await Promise.all([
      page.waitForURL(url("/fr/settings/")),
      page.getByRole("button", { name: "Change the language" }).click(),
    ]);
    expect(await htmlLang(page)).toBe("fr");
    await page.getByRole("heading", { name: "Paramètres", level: 1 }).waitFor();
    expect(await page.getByLabel("Nom", { exact: true }).inputValue()).toBe("Grace B. Hopper");
    expect(pageErrors).toEqual([]);
  });
});
