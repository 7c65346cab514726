// Accounts for the browser tests: the one password they all use, fresh addresses, sign-up
// through the API or through the page, and sign-in through the page.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { APIRequestContext, Page } from "playwright-core";
import { expect } from "vitest";
import { baseUrl, ownClientAddress } from "./browser";

export const PASSWORD = "plausible-walrus-cartography-42";

export const newEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`;

/** The API limits sign-ups per address per minute and every test comes from 127.0.0.1: wait when told. */
export async function signUp(
  request: APIRequestContext,
  baseUrl: string,
  fields: { email: string; name: string; locale: string },
): Promise<void> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const response = await request.post(`${baseUrl}/api/auth/signup`, {
      data: { ...fields, password: PASSWORD },
    });
    if (response.status() === 201) return;
    if (response.status() !== 429) throw new Error(`sign-up: ${response.status()} ${await response.text()}`);
    const wait = Number(response.headers()["retry-after"] ?? "30");
    await sleep((Number.isFinite(wait) ? wait + 1 : 31) * 1000);
  }
  throw new Error("sign-up: still rate limited");
}

/**
 * An account made through the API directly (no browser involved), from a client address of its
 * own: one attempt, which must succeed.
 */
export async function createAccount(fields: { email: string; name: string; locale: string }): Promise<void> {
  const response = await fetch(`${baseUrl()}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", ...ownClientAddress() },
    body: JSON.stringify({ ...fields, password: PASSWORD }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
}

/** Fills the open sign-up page and submits it; resolves once the overview it lands on is loading. */
export async function submitSignUpForm(page: Page, fields: { email: string; name: string }): Promise<void> {
  await page.getByLabel("Email", { exact: true }).fill(fields.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Name (optional)").fill(fields.name);
  await Promise.all([
    page.waitForURL(`${baseUrl()}/`),
    page.getByRole("button", { name: "Create account" }).click(),
  ]);
}

/** Fills the open sign-in page and submits it. */
export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/**
 * What an operator does (`npm run admin -- plan`): moves a project to another plan, with the
 * stack's operator token (scripts/test-e2e.mjs hands it over). New projects start free.
 */
export async function setPlan(projectId: string, plan: "free" | "pro" | "enterprise"): Promise<void> {
  const token = process.env.E2E_OPERATOR_TOKEN;
  if (!token) throw new Error("E2E_OPERATOR_TOKEN is not set: run the browser tests with `npm run test:e2e`");
  const response = await fetch(`${baseUrl()}/api/admin/projects/${projectId}/plan`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ plan }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}
