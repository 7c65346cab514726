// Quality bars of the signed-in dashboard, with real data in it: no axe violations on any page
// (light and dark), the JavaScript each page ships (gzip, written to test-results/js-sizes.json),
// and the screenshots the README shows (docs/screenshots/, rewritten only with UPDATE_SCREENSHOTS=1).
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsApp } from "../scripts/lib/metrics-app.mjs";
import { setPlan, signUp } from "./accounts";
import { baseUrl, launchBrowser, ownClientAddress, screenshotsDir, watchPageErrors } from "./browser";
import { ciCall, degraded, deployToVerdict, healthy, type Metrics, programApp } from "./dashboard-data";

// The README's screenshots are committed: a run rewrites them only when asked, so that a CI run
// leaves the tree as it found it (PNGs differ byte for byte from one run to the next). Otherwise
// they are still taken, into test-results/, so the pages they show are exercised every run.
const readmeScreenshots =
  process.env.UPDATE_SCREENSHOTS === "1"
    ? join(import.meta.dirname, "..", "docs", "screenshots")
    : join(screenshotsDir, "readme");

let browser: Browser;
let context: BrowserContext;
let app: { url: string; close: () => Promise<void> };
const ids = { checkout: "", search: "", rollback: "", warning: "", collectionErrors: "" };

const url = (path: string) => `${baseUrl()}${path}`;

