// A project renamed and its environments changed from the settings tab: mistakes explained
// beside their field before anything is sent, the change saved, shown and kept; in German too.
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setPlan, signUp } from "./accounts";
import { baseUrl, launchBrowser, newDesktopContext, screenshotsDir, watchPageErrors } from "./browser";

let browser: Browser;
let context: BrowserContext;
let page: Page;
let pageErrors: string[];
let projectId = "";

const url = (path: string) => `${baseUrl()}${path}`;

async function screenshotPath(name: string): Promise<string> {
  await mkdir(screenshotsDir, { recursive: true });
  return join(screenshotsDir, `${name}.png`);
}

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newDesktopContext(browser);
  await signUp(context.request, baseUrl(), {
    email: `rename-${randomUUID().slice(0, 8)}@example.com`,
    name: "Barbara Liskov",
    locale: "en",
  });
  const created = await context.request.post(url("/api/projects"), {
    data: { name: "Checkout API", observationWindowMinutes: 5 },
  });
  expect(created.status(), await created.text()).toBe(201);
  projectId = ((await created.json()) as { project: { id: string } }).project.id;
  // Environments of its own to edit: a plan above free.
  await setPlan(projectId, "pro");
  const envs = await context.request.patch(url(`/api/projects/${projectId}`), {
    data: { envs: ["prod", "staging"] },
  });
  expect(envs.status(), await envs.text()).toBe(200);
  page = await context.newPage();
  pageErrors = watchPageErrors(page);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe("project settings: name and environments", () => {
  it("explains invalid values, then renames the project and changes its environments", async () => {
    await page.goto(url(`/projects/view/?id=${projectId}&tab=settings`));
    const section = page.locator("section", {
      has: page.getByRole("heading", { name: "Name and environments" }),
    });
    const name = section.getByLabel("Name", { exact: true });
    const envs = section.getByLabel("Environments");
    await name.waitFor();
    expect(await name.inputValue()).toBe("Checkout API");
    expect(await envs.inputValue()).toBe("prod, staging");

    await name.fill("  ");
    await envs.fill("Prod, canary");
    await section.getByRole("button", { name: "Save name and environments" }).click();
    await section.getByText("Enter a name.").waitFor();
    await section
      .getByText("Use lower-case letters, digits, - and _, starting with a letter or digit.")
      .waitFor();
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    expect(await name.evaluate((element) => element === document.activeElement)).toBe(true);

    await name.fill("Checkout API v2");
    await envs.fill("prod, canary");
    await section
      .getByTestId("removed-envs")
      .getByText("No longer listed: staging.", { exact: false })
      .waitFor();
    await section.getByRole("button", { name: "Save name and environments" }).click();
    await section.getByRole("status").getByText("Saved").waitFor();
    expect(await section.getByText("Enter a name.").count()).toBe(0);
    await page.getByRole("heading", { level: 1, name: "Checkout API v2" }).waitFor();
    await section.screenshot({ path: await screenshotPath("project-settings-details") });

    const stored = await context.request.get(url(`/api/projects/${projectId}`));
    const { project } = (await stored.json()) as { project: { name: string; envs: string[] } };
    expect(project).toMatchObject({ name: "Checkout API v2", envs: ["prod", "canary"] });

    await page.reload();
    await name.waitFor();
    expect(await name.inputValue()).toBe("Checkout API v2");
    expect(await envs.inputValue()).toBe("prod, canary");
    expect(pageErrors).toEqual([]);
  });

  it("speaks German", async () => {
    await page.goto(url(`/de/projects/view/?id=${projectId}&tab=settings`));
    const section = page.locator("section", {
      has: page.getByRole("heading", { name: "Name und Umgebungen" }),
    });
    const envs = section.getByLabel("Umgebungen");
    await envs.waitFor();
    await envs.fill("prod prod");
    await section.getByRole("button", { name: "Name und Umgebungen speichern" }).click();
    expect(await section.locator("[aria-invalid=true]").count()).toBe(1);
    expect(await section.locator("#details-envs-error").innerText()).not.toBe("");
    expect(pageErrors).toEqual([]);
  });
});

describe("the project's plan", () => {
  it("shows the plan, this month's usage and the limits; on free, the environments are greyed and the window capped", async () => {
    await page.goto(url(`/projects/view/?id=${projectId}`));
    const card = page.getByTestId("plan-card");
    await card.getByText("Pro plan").waitFor();
    expect(await card.getByTestId("plan-usage").innerText()).toBe(
      "0 deployments this month, no monthly limit",
    );
    await card.getByText("Up to 60 min").waitFor();

    await setPlan(projectId, "free");
    await page.reload();
    await card.getByText("Free plan").waitFor();
    expect(await card.getByTestId("plan-usage").innerText()).toBe("0 / 50 deployments this month");
    await card.getByText("prod only").waitFor();
    await card.screenshot({ path: await screenshotPath("project-plan-card") });

    await page.goto(url(`/projects/view/?id=${projectId}&tab=settings`));
    const envs = page.getByLabel("Environments");
    await envs.waitFor();
    expect(await envs.isDisabled()).toBe(true);
    await page.getByText("The Free plan records every deployment in prod").waitFor();
    await page.getByTestId("window-plan-note").getByText("The Free plan allows up to 5 minutes.").waitFor();
    expect(pageErrors).toEqual([]);
  });
});
