// Slack set up from a project's settings tab: mistakes explained beside their field before
// anything is sent, the webhook and bot token saved and shown back masked (the token as "set",
// never in the page), turned off and on, then removed. No message is sent: the test message and
// the deliveries are covered against the Slack stand-in in worker/features/slack/*.test.ts.
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
const webhookUrl = "https://hooks.slack.com/services/T0E2ETEST/B0E2ETEST/e2eSecretPart9876wxyz";
const botToken = "xoxb-1111111111-2222222222-e2eBotTokenSecret";

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newDesktopContext(browser);
  await signUp(context.request, baseUrl(), {
    email: `slack-${randomUUID().slice(0, 8)}@example.com`,
    name: "Grace Hopper",
    locale: "en",
  });
  const created = await context.request.post(url("/api/projects"), { data: { name: "Billing API" } });
  expect(created.status(), await created.text()).toBe(201);
  projectId = ((await created.json()) as { project: { id: string } }).project.id;
  // Slack is part of the pro and enterprise plans.
  await setPlan(projectId, "pro");
  page = await context.newPage();
  pageErrors = watchPageErrors(page);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe("project settings: Slack", () => {
  it("explains mistakes, saves the secrets masked, turns Slack off and on, and removes it", async () => {
    await page.goto(url(`/projects/view/?id=${projectId}&tab=settings`));
    const section = page.locator("section", {
      has: page.getByRole("heading", { name: "Slack", exact: true }),
    });
    await section.getByText("Slack is not set up for this project.").waitFor();

    const webhook = section.getByLabel("Incoming webhook URL");
    await webhook.fill("https://example.com/hook");
    await section.getByLabel("Bot token (optional)").fill("xoxp-not-a-bot-token");
    await section.getByRole("button", { name: "Save" }).click();
    await section.getByText("Enter a URL that starts with https://hooks.slack.com/services/.").waitFor();
    await section.getByText("Enter a bot token (xoxb-…).").waitFor();
    expect(await webhook.getAttribute("aria-invalid")).toBe("true");

    await webhook.fill(webhookUrl);
    await section.getByLabel("Webhook channel (optional)").fill("#deploys");
    await section.getByLabel("Bot token (optional)").fill(botToken);
    await section.getByLabel("Bot channel id").fill("C0E2ETEST01");
    await section.getByRole("button", { name: "Save" }).click();
    await section.getByRole("status").getByText("Saved").waitFor();
    const status = section.getByTestId("slack-status");
    await status.getByText("https://hooks.slack.com/services/T0E2ETEST/B0E2ETEST/••••wxyz").waitFor();
    await status.getByText("Bot token set", { exact: false }).waitFor();
    await status.getByText("bot (one message, updated in place)", { exact: false }).waitFor();
    // The secrets are never answered back: the fields are empty again, nothing in the page.
    expect(await webhook.inputValue()).toBe("");
    await mkdir(screenshotsDir, { recursive: true });
    await section.screenshot({ path: join(screenshotsDir, "project-settings-slack.png") });
    const html = await page.content();
    expect(html).not.toContain("e2eSecretPart9876");
    expect(html).not.toContain("e2eBotTokenSecret");

    await section.getByRole("button", { name: "Turn off" }).click();
    await status.getByText("Off", { exact: true }).waitFor();
    await section.getByRole("button", { name: "Turn on" }).click();
    await status.getByText("On", { exact: true }).waitFor();

    await page.reload();
    await status.getByText("https://hooks.slack.com/services/T0E2ETEST/B0E2ETEST/••••wxyz").waitFor();

    await section.getByRole("button", { name: "Remove Slack" }).click();
    await section.getByRole("button", { name: "Yes, remove Slack" }).click();
    await section.getByText("Slack is not set up for this project.").waitFor();
    const stored = await context.request.get(url(`/api/projects/${projectId}/slack`));
    expect(await stored.json()).toEqual({ slack: null });
    expect(pageErrors).toEqual([]);
  });
});
