// The `seqpulse` CLI gating a deploy against the whole stack: `seqpulse run -- <deploy command>`
// in a child process, as a pipeline runs it, with the SDK-instrumented demo application
// (scripts/demo-sdk-app.mjs) as the service being deployed. A deploy that keeps it healthy exits
// 0 with `ok`; a deploy that ships its regressed version exits 1 with `rollback_recommended`,
// decided early, minutes before the window's end.
//
// The observation window passes through sweeps fired with a future time while the CLI waits
// (see dashboard-data.ts): the CLI's long poll sees the verdict as soon as a sweep stores it.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { type APIRequestContext, request as playwrightRequest } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type DemoSdkApp, startDemoSdkApp } from "../scripts/demo-sdk-app.mjs";
import { setPlan, signUp } from "./accounts";
import { baseUrl, ownClientAddress } from "./browser";
import { ciCall, fireSweep } from "./dashboard-data";

const rootDir = fileURLToPath(new URL("..", import.meta.url));
const packageDir = join(rootDir, "packages", "seqpulse");
const cliPath = join(packageDir, "dist", "cli", "main.js");
const demoAppPath = join(rootDir, "scripts", "demo-sdk-app.mjs");
const require = createRequire(import.meta.url);

const url = (path: string) => `${baseUrl()}${path}`;

let api: APIRequestContext;
const apps: DemoSdkApp[] = [];

beforeAll(async () => {
  // The CLI as it ships: dist/, built from the package's sources.
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: packageDir,
  });
  api = await playwrightRequest.newContext({ extraHTTPHeaders: ownClientAddress() });
  await signUp(api, baseUrl(), {
    email: `cli-${randomUUID().slice(0, 8)}@example.com`,
    name: "Grace Hopper",
    locale: "en",
  });
}, 120_000);

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

afterAll(async () => {
  await api?.dispose();
});

interface Project {
  id: string;
  apiKey: string;
  app: DemoSdkApp;
}