async function createProject(
  request: APIRequestContext,
  body: {
    name: string;
    description?: string;
    envs: string[];
    observationWindowMinutes: number;
    appName: string;
  },
) {
  const created = await request.post(url("/api/projects"), {
    data: {
      name: body.name,
      description: body.description,
      observationWindowMinutes: body.observationWindowMinutes,
      metricsEndpoint: `${app.url}/apps/${body.appName}/seqpulse-metrics`,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { project, apiKey } = (await created.json()) as { project: { id: string }; apiKey: string };
  if (body.envs.join() !== "prod") {
    // Environments of its own: a plan above free.
    await setPlan(project.id, "pro");
    const envs = await request.patch(url(`/api/projects/${project.id}`), { data: { envs: body.envs } });
    expect(envs.status(), await envs.text()).toBe(200);
  }
  const tested = await request.post(url(`/api/projects/${project.id}/endpoint/test`), { data: {} });
  expect(tested.status(), await tested.text()).toBe(200);
  return { id: project.id, apiKey };
}

const slightlySlow: Metrics = { ...healthy, latency_p95: 420 };

beforeAll(async () => {
  app = await startMetricsApp();
  browser = await launchBrowser();
  context = await browser.newContext({
    extraHTTPHeaders: ownClientAddress(),
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
  });
  const request = context.request;
  await signUp(request, baseUrl(), {
    email: `quality-${randomUUID().slice(0, 8)}@example.com`,
    name: "Ada Lovelace",
    locale: "en",
  });

  const checkout = await createProject(request, {
    name: "Checkout API",
    description: "Payments and orders",
    envs: ["prod", "staging"],
    observationWindowMinutes: 3,
    appName: "quality-checkout",
  });
  const search = await createProject(request, {
    name: "Search",
    envs: ["prod"],
    observationWindowMinutes: 2,
    appName: "quality-search",
  });
  ids.checkout = checkout.id;
  ids.search = search.id;
  const run = (
    project: { apiKey: string },
    appName: string,
    env: string,
    branch: string,
    windowMinutes: number,
    post: Array<Metrics | { status: number }>,
    result: "success" | "failed" = "success",
  ) =>
    deployToVerdict({
      request,
      baseUrl: baseUrl(),
      appUrl: app.url,
      appName,
      apiKey: project.apiKey,
      env,
      branch,
      commitSha: randomUUID().replaceAll("-", "").slice(0, 40),
      windowMinutes,
      baseline: healthy,
      post,
      result,
    });
  await run(search, "quality-search", "prod", "main", 2, [healthy, healthy]);
  await run(checkout, "quality-checkout", "staging", "feature/cart", 3, [healthy, healthy, healthy]);
  ids.warning = await run(search, "quality-search", "prod", "perf/index", 2, [slightlySlow, slightlySlow]);
  // The application stops answering in the second minute: collection errors, lower data quality.
  ids.collectionErrors = await run(search, "quality-search", "prod", "chore/deps", 2, [
    healthy,
    { status: 503 },
  ]);
  await run(checkout, "quality-checkout", "prod", "main", 3, [
    healthy,
    { ...healthy, cpu_usage: 0.5 },
    healthy,
  ]);
  ids.rollback = await run(
    checkout,
    "quality-checkout",
    "prod",
    "release/2.4",
    3,
    [{ ...healthy, latency_p95: 260 }, degraded, { ...degraded, latency_p95: 520, error_rate: 0.061 }],
    "success",
  );
  // One still in progress: its verdict is pending.
  await programApp(app.url, "quality-checkout", [{ metrics: healthy }]);
  await ciCall(
    {
      url: url("/deployments/trigger"),
      body: { env: "staging", branch: "fix/tax-rounding", commit_sha: "9c1d2e3f" },
    },
    checkout.apiKey,
  );
}, 300_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
});

interface PageCase {
  name: string;
  path: () => string;
  /** Visible once the page has its data. */
  ready: (page: Page) => Promise<unknown>;
}

const pages: PageCase[] = [
  {
    name: "overview",
    path: () => "/",
    ready: (page) => page.getByRole("heading", { name: "Latest deployment", exact: true }).waitFor(),
  },
  {
    name: "deployments",
    path: () => "/deployments/",
    ready: (page) => page.getByRole("region", { name: "Deployments", exact: true }).waitFor(),
  },
  {
    name: "deployment",
    path: () => `/deployments/view/?id=${ids.rollback}`,
    ready: async (page) => {
      await page.getByTestId("verdict-panel").getByText("Rollback recommended", { exact: true }).waitFor();
      await page.locator("figure[data-metric=requests_per_sec] canvas").first().waitFor();
    },
  },
  {
    name: "deployment-warning",
    path: () => `/deployments/view/?id=${ids.warning}`,
    ready: (page) => page.getByTestId("verdict-panel").getByText("Warning").waitFor(),
  },
  {
    name: "deployment-collection-errors",
    path: () => `/deployments/view/?id=${ids.collectionErrors}`,
    ready: (page) => page.getByRole("heading", { name: "Collection errors" }).waitFor(),
  },
  {
    name: "projects",
    path: () => "/projects/",
    ready: (page) => page.getByRole("heading", { name: "Checkout API" }).waitFor(),
  },
  {
    name: "project",
    path: () => `/projects/view/?id=${ids.checkout}`,
    ready: (page) => page.getByRole("region", { name: "Deployments", exact: true }).waitFor(),
  },
  {
    name: "project-integration",
    path: () => `/projects/view/?id=${ids.checkout}&tab=integration`,
    ready: (page) => page.getByTestId("snippet-curl").waitFor(),
  },
  {
    name: "project-settings",
    path: () => `/projects/view/?id=${ids.checkout}&tab=settings`,
    ready: (page) => page.getByRole("button", { name: "Test & activate" }).waitFor(),
  },
  {
    name: "hints",
    path: () => "/hints/",
    ready: (page) => page.getByText(/^Hints shown: \d+/).waitFor(),
  },
  {
    name: "settings",
    path: () => "/settings/",
    ready: (page) => page.getByLabel("Name", { exact: true }).waitFor(),
  },
  {
    name: "deployment-fr",
    path: () => `/fr/deployments/view/?id=${ids.rollback}`,
    ready: (page) =>
      page.getByTestId("verdict-panel").getByText("Retour arrière recommandé", { exact: true }).waitFor(),
  },
  {
    name: "api-reference",
    path: () => "/docs/api/",
    ready: (page) => page.getByRole("heading", { name: "API reference", level: 1 }).waitFor(),
  },
  {
    name: "not-found",
    path: () => "/no-such-page",
    ready: (page) => page.getByRole("heading", { name: "Page not found" }).waitFor(),
  },
];

async function open(page: Page, target: PageCase) {
  await page.goto(url(target.path()));
  await target.ready(page);
  await page.waitForLoadState("networkidle");
}

describe("every page, signed in, with data", () => {
  it("has no axe violations, in light and in dark", async () => {
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    const report: Record<string, unknown[]> = {};
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      for (const target of pages) {
        await open(page, target);
        const results = await new AxeBuilder({ page }).analyze();
        const violations = results.violations.map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          nodes: violation.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary}`),
        }));
        if (violations.length > 0) report[`${target.name} (${colorScheme})`] = violations;
      }
    }
    await page.close();
    expect(report).toEqual({});
    // The 404 page answers 404, which Chromium logs; nothing else may.
    expect(errors.filter((error) => !error.includes("404"))).toEqual([]);
  }, 240_000);

  it("lists the JavaScript each page ships (gzip)", async () => {
    const sizes: Record<string, { files: number; gzipBytes: number }> = {};
    for (const target of pages) {
      const page = await context.newPage();
      const scripts = new Map<string, number>();
      page.on("response", async (response) => {
        if (response.request().resourceType() !== "script") return;
        try {
          scripts.set(response.url(), gzipSync(await response.body(), { level: 9 }).length);
        } catch {
          // a redirect or an aborted request has no body
        }
      });
      await open(page, target);
      // Inline scripts count too (the island loader, the theme script).
      const inline = await page.evaluate(() =>
        [...document.querySelectorAll("script:not([src])")].map((script) => script.textContent ?? ""),
      );
      const inlineBytes = inline.reduce((sum, text) => sum + gzipSync(text, { level: 9 }).length, 0);
      sizes[
        target
          .path()
          .replace(/\?.*$/, "")
          .replace(/[0-9a-f-]{36}/, ":id") || target.name
      ] ??= {
        files: scripts.size,
        gzipBytes: [...scripts.values()].reduce((sum, size) => sum + size, 0) + inlineBytes,
      };
      await page.close();
    }
    await mkdir(screenshotsDir, { recursive: true });
    await writeFile(join(screenshotsDir, "js-sizes.json"), `${JSON.stringify(sizes, null, 2)}\n`);
    console.table(
      Object.fromEntries(
        Object.entries(sizes).map(([path, size]) => [
          path,
          { ...size, kib: (size.gzipBytes / 1024).toFixed(1) },
        ]),
      ),
    );
    // A budget, so that a heavy dependency does not slip in unnoticed: React and the islands.
    for (const [path, size] of Object.entries(sizes)) {
      expect(size.gzipBytes, path).toBeLessThan(150 * 1024);
    }
  }, 120_000);

  it("saves the README's screenshots", async () => {
    await mkdir(readmeScreenshots, { recursive: true });
    const shots: Array<[string, string, "light" | "dark", { width: number; height: number }]> = [
      ["overview", "overview-light", "light", { width: 1280, height: 900 }],
      ["overview", "overview-dark", "dark", { width: 1280, height: 900 }],
      ["deployment", "deployment-light", "light", { width: 1280, height: 900 }],
      ["deployment", "deployment-dark", "dark", { width: 1280, height: 900 }],
      ["deployments", "deployments-light", "light", { width: 1280, height: 700 }],
      ["project-integration", "integration-light", "light", { width: 1280, height: 900 }],
      ["hints", "hints-dark", "dark", { width: 1280, height: 900 }],
      ["deployment", "deployment-phone-light", "light", { width: 390, height: 844 }],
    ];
    const page = await context.newPage();
    for (const [name, file, colorScheme, viewport] of shots) {
      const target = pages.find((candidate) => candidate.name === name)!;
      await page.setViewportSize(viewport);
      await page.emulateMedia({ colorScheme });
      await open(page, target);
      await page.screenshot({ path: join(readmeScreenshots, `${file}.png`), animations: "disabled" });
    }
    await page.close();
  }, 120_000);
});
