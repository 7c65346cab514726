// Mail as a person meets it: the welcome mail in the local mailbox, a deployment alert with its
// unsubscribe link (opening it changes nothing; one click does), and the switches on the
// settings page.
import { randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsApp } from "../scripts/lib/metrics-app.mjs";
import { signUp } from "./accounts";
import { baseUrl, launchBrowser, mailboxUrl, newDesktopContext, watchPageErrors } from "./browser";
import { degraded, deployToVerdict, fireSweep, healthy, programApp } from "./dashboard-data";
import { linkIn, waitForMail } from "./mailbox";

let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let app: { url: string; close: () => Promise<void> };
const appName = `mail-${randomUUID().slice(0, 8)}`;
const email = `mail-${randomUUID().slice(0, 8)}@example.com`;

const url = (path: string) => `${baseUrl()}${path}`;

/** Axe violations of the open page, in light and in dark (as e2e/quality.test.ts checks pages). */
async function axeViolations(): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).analyze();
    for (const violation of results.violations)
      found.push(
        `${colorScheme}: ${violation.id} ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
      );
  }
  await page.emulateMedia({ colorScheme: "light" });
  return found;
}

async function preferences() {
  const response = await context.request.get(url("/api/account/email-preferences"));
  expect(response.status()).toBe(200);
  return ((await response.json()) as { preferences: { product: boolean; alerts: boolean } }).preferences;
}

beforeAll(async () => {
  app = await startMetricsApp();
  browser = await launchBrowser();
  context = await newDesktopContext(browser);
  page = await context.newPage();
  pageErrors = watchPageErrors(page);
  await signUp(context.request, baseUrl(), { email, name: "Grace Hopper", locale: "en" });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
});

describe("mail", () => {
  it("welcomes a new account, readable in the local mailbox", async () => {
    await fireSweep(baseUrl(), Date.now());
    const welcome = await waitForMail(email, /^Welcome to SeqPulse/);
    expect(welcome.text).toContain("Hi Grace,");
    expect(linkIn(welcome, "/projects/")).toBe(url("/projects/"));
    await page.goto(mailboxUrl());
    // Other accounts' welcome mails share the subject: open this one's row.
    await page.locator(`a[href="/mails/${encodeURIComponent(welcome.id)}"]`).click();
    await page.getByRole("heading", { name: welcome.subject }).waitFor();
    const body = page.frameLocator("iframe[title='HTML body']");
    await body.getByText("Hi Grace,").waitFor();
  });

  it("alerts on a regressed deployment; its unsubscribe link needs one click, and settings show it", async () => {
    await programApp(app.url, appName, [{ metrics: healthy }]);
    const created = await context.request.post(url("/api/projects"), {
      data: {
        name: "Payments <beta>",
        envs: ["prod"],
        observationWindowMinutes: 1,
        metricsEndpoint: `${app.url}/apps/${appName}/seqpulse-metrics`,
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const project = (await created.json()) as { project: { id: string }; apiKey: string };
    const tested = await context.request.post(url(`/api/projects/${project.project.id}/endpoint/test`), {
      data: {},
    });
    expect(tested.status()).toBe(200);
    const deploymentId = await deployToVerdict({
      request: context.request,
      baseUrl: baseUrl(),
      appUrl: app.url,
      appName,
      apiKey: project.apiKey,
      env: "prod",
      branch: "main",
      commitSha: "c0ffee00",
      windowMinutes: 1,
      baseline: healthy,
      post: [degraded],
    });
    await fireSweep(baseUrl(), Date.now() + 10 * 60_000);
    const alert = await waitForMail(email, /^Alert: Payments <beta> \(prod\)/);
    expect(alert.html).toContain("Payments &lt;beta&gt;");
    expect(linkIn(alert, "/deployments/view/")).toBe(url(`/deployments/view/?id=${deploymentId}`));
    expect(alert.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");

    // Opening the link (as a mail scanner would) changes nothing.
    await page.goto(linkIn(alert, "/unsubscribe/"));
    await page.getByRole("heading", { name: "Unsubscribe" }).waitFor();
    await page.waitForLoadState("networkidle");
    expect(await axeViolations()).toEqual([]);
    expect(await preferences()).toEqual({ product: true, alerts: true });
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await page.getByText("Done: you will no longer receive deployment alerts.").waitFor();
    expect(await preferences()).toEqual({ product: true, alerts: false });

    await page.getByRole("link", { name: "Email preferences in the settings" }).click();
    const product = page.getByRole("checkbox", { name: /Product mail/ });
    const alerts = page.getByRole("checkbox", { name: /Deployment alerts/ });
    await alerts.waitFor();
    expect(await alerts.isChecked()).toBe(false);
    expect(await product.isChecked()).toBe(true);
    await page.waitForLoadState("networkidle");
    expect(await axeViolations()).toEqual([]);
    await product.uncheck();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await page.reload();
    await alerts.waitFor();
    expect(await product.isChecked()).toBe(false);
    expect(await preferences()).toEqual({ product: false, alerts: false });
    expect(pageErrors).toEqual([]);
  });
});
