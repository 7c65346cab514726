// Verification and password reset end to end in Chromium, with the mail read from the local
// stand-in: sign up, open the mailed link, confirm; forgot -> mail -> reset -> the old session is
// gone -> sign in with the new password.
import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createAccount, newEmail, PASSWORD, signIn, submitSignUpForm } from "./accounts";
import { baseUrl, ownClientAddress, pagePerTest, saveScreenshot } from "./browser";
import { linkIn, type Mail, mailsTo, sweep, waitForSweptMail as waitForMail } from "./mailbox";

let context: BrowserContext;
let page: Page;
let pageErrors: string[];

pagePerTest({ width: 1280, height: 900 }, (opened) => {
  ({ context, page, pageErrors } = opened);
});

const url = (path: string) => `${baseUrl()}${path}`;
const NEW_PASSWORD = "a fresh reset passphrase, 3 herons";

async function emailVerified(target: Page): Promise<boolean> {
  const response = await target.request.get(url("/api/auth/me"));
  return ((await response.json()) as { user: { emailVerified: boolean } }).user.emailVerified;
}

describe("the account email pages", () => {
  it.each([
    ["/forgot-password/", "Send the link"],
    ["/reset-password/?token=x", "Set the new password"],
    ["/verify-email/?token=x", "Verify my email"],
    ["/fr/forgot-password/", "Envoyer le lien"],
  ])("%s has no axe violations, light or dark", async (path, button) => {
    await page.goto(url(path));
    await page.getByRole("button", { name: button }).waitFor();
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      const results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
    }
    expect(pageErrors).toEqual([]);
  });
});

describe("email verification", () => {
  it("signs up, reads the mailed link, confirms on the page, and the address is verified", async () => {
    const email = newEmail("verify");
    await page.goto(url("/signup/"));
    await submitSignUpForm(page, { email, name: "Grace" });
    expect(await emailVerified(page)).toBe(false);

    // The security page says so, and offers a new link.
    await page.goto(url("/settings/security/"));
    await page.getByText(`Verify your email address: we sent a link to ${email}.`).waitFor();

    const mail = await waitForMail(email, /Verify your email address/);
    expect(mail.html).toContain("Verify my email");
    const link = linkIn(mail, "/verify-email/");

    // Opening the link changes nothing (mail scanners open links too); the button does.
    await page.goto(link);
    await page.getByRole("button", { name: "Verify my email" }).waitFor();
    // The token leaves the address bar at once.
    await expect.poll(() => new URL(page.url()).search).toBe("");
    expect(await emailVerified(page)).toBe(false);
    await saveScreenshot(page, "verify-email-en-light");
    await page.getByRole("button", { name: "Verify my email" }).click();
    await page.getByText("Your email address is verified. Thank you.").waitFor();
    expect(await emailVerified(page)).toBe(true);

    // The same link a second time: already used.
    await page.goto(link);
    await page.getByRole("button", { name: "Verify my email" }).click();
    await page.getByText("This link was already used.").waitFor();
    // The one red line: the refused second use, as Chromium logs every 4xx fetch.
    expect(pageErrors).toEqual([
      "console: Failed to load resource: the server responded with a status of 400 (Bad Request)",
    ]);
  });
});