/** A project watching a demo application of its own, its endpoint tested and active. */
async function projectWithApp(name: string, observationWindowMinutes: number): Promise<Project> {
  const app = await startDemoSdkApp();
  apps.push(app);
  // Windows above the free plan's 5 minutes need pro, which an operator grants.
  const free = observationWindowMinutes <= 5;
  const created = await api.post(url("/api/projects"), {
    data: {
      name,
      envs: ["prod"],
      ...(free && { observationWindowMinutes }),
      metricsEndpoint: app.metricsUrl,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const body = (await created.json()) as { project: { id: string }; apiKey: string };
  if (!free) {
    await setPlan(body.project.id, "pro");
    const updated = await api.patch(url(`/api/projects/${body.project.id}`), {
      data: { observationWindowMinutes },
    });
    expect(updated.status(), await updated.text()).toBe(200);
  }
  const tested = await api.post(url(`/api/projects/${body.project.id}/endpoint/test`), { data: {} });
  expect(tested.status(), await tested.text()).toBe(200);
  // The baseline is taken at the trigger: let the app serve some traffic first.
  await until(async () => (await appMetrics(app)).requests_per_sec >= 10, "the demo app's traffic");
  return { id: body.project.id, apiKey: body.apiKey, app };
}

interface AppMetrics {
  requests_per_sec: number;
  latency_p95: number;
  error_rate: number;
}

async function appMetrics(app: DemoSdkApp): Promise<AppMetrics> {
  const response = await fetch(app.metricsUrl);
  expect(response.status).toBe(200);
  return ((await response.json()) as { metrics: AppMetrics }).metrics;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await sleep(200);
  }
}

interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `seqpulse run --env prod --json -- <deploy>` as a pipeline step, with only its own variables. */
function runCli(project: Project, deploy: string[]): { child: ChildProcess; done: Promise<CliOutcome> } {
  return startCli(project, [
    "run",
    "--env",
    "prod",
    "--branch",
    "main",
    "--commit-sha",
    "9fceb02d",
    "--app-version",
    "2.4.1",
    "--json",
    "--",
    ...deploy,
  ]);
}

function startCli(project: Project, args: string[]): { child: ChildProcess; done: Promise<CliOutcome> } {
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: rootDir,
    env: {
      PATH: process.env.PATH ?? "",
      SEQPULSE_BASE_URL: baseUrl(),
      SEQPULSE_API_KEY: project.apiKey,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<CliOutcome>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

/** The deploy command: ships a version to the running demo app, as a rollout would. */
const ship = (app: DemoSdkApp, version: "healthy" | "regressed") => [
  process.execPath,
  demoAppPath,
  "--port",
  new URL(app.url).port,
  "--ship",
  version,
];

interface Deployment {
  id: string;
  state: string;
  version: string | null;
  observationWindowMinutes: number;
  finishedAt: string | null;
  analyzedAt: string | null;
  verdict: { verdict: string; early: boolean } | null;
}

/** The project's deployment once the CLI has finished it (read through the dashboard's API). */
async function finishedDeployment(project: Project, cli: Promise<CliOutcome>): Promise<Deployment> {
  let exited: CliOutcome | null = null;
  void cli.then((outcome) => {
    exited = outcome;
  });
  let found: Deployment | undefined;
  await until(async () => {
    if (exited) throw new Error(`the CLI exited before finishing: ${JSON.stringify(exited)}`);
    const response = await api.get(url(`/api/deployments?project=${project.id}`));
    expect(response.status(), await response.text()).toBe(200);
    const { items } = (await response.json()) as { items: Deployment[] };
    found = items.find((deployment) => deployment.finishedAt !== null);
    return found !== undefined;
  }, "the CLI to finish its deployment");
  return found as unknown as Deployment;
}

/** The deployment as its pipeline reads it, with the project key. */
async function readDeployment(project: Project, id: string): Promise<Deployment> {
  const response = await fetch(url(`/deployments/${id}`), { headers: { "x-api-key": project.apiKey } });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return (JSON.parse(text) as { deployment: Deployment }).deployment;
}

/**
 * Fires the window's sweeps back to back (one per minute of it, then the baseline's retry and
 * the analysis, as in dashboard-data.ts's observeUntilVerdict), stopping at the first that
 * stores a verdict; returns the deployment then and the time of that sweep.
 */
async function sweepUntilVerdict(
  project: Project,
  deployment: Deployment,
): Promise<{ deployment: Deployment; sweptAt: number }> {
  const finishedAt = Date.parse(deployment.finishedAt as string);
  const window = deployment.observationWindowMinutes * 60_000;
  const times = [
    ...Array.from({ length: deployment.observationWindowMinutes }, (_, minute) => minute * 60_000 + 1000),
    window + 61_000,
    ...Array.from({ length: 8 }, (_, round) => window + 151_000 + round * 80_000),
  ];
  for (const offset of times) {
    await fireSweep(baseUrl(), finishedAt + offset);
    const now = await readDeployment(project, deployment.id);
    if (now.verdict) return { deployment: now, sweptAt: finishedAt + offset };
  }
  throw new Error(`deployment ${deployment.id} got no verdict`);
}

interface VerdictJson {
  deployment_id: string;
  state: string;
  verdict: string | null;
  findings: Array<{ metric?: string; severity?: string; title?: string }>;
  early: boolean;
  dashboard_url: string | null;
}

function verdictJson(outcome: CliOutcome): VerdictJson {
  // Under --json, stdout carries the answer only (the deploy command's output goes to stderr).
  const lines = outcome.stdout.trim().split("\n");
  expect(lines, outcome.stdout).toHaveLength(1);
  return JSON.parse(lines[0] as string) as VerdictJson;
}

describe("the pipeline's paths under /deployments/", () => {
  it("reach the Worker, while the dashboard's pages there stay pages", async () => {
    const id = randomUUID();
    for (const path of [`/deployments/${id}`, `/deployments/${id}/verdict`]) {
      const response = await fetch(url(path));
      expect(response.status, path).toBe(401);
      expect(response.headers.get("content-type"), path).toContain("application/json");
    }
    for (const path of ["/deployments/", "/deployments/view/"]) {
      const response = await fetch(url(path));
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toContain("text/html");
    }
  });
});

describe("seqpulse run, against the local stack", () => {
  it("exits 0 with an ok verdict when the deploy keeps the application healthy", async () => {
    const project = await projectWithApp("Healthy checkout", 1);
    const cli = runCli(project, ship(project.app, "healthy"));
    const deployment = await finishedDeployment(project, cli.done);
    expect(deployment.version).toBe("2.4.1");

    const { deployment: judged } = await sweepUntilVerdict(project, deployment);
    expect(judged.verdict?.verdict).toBe("ok");

    const outcome = await cli.done;
    expect(outcome.code, outcome.stderr).toBe(0);
    const answer = verdictJson(outcome);
    expect(answer).toMatchObject({ deployment_id: deployment.id, verdict: "ok", early: false });
    expect(answer.findings).toEqual(expect.any(Array));
    expect(answer.dashboard_url).toMatch(/^https?:\/\/.+/);
    expect(answer.dashboard_url).toContain(deployment.id);
    expect(outcome.stderr).toContain(`deployment ${deployment.id}`);
    expect(outcome.stderr).toContain("deployment finished (success)");
  });

  it("exits 1 with an early rollback verdict when the deploy ships a regression", async () => {
    const windowMinutes = 10;
    const project = await projectWithApp("Regressed checkout", windowMinutes);
    const cli = runCli(project, ship(project.app, "regressed"));
    const deployment = await finishedDeployment(project, cli.done);
    expect(project.app.version()).toBe("regressed");
    // The app's own metrics cover its last minute: let the new version's traffic dominate them.
    await until(async () => {
      const metrics = await appMetrics(project.app);
      return metrics.error_rate >= 0.1 && metrics.latency_p95 >= 400;
    }, "the regressed version's traffic");

    const { deployment: judged, sweptAt } = await sweepUntilVerdict(project, deployment);
    expect(judged.verdict).toMatchObject({ verdict: "rollback_recommended", early: true });
    // Stored by a sweep of the window's first half, not at its end.
    const finishedAt = Date.parse(deployment.finishedAt as string);
    const windowEnd = finishedAt + windowMinutes * 60_000;
    expect(sweptAt).toBeLessThanOrEqual(finishedAt + (windowMinutes / 2) * 60_000);
    expect(Date.parse(judged.analyzedAt as string)).toBeLessThanOrEqual(windowEnd - 4 * 60_000);

    const outcome = await cli.done;
    expect(outcome.code, outcome.stderr).toBe(1);
    const answer = verdictJson(outcome);
    expect(answer).toMatchObject({
      deployment_id: deployment.id,
      verdict: "rollback_recommended",
      early: true,
    });
    expect(answer.dashboard_url).toContain(deployment.id);
    expect(answer.findings.length).toBeGreaterThan(0);
    expect(answer.findings.map((finding) => finding.metric)).toEqual(
      expect.arrayContaining([expect.stringMatching(/error_rate|latency_p95/)]),
    );
  });

  it("shows a collecting deployment's progress while it waits", async () => {
    const project = await projectWithApp("Progress checkout", 10);
    const { deployment_id: id } = await ciCall<{ deployment_id: string }>(
      { url: url("/deployments/trigger"), body: { env: "prod", branch: "main" } },
      project.apiKey,
    );
    await ciCall(
      { url: url("/deployments/finish"), body: { deployment_id: id, result: "success" } },
      project.apiKey,
    );
    // One long poll of a second, then the progress line, then the wait is over (no verdict yet).
    const outcome = await startCli(project, ["wait", id, "--wait-timeout", "1"]).done;
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toContain("no verdict yet");
    expect(outcome.stderr).toContain("seqpulse: collecting 0/10 min, no finding yet");
  });
});

/**
 * A scratch folder with an `npx` that hands `npx --yes seqpulse@<version> ...` over to the
 * workspace's CLI (built above) and a `deploy.sh` that runs `deploy`: what an integration's shell
 * finds on a CI runner.
 */
async function runnerScratch(
  deploy: string[],
): Promise<{ dir: string; path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "seqpulse-runner-"));
  const npx = join(dir, "npx");
  await writeFile(
    npx,
    `#!/bin/sh\nwhile [ "$1" = "--yes" ]; do shift; done\nshift\nexec "${process.execPath}" "${cliPath}" "$@"\n`,
  );
  await chmod(npx, 0o755);
  const script = join(dir, "deploy.sh");
  await writeFile(script, `#!/bin/sh\nexec ${deploy.map((part) => `'${part}'`).join(" ")}\n`);
  await chmod(script, 0o755);
  return {
    dir,
    path: `${dir}:${process.env.PATH ?? ""}`,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs an integration's shell as its CI would, the CLI's output collected. */
function runShell(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): { done: Promise<CliOutcome> } {
  const child = spawn(command, args, { cwd, env: { HOME: cwd, ...env } });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  return {
    done: new Promise<CliOutcome>((resolve) =>
      child.on("close", (code) => resolve({ code, stdout: log, stderr: log })),
    ),
  };
}

describe("the GitLab, CircleCI and Jenkins integrations, against the local stack", () => {
  const integrations = join(rootDir, "integrations");
  const gitlabScript = (
    parse(readFileSync(join(integrations, "gitlab", "seqpulse.gitlab-ci.yml"), "utf8")) as Record<
      string,
      { script: string[] }
    >
  )[".seqpulse-deploy"]?.script.join("\n") as string;
  const circleci = parse(readFileSync(join(integrations, "circleci", "config.yml"), "utf8")) as {
    jobs: { deploy: { steps: Array<string | { run?: { command: string } }> } };
  };
  const circleCommand = circleci.jobs.deploy.steps.flatMap((step) =>
    typeof step === "object" && step.run ? [step.run.command] : [],
  )[0] as string;
  const jenkinsCommand = /sh '([^']+)'/.exec(
    readFileSync(join(integrations, "jenkins", "Jenkinsfile"), "utf8"),
  )?.[1] as string;

  // Each CI's own shell and options: GitLab's alpine image runs the script with sh, CircleCI
  // with bash -eo pipefail, Jenkins's `sh` step with sh -xe.
  const cases: Array<[string, string, string[], Record<string, string>]> = [
    [
      "GitLab",
      "sh",
      ["-c", gitlabScript],
      {
        SEQPULSE_VERSION: "1",
        SEQPULSE_FAIL_ON: "rollback",
        SEQPULSE_BLOCKING: "false",
        SEQPULSE_DEPLOY_COMMAND: "./deploy.sh",
      },
    ],
    ["CircleCI", "bash", ["-eo", "pipefail", "-c", circleCommand], {}],
    ["Jenkins", "sh", ["-xe", "-c", jenkinsCommand], {}],
  ];
  for (const [name, shell, args, variables] of cases) {
    it(`${name}: a healthy deploy passes the gate with the real CLI`, async () => {
      expect(args.at(-1)).toContain("seqpulse");
      const project = await projectWithApp(`${name} checkout`, 1);
      const runner = await runnerScratch(ship(project.app, "healthy"));
      try {
        const job = runShell(shell, args, runner.dir, {
          PATH: runner.path,
          SEQPULSE_API_KEY: project.apiKey,
          SEQPULSE_BASE_URL: baseUrl(),
          SEQPULSE_ENV: "prod",
          ...variables,
        });
        const deployment = await finishedDeployment(project, job.done);
        const { deployment: judged } = await sweepUntilVerdict(project, deployment);
        expect(judged.verdict?.verdict).toBe("ok");
        const outcome = await job.done;
        expect(outcome.code, outcome.stdout).toBe(0);
        expect(outcome.stdout).toContain("deployment finished (success)");
      } finally {
        await runner.remove();
      }
    });
  }
});

describe("the GitHub Action's step, against the local stack", () => {
  it("gates a regressed deploy with the real CLI: exit 1, outputs and job summary written", async () => {
    const project = await projectWithApp("Action checkout", 10);
    // The action runs `npx --yes seqpulse@<version> ...`; here npx hands over to the workspace's
    // CLI (the one the tests above built), so everything else is the action's own shell.
    const runner = await runnerScratch(ship(project.app, "regressed"));
    try {
      const outputs = join(runner.dir, "outputs");
      const summary = join(runner.dir, "summary.md");
      await writeFile(outputs, "");
      await writeFile(summary, "");
      const actionDir = join(rootDir, "integrations", "github-action");
      const { done } = runShell(
        "bash",
        ["--noprofile", "--norc", "-eo", "pipefail", join(actionDir, "run.sh")],
        runner.dir,
        {
          PATH: runner.path,
          GITHUB_ACTION_PATH: actionDir,
          GITHUB_OUTPUT: outputs,
          GITHUB_STEP_SUMMARY: summary,
          SEQPULSE_API_KEY: project.apiKey,
          SEQPULSE_BASE_URL: baseUrl(),
          INPUT_ENV: "prod",
          INPUT_FAIL_ON: "rollback",
          INPUT_BLOCKING: "false",
          INPUT_VERSION: "1",
          INPUT_COMMAND: "./deploy.sh",
        },
      );

      const deployment = await finishedDeployment(project, done);
      await until(async () => (await appMetrics(project.app)).error_rate >= 0.1, "the regressed traffic");
      const { deployment: judged } = await sweepUntilVerdict(project, deployment);
      expect(judged.verdict?.verdict).toBe("rollback_recommended");

      const outcome = await done;
      expect(outcome.code, outcome.stdout).toBe(1);
      const written = await readFile(outputs, "utf8");
      expect(written).toContain(deployment.id);
      expect(written).toContain("rollback_recommended");
      const report = await readFile(summary, "utf8");
      expect(report).toContain(deployment.id);
      expect(report.toLowerCase()).toContain("rollback");
    } finally {
      await runner.remove();
    }
  });
});
