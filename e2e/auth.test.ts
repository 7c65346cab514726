// The account pages in Chromium against the whole stack: sign-up, 2FA set-up and sign-in with a
// code computed here, the redirect of protected pages, the user's locale, and how errors read.
// The API limits sign-ups to 5 a minute per address (and slows an address down after wrong
// passwords), and every test here comes from 127.0.0.1: the whole file signs up 4 times and
// never sends a wrong password to sign in; error cases are answered by page.route.
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createAccount, newEmail, PASSWORD, signIn, submitSignUpForm } from "./accounts";
import { baseUrl, htmlLang, pagePerTest, saveScreenshot } from "./browser";
import { freshCode } from "./totp";

let context: BrowserContext;
let page: Page;
let pageErrors: string[];

pagePerTest({ width: 1280, height: 900 }, (opened) => {
  ({ context, page, pageErrors } = opened);
});

const url = (path: string) => `${baseUrl()}${path}`;

const accountName = (target: Page) => target.getByTestId("account-name");

describe("sign-up, two-factor authentication and sign-in", () => {
  it("signs up, turns 2FA on with a real code, then signs in with password and a fresh code", async () => {
    const email = newEmail("ada");

    // Sign up: lands on the overview, signed in, the name in the header.
    await page.goto(url("/signup/"));
    expect(await page.locator("h1").innerText()).toBe("Create your SeqPulse account");
    await saveScreenshot(page, "signup-en-light");
    await submitSignUpForm(page, { email, name: "Ada Lovelace" });
    await expect.poll(() => accountName(page).innerText()).toBe("Ada Lovelace");

    // Security settings: start setup, read the key, answer with the current code.
    await page.goto(url("/settings/security/"));
    await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
    const secret = (await page.getByTestId("totp-secret").innerText()).trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const qr = page.getByRole("img", { name: "QR code to add SeqPulse to an authenticator app" });
    expect(await qr.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(
      true,
    );
    await saveScreenshot(page, "settings-security-setup-en-light");

    const enabled = await freshCode(secret);
    await page.getByLabel("6-digit code").fill(enabled.code);
    await page.getByRole("button", { name: "Turn on", exact: true }).click();
    const codes = page.getByTestId("recovery-codes").getByRole("listitem");
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    expect(await codes.first().innerText()).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}$/);
    await saveScreenshot(page, "settings-security-recovery-codes-en-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await saveScreenshot(page, "settings-security-recovery-codes-en-dark");
    await page.emulateMedia({ colorScheme: "light" });

    await page.getByRole("button", { name: "I have saved them" }).click();
    expect(await page.getByTestId("two-factor-status").innerText()).toBe("On");
    expect(await page.getByText("Recovery codes left: 10.").count()).toBe(1);
    await saveScreenshot(page, "settings-security-en-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await saveScreenshot(page, "settings-security-en-dark");
    await page.emulateMedia({ colorScheme: "light" });

    // Sign out from the header.
    await Promise.all([
      page.waitForURL(url("/signin/")),
      page.getByRole("button", { name: "Sign out" }).click(),
    ]);

    // Password first, then the second factor.
    await signIn(page, email);
    await page.waitForURL(url("/2fa/"));
    expect(await page.locator("h1").innerText()).toBe("Two-factor authentication");
    await saveScreenshot(page, "two-factor-en-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await saveScreenshot(page, "two-factor-en-dark");
    await page.emulateMedia({ colorScheme: "light" });

    // The server accepts each step once: wait for a step after the one that turned 2FA on.
    const login = await freshCode(secret, { after: enabled.step });
    await page.getByLabel("6-digit code").fill(login.code);
    await Promise.all([page.waitForURL(url("/")), page.getByRole("button", { name: "Verify" }).click()]);
    await expect.poll(() => accountName(page).innerText()).toBe("Ada Lovelace");
    expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    await saveScreenshot(page, "home-signed-in-en-light");

    expect(pageErrors).toEqual([]);
  }, 150_000);

  it("refuses a wrong code with a message tied to the field, and switches to a recovery code", async () => {
    // The API is answered here: this is about the page, not the server's limits.
    await page.route("**/api/auth/2fa/verify", (route) =>
      route.fulfill({
        status: 400,
        contentType: "application/json",
        body: JSON.stringify({
          error: {
            code: "INVALID_CODE",
            message: "The code is wrong or already used.",
            requestId: "r",
            fields: [{ field: "code", message: "The code is wrong or already used." }],
          },
        }),
      }),
    );
    await page.goto(url("/2fa/?next=%2Fsettings%2Fsecurity%2F"));
    const code = page.getByLabel("6-digit code");
    await code.fill("12345");
    await page.getByRole("button", { name: "Verify" }).click();
    expect(await code.getAttribute("aria-invalid")).toBe("true");
    expect(await describedText(code)).toContain("Enter the 6 digits shown in your authenticator app.");

    await code.fill("123456");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => describedText(code)).toContain("That code is not valid.");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("two-factor-code");

    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    const recovery = page.getByLabel("Recovery code");
    expect(await recovery.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it("sends a pending sign-in that has ended back to the password step, keeping next", async () => {
    await page.goto(url("/2fa/?next=%2Fsettings%2Fsecurity%2F"));
    await page.getByLabel("6-digit code").fill("123456");
    // No pre-auth cookie in this browser: the real API answers 401.
    await Promise.all([
      page.waitForURL(url("/signin/?next=%2Fsettings%2Fsecurity%2F&error=TWO_FACTOR_EXPIRED")),
      page.getByRole("button", { name: "Verify" }).click(),
    ]);
    await expect
      .poll(() => page.getByRole("alert").innerText())
      .toBe("Your sign-in took too long. Sign in again.");
  });
});

/** The text of the elements an input's aria-describedby points at. */
function describedText(locator: ReturnType<Page["locator"]>): Promise<string> {
  return locator.evaluate((element) =>
    (element.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" "),
  );
}

describe("protected pages", () => {
  it("send signed-out visitors to sign in, show nothing of the page, and bring them back", async () => {
    const email = newEmail("grace");
    await createAccount({ email, name: "Grace Hopper", locale: "en" });

    await page.goto(url("/settings/security/"));
    await page.waitForURL(url("/signin/?next=%2Fsettings%2Fsecurity%2F"));
    expect(await htmlLang(page)).toBe("en");
    await saveScreenshot(page, "signin-en-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await saveScreenshot(page, "signin-en-dark");
    await page.emulateMedia({ colorScheme: "light" });

    await signIn(page, email);
    await page.waitForURL(url("/settings/security/"));
    await page.getByTestId("two-factor-status").waitFor();
    expect(await page.getByTestId("two-factor-status").innerText()).toBe("Off");
    await expect.poll(() => accountName(page).innerText()).toBe("Grace Hopper");

    // This browser's session is listed and marked.
    const sessions = page.getByTestId("sessions");
    await sessions.waitFor();
    expect(await sessions.getByText("This device").count()).toBe(1);
    expect(await sessions.innerText()).toContain("Chrome on Linux");

    // A personal API token: shown once, then listed by its prefix, then revoked.
    await page.getByLabel("Token name").fill("GitHub Actions");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = (await page.getByTestId("new-token").innerText()).trim();
    expect(token).toMatch(/^spt_/);
    const check = await fetch(url("/api/auth/me"), { headers: { authorization: `Bearer ${token}` } });
    expect(check.status).toBe(200);
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByRole("button", { name: "Revoke token GitHub Actions" }).click();
    await page.getByRole("button", { name: "Revoke", exact: true }).click();
    await expect.poll(() => page.getByText("No tokens yet.").count()).toBe(1);
    const revoked = await fetch(url("/api/auth/me"), { headers: { authorization: `Bearer ${token}` } });
    expect(revoked.status).toBe(401);

    expect(pageErrors).toEqual([]);

    // A token that the password change below revokes.
    await page.getByLabel("Token name").fill("Deploy script");
    await page.getByRole("button", { name: "Create token" }).click();
    const doomed = (await page.getByTestId("new-token").innerText()).trim();
    await page.getByRole("button", { name: "Done" }).click();
    expect(
      (await fetch(url("/api/auth/me"), { headers: { authorization: `Bearer ${doomed}` } })).status,
    ).toBe(200);

    // Password change: a wrong current password is reported next to its field (the 400 this
    // gets is logged by Chromium, as it should be).
    await page.getByLabel("Current password").fill("not-the-password");
    await page.getByLabel("New password").fill("an-even-better-passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    const current = page.getByLabel("Current password");
    await expect.poll(() => describedText(current)).toBe("The current password is wrong.");
    await current.fill(PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    // Two password hashes on a shared machine: give the answer more than the default second.
    await expect
      .poll(
        () =>
          page
            .getByText("Password changed. Your other sessions were signed out and your API tokens revoked.")
            .count(),
        { timeout: 10_000 },
      )
      .toBe(1);
    // Every token is revoked, and the list says so without a reload.
    await expect.poll(() => page.getByText("No tokens yet.").count(), { timeout: 10_000 }).toBe(1);
    expect(
      (await fetch(url("/api/auth/me"), { headers: { authorization: `Bearer ${doomed}` } })).status,
    ).toBe(401);
    await saveScreenshot(page, "settings-security-2fa-off-en-light");
  }, 60_000);

  it("keep their space while /api/auth/me is pending, and the header does not move", async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/api/auth/me", async (route) => {
      await released;
      await route.fulfill({
        status: 401,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "UNAUTHENTICATED", message: "Sign in.", requestId: "r" } }),
      });
    });
    await page.goto(url("/"));
    const switcher = page.getByRole("navigation", { name: "Language" });
    const before = await switcher.boundingBox();
    expect(await page.getByRole("link", { name: "Sign in" }).count()).toBe(0);
    release();
    await page.getByRole("link", { name: "Sign in" }).waitFor();
    expect(await switcher.boundingBox()).toEqual(before);
  });
});

describe("next after sign-in", () => {
  it("stays on this origin for a next whose normalised path starts with //", async () => {
    const origin = new URL(baseUrl()).origin;
    const offOrigin: string[] = [];
    page.on("request", (request) => {
      const requested = new URL(request.url());
      if (requested.protocol.startsWith("http") && requested.origin !== origin) offOrigin.push(request.url());
    });
    // Were the redirect followed, the phishing page would answer instead of a network error.
    await context.route("http://127.0.0.1:9499/**", (route) => route.fulfill({ body: "phished" }));
    await context.route("http://evil.example/**", (route) => route.fulfill({ body: "phished" }));
    const leftSignIn = (target: URL) => !target.pathname.includes("/signin/");

    // Signing in through the form.
    const email = newEmail("next");
    await createAccount({ email, name: "Next Path", locale: "en" });
    await page.goto(url("/signin/?next=%2F.%2F%2Fx%2F%2F127.0.0.1%3A9499%2Fphish"));
    await signIn(page, email);
    await page.waitForURL(leftSignIn);
    expect(new URL(page.url()).origin).toBe(origin);
    expect(new URL(page.url()).pathname).toBe("/");

    // Already signed in: the sign-in page forwards at once, with no click.
    for (const next of [
      "%2F.%2F%2Fevil.example%2F%2F127.0.0.1%3A9499%2Fphish",
      "%2Fx%2F..%2F%2Fevil.example",
      "%2F%252e%2F%2Fevil.example",
    ]) {
      await page.goto(url(`/signin/?next=${next}`));
      await page.waitForURL(leftSignIn);
      expect(new URL(page.url()).origin, next).toBe(origin);
    }
    expect(offOrigin).toEqual([]);
  });
});

describe("locales", () => {
  it("opens the user's saved locale after sign-in, whatever the page's", async () => {
    const email = newEmail("marie");
    await createAccount({ email, name: "Marie Curie", locale: "fr" });
    await page.goto(url("/signin/"));
    await signIn(page, email);
    await page.waitForURL(url("/fr/"));
    expect(await htmlLang(page)).toBe("fr");
    await expect.poll(() => accountName(page).innerText()).toBe("Marie Curie");
    expect(await page.getByRole("button", { name: "Se déconnecter" }).count()).toBe(1);
  });

  it("serves /de/signin/ in German", async () => {
    await page.goto(url("/de/signin/"));
    expect(await htmlLang(page)).toBe("de");
    expect(await page.locator("h1").innerText()).toBe("Bei SeqPulse anmelden");
    expect(await page.getByLabel("E-Mail-Adresse").count()).toBe(1);
    expect(await page.getByLabel("Passwort", { exact: true }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Anmelden", exact: true }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Jetzt erstellen" }).getAttribute("href")).toBe(
      "/de/signup/",
    );
    await saveScreenshot(page, "signin-de-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await saveScreenshot(page, "signin-de-dark");
    expect(pageErrors).toEqual([]);
  });
});

describe("form errors", () => {
  it("ties the form's own checks to each field, in the page's language", async () => {
    await page.goto(url("/fr/signup/"));
    await page.getByRole("button", { name: "Créer le compte" }).click();
    const email = page.getByLabel("Adresse e-mail");
    expect(await email.getAttribute("aria-invalid")).toBe("true");
    expect(await describedText(email)).toBe("Remplissez ce champ.");
    expect(await email.evaluate((element) => element === document.activeElement)).toBe(true);
    await email.fill("ada@");
    await page.getByLabel("Mot de passe", { exact: true }).fill("court");
    await page.getByRole("button", { name: "Créer le compte" }).click();
    expect(await describedText(email)).toContain("Saisissez une adresse e-mail valide");
    expect(await describedText(page.getByLabel("Mot de passe", { exact: true }))).toContain(
      "Utilisez au moins 10 caractères.",
    );
    await saveScreenshot(page, "signup-fr-errors-light");
  });

  it("shows the server's field errors next to their field", async () => {
    await page.route("**/api/auth/signup", (route) =>
      route.fulfill({
        status: 400,
        contentType: "application/json",
        body: JSON.stringify({
          error: {
            code: "VALIDATION_FAILED",
            message: "Some fields are invalid.",
            requestId: "r",
            fields: [{ field: "password", message: "This password is too common; choose another." }],
          },
        }),
      }),
    );
    await page.goto(url("/signup/"));
    await page.getByLabel("Email", { exact: true }).fill(newEmail("common"));
    const password = page.getByLabel("Password", { exact: true });
    await password.fill("password1234");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect
      .poll(() => describedText(password))
      .toContain("This password is too common; choose another.");
    expect(await password.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it("says how long to wait when rate limited, and disables the button while sending", async () => {
    let answer: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    await page.route("**/api/auth/login", async (route) => {
      await answered;
      await route.fulfill({
        status: 429,
        contentType: "application/json",
        headers: { "Retry-After": "42" },
        body: JSON.stringify({
          error: { code: "RATE_LIMITED", message: "Too many requests; try again later.", requestId: "r" },
        }),
      });
    });
    await page.goto(url("/signin/"));
    await page.getByLabel("Email", { exact: true }).fill("someone@example.com");
    await page.getByLabel("Password", { exact: true }).fill("whatever");
    const submit = page.getByRole("button", { name: "Sign in", exact: true });
    await submit.click();
    expect(await submit.isDisabled()).toBe(true);
    answer();
    await expect
      .poll(() => page.getByRole("alert").innerText())
      .toBe("Too many attempts; try again in 42 s.");
    expect(await submit.isDisabled()).toBe(false);
  });

  it("translates OAuth errors from the callback", async () => {
    await page.goto(url("/es/signin/?error=OAUTH_EMAIL_UNVERIFIED"));
    await expect
      .poll(() => page.getByRole("alert").innerText())
      .toBe("Tu proveedor no ha verificado tu correo electrónico. Verifícalo allí e inténtalo de nuevo.");
    await page.goto(url("/signin/?error=%3Cscript%3E"));
    await expect
      .poll(() => page.getByRole("alert").innerText())
      .toBe("Signing in with the provider failed. Try again.");
  });

  it("offers only the configured providers, carrying next", async () => {
    await page.route("**/api/auth/oauth/providers", (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: '{"providers":["github"]}' }),
    );
    await page.goto(url("/signin/?next=%2Fsettings%2Fsecurity%2F"));
    const github = page.getByRole("link", { name: "Continue with GitHub" });
    await github.waitFor();
    expect(await github.getAttribute("href")).toBe(
      "/api/auth/oauth/github/start?mode=signin&next=%2Fsettings%2Fsecurity%2F",
    );
    expect(await page.getByRole("link", { name: "Continue with Google" }).count()).toBe(0);
  });
});

describe("look", () => {
  it("saves the sign-up page in both schemes and the sign-in page on a phone", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto(url("/es/signup/"));
      await saveScreenshot(page, `signup-es-${colorScheme}`);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto(url("/fr/signin/"));
    // Nothing wider than the phone: no sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, "signin-fr-phone-light");
    expect(pageErrors).toEqual([]);
  });
});