describe("a new verification link", () => {
  it("is sent from the notice, and replaces the earlier link", async () => {
    const email = newEmail("resend");
    await page.goto(url("/signup/"));
    await submitSignUpForm(page, { email, name: "Alan" });
    const first = await waitForMail(email, /Verify your email address/);

    await page.goto(url("/settings/security/"));
    await page.getByRole("button", { name: "Send a new link" }).click();
    await page.getByText("A new link is on its way. It works for 24 hours.").waitFor();
    let second: Mail | undefined;
    for (let attempt = 0; attempt < 60 && !second; attempt++) {
      await sweep();
      second = (await mailsTo(email)).find(
        (mail) => /Verify your email/.test(mail.subject) && mail.id !== first.id,
      );
      if (!second) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (!second) throw new Error("no second verification mail");

    await page.goto(linkIn(first, "/verify-email/"));
    await page.getByRole("button", { name: "Verify my email" }).click();
    await page.getByText("This link is not valid.", { exact: false }).waitFor();
    await page.goto(linkIn(second, "/verify-email/"));
    await page.getByRole("button", { name: "Verify my email" }).click();
    await page.getByText("Your email address is verified. Thank you.").waitFor();
    expect(await emailVerified(page)).toBe(true);
    // Verified: the security page no longer shows the notice.
    await page.goto(url("/settings/security/"));
    await page.getByRole("heading", { level: 1 }).waitFor();
    expect(await page.getByRole("button", { name: "Send a new link" }).count()).toBe(0);
    // The one red line: the replaced link's refusal.
    expect(pageErrors).toEqual([
      "console: Failed to load resource: the server responded with a status of 400 (Bad Request)",
    ]);
  });
});

describe("sign-up with an address that has an account", () => {
  it("tells the visitor to check their mail, signs nobody in, and mails the owner", async () => {
    const email = newEmail("taken");
    await createAccount({ email, name: "Owner", locale: "en" });
    await page.goto(url("/signup/"));
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill("someone else's long passphrase");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Check your email" }).waitFor();
    expect((await page.request.get(url("/api/auth/me"))).status()).toBe(401);
    const mail = await waitForMail(email, /Someone tried to create a SeqPulse account/);
    expect(new URL(linkIn(mail, "/forgot-password/")).pathname).toBe("/forgot-password/");
    expect(pageErrors).toEqual([]);
  });
});

describe("password reset", () => {
  it("forgot -> mail -> new password: the old session ends, the new password signs in", async () => {
    const email = newEmail("reset");
    await page.goto(url("/signup/"));
    await submitSignUpForm(page, { email, name: "Ada" });

    // Another browser asks for the reset, from the sign-in page's link.
    const other = await context.browser()!.newContext({ extraHTTPHeaders: ownClientAddress() });
    const resetPage = await other.newPage();
    await resetPage.goto(url("/signin/"));
    await resetPage.getByRole("link", { name: "Forgot password?" }).click();
    await resetPage.waitForURL(url("/forgot-password/"));
    await resetPage.getByLabel("Email", { exact: true }).fill(email);
    await resetPage.getByRole("button", { name: "Send the link" }).click();
    await resetPage
      .getByText(`If an account uses ${email}, a link to reset its password is on its way.`, { exact: false })
      .waitFor();

    const mail = await waitForMail(email, /Reset your SeqPulse password/);
    await resetPage.goto(linkIn(mail, "/reset-password/"));
    await expect.poll(() => new URL(resetPage.url()).search).toBe("");
    const referrerPolicy = await resetPage.evaluate(
      () => document.querySelector('meta[name="referrer"]')?.getAttribute("content") ?? null,
    );
    expect(referrerPolicy).toBe("no-referrer");
    await resetPage.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await resetPage.getByRole("button", { name: "Set the new password" }).click();
    await resetPage
      .getByText("Your password is changed and every session is signed out.", { exact: false })
      .waitFor();
    await saveScreenshot(resetPage, "reset-password-done-en-light");
    await other.close();

    // The first browser's session is gone.
    expect((await page.request.get(url("/api/auth/me"))).status()).toBe(401);

    // The old password no longer signs in; the new one does.
    await page.goto(url("/signin/"));
    await signIn(page, email, PASSWORD);
    await page.getByText("Wrong email or password.").waitFor();
    await page.goto(url("/signin/"));
    await signIn(page, email, NEW_PASSWORD);
    await page.waitForURL(url("/"));
    expect(await emailVerified(page)).toBe(true);

    // A "password changed" notice followed.
    await waitForMail(email, /Your SeqPulse password was changed/);
    // The one red line: the old password's refused sign-in.
    expect(pageErrors).toEqual([
      "console: Failed to load resource: the server responded with a status of 401 (Unauthorized)",
    ]);
  });
});
