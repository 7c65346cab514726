// Runs the integration tab's snippets the way their CI systems would, without the CI systems:
// the shell lines go to bash unchanged, with the variables the CI would set (and the GitLab file
// also through gitlab-ci-local). What cannot run here (a checkout action, `apk add` in an alpine
// image) is checked instead of run.
import { spawn } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with only the given variables (and PATH, HOME), as a fresh CI job would. */
export function run(
  command: string,
  args: string[],
  { cwd, env = {} }: { cwd: string; env?: Record<string, string> },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? cwd, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * A scratch git checkout with the `./deploy.sh` the snippets call in place of the user's own
 * deployment: it leaves a `deployed` file behind, and fails when `deployFails` is set.
 */
export async function scratchCheckout({ deployFails = false } = {}): Promise<{
  dir: string;
  sha: string;
  deployed: () => Promise<boolean>;
  remove: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), "seqpulse-snippet-"));
  const deploy = join(dir, "deploy.sh");
  await writeFile(deploy, `#!/bin/sh\necho deployed > deployed\n${deployFails ? "exit 1\n" : ""}`);
  await chmod(deploy, 0o755);
  const gitEnv = {
    GIT_AUTHOR_NAME: "ci",
    GIT_AUTHOR_EMAIL: "ci@example.com",
    GIT_COMMITTER_NAME: "ci",
    GIT_COMMITTER_EMAIL: "ci@example.com",
  };
  for (const args of [
    ["init", "-q"],
    ["add", "deploy.sh"],
    ["commit", "-qm", "deploy"],
  ]) {
    const result = await run("git", args, { cwd: dir, env: gitEnv });
    if (result.code !== 0) throw new Error(`git ${args[0]}: ${result.stderr}`);
  }
  const sha = (await run("git", ["rev-parse", "HEAD"], { cwd: dir })).stdout.trim();
  return {
    dir,
    sha,
    deployed: () =>
      readFile(join(dir, "deployed")).then(
        () => true,
        () => false,
      ),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A shell snippet saved as the file it says it is, run with bash. */
export async function runShellSnippet(
  snippet: string,
  { cwd, env, file = "seqpulse.sh" }: { cwd: string; env: Record<string, string>; file?: string },
): Promise<RunResult> {
  await writeFile(join(cwd, file), snippet);
  return run("bash", [file], { cwd, env });
}

interface WorkflowStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
}

interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: WorkflowStep[] }>;
}

export interface GithubContext {
  secrets: Record<string, string>;
  /** The runner's default variables the steps may read (GITHUB_REF_NAME, GITHUB_SHA, ...). */
  variables: Record<string, string>;
}

export interface StepRecord {
  name: string;
  ran: boolean;
  result?: RunResult;
}

/**
 * Evaluates a GitHub Actions expression of the small kind the snippets use: status functions,
 * context properties (a missing one is ''), string literals, ==, !=, && and || (which, as in
 * GitHub, give back an operand). Anything else throws, so a snippet cannot outgrow this runner
 * silently.
 */
export function evaluateExpression(
  expression: string,
  contexts: {
    secrets: Record<string, string>;
    steps: Record<string, Record<string, string>>;
    status: string;
    /** The runner's GITHUB_* variables: github.ref_name is GITHUB_REF_NAME. */
    variables: Record<string, string>;
  },
): string | boolean {
  const tokens = expression.match(/\s*(\|\||&&|==|!=|'[^']*'|[A-Za-z_][\w.-]*\(\)|[A-Za-z_][\w.-]*)/gy);
  if (!tokens || tokens.join("").trim() !== expression.trim()) {
    throw new Error(`expression not understood: ${expression}`);
  }
  const list = tokens.map((token) => token.trim());
  let position = 0;
  const value = (token: string): string | boolean => {
    if (token.startsWith("'")) return token.slice(1, -1);
    if (token === "always()") return true;
    if (token === "success()") return contexts.status === "success";
    if (token === "failure()") return contexts.status === "failure";
    const [context, ...path] = token.split(".");
    if (context === "secrets" && path.length === 1) return contexts.secrets[path[0]!] ?? "";
    if (context === "job" && path.join(".") === "status") return contexts.status;
    if (context === "github" && path.length === 1) {
      const variable = `GITHUB_${path[0]!.toUpperCase()}`;
      if (variable in contexts.variables) return contexts.variables[variable]!;
    }
    if (context === "steps" && path.length === 3 && path[1] === "outputs") {
      return contexts.steps[path[0]!]?.[path[2]!] ?? "";
    }
    throw new Error(`expression not understood: ${token} in ${expression}`);
  };
  const comparison = (): string | boolean => {
    const left = value(list[position++]!);
    const operator = list[position];
    if (operator !== "==" && operator !== "!=") return left;
    position++;
    const right = value(list[position++]!);
    return operator === "==" ? left === right : left !== right;
  };
  const and = (): string | boolean => {
    let left = comparison();
    while (list[position] === "&&") {
      position++;
      const right = comparison();
      left = left ? right : left;
    }
    return left;
  };
  let result = and();
  while (list[position] === "||") {
    position++;
    const right = and();
    result = result ? result : right;
  }
  if (position !== list.length) throw new Error(`expression not understood: ${expression}`);
  return result;
}

const substitute = (text: string, evaluate: (expression: string) => string | boolean) =>
  text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => String(evaluate(expression)));

/**
 * Runs a workflow's one job step by step as a Linux runner does: `if:` decides (default
 * `success()`), `env:` values are evaluated, `run:` goes to `bash -e {0}` (the runner's command
 * for a step without `shell:`), `$GITHUB_OUTPUT` lines become the step's outputs. `uses:` steps
 * are skipped: the work folder already is the checkout.
 */
export async function runGithubWorkflow(
  source: string,
  { cwd, secrets, variables }: GithubContext & { cwd: string },
): Promise<{ status: string; steps: StepRecord[] }> {
  const workflow = parse(source) as Workflow;
  const jobs = Object.values(workflow.jobs);
  if (jobs.length !== 1) throw new Error("one job expected");
  const job = jobs[0]!;
  const outputs: Record<string, Record<string, string>> = {};
  let status = "success";
  const records: StepRecord[] = [];
  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? `step ${index + 1}`;
    const evaluate = (expression: string) =>
      evaluateExpression(expression, { secrets, steps: outputs, status, variables });
    if (step.uses) {
      records.push({ name, ran: false });
      continue;
    }
    if (!evaluate(step.if ?? "success()")) {
      records.push({ name, ran: false });
      continue;
    }
    if (step.run === undefined) throw new Error(`${name}: neither run nor uses`);
    if (step.shell !== undefined) throw new Error(`${name}: only the default shell is emulated`);
    const env: Record<string, string> = { ...variables };
    for (const [key, raw] of Object.entries({ ...workflow.env, ...job.env, ...step.env })) {
      env[key] = substitute(String(raw), evaluate);
    }
    const outputFile = join(cwd, `.github-output-${index}`);
    await writeFile(outputFile, "");
    env.GITHUB_OUTPUT = outputFile;
    const script = join(cwd, `.github-step-${index}.sh`);
    // The runner substitutes expressions in `run:` before bash sees it (text into the script:
    // what GitHub's script-injection guidance warns about).
    await writeFile(script, substitute(step.run, evaluate));
    const result = await run("bash", ["-e", script], { cwd, env });
    records.push({ name, ran: true, result });
    if (step.id) {
      outputs[step.id] = Object.fromEntries(
        (await readFile(outputFile, "utf8"))
          .split("\n")
          .filter((line) => line.includes("="))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
    }
    if (result.code !== 0) status = "failure";
  }
  return { status, steps: records };
}

interface GitlabJob {
  variables?: Record<string, string>;
  before_script?: string[];
  script: string[];
}

/**
 * Runs a `.gitlab-ci.yml` job's `script:` lines as one shell script, as the runner does, with
 * the job's `variables:` and the predefined ones given, in `shell` (bash unless told). `before_script` installs tools in the
 * image; here it must be `apk add` of tools this machine already has.
 */
export async function runGitlabJob(
  source: string,
  { cwd, variables, shell = ["bash"] }: { cwd: string; variables: Record<string, string>; shell?: string[] },
): Promise<RunResult> {
  const config = parse(source) as Record<string, GitlabJob>;
  const jobs = Object.entries(config).filter(
    ([, value]) => value && typeof value === "object" && "script" in value,
  );
  if (jobs.length !== 1) throw new Error("one job expected");
  const job = jobs[0]![1];
  for (const line of job.before_script ?? []) {
    const tools = /^apk add --no-cache ((?:[\w-]+ ?)+)$/.exec(line)?.[1]?.split(" ");
    if (!tools) throw new Error(`before_script line not emulated: ${line}`);
    for (const tool of tools) {
      const found = await run("sh", ["-c", `command -v ${tool}`], { cwd });
      if (found.code !== 0) throw new Error(`${tool} is needed to run the GitLab job here`);
    }
  }
  const script = join(cwd, ".gitlab-job.sh");
  // errexit only, no pipefail: the snippet must not rely on the runner's shell options.
  await writeFile(script, `${job.script.join("\n")}\n`);
  const env = { ...variables };
  for (const [key, value] of Object.entries(job.variables ?? {})) env[key] = String(value);
  const [command, ...args] = shell;
  return run(command!, [...args, "-e", script], { cwd, env });
}

/**
 * Runs a `.gitlab-ci.yml` pipeline with gitlab-ci-local's shell executor: GitLab's own way of
 * assembling a job's script, its predefined variables (CI_COMMIT_SHA from the checkout), on
 * this machine instead of the job's image, after checking the file against GitLab's JSON
 * schema. `apk` is a stand-in that only checks the tools are already here.
 */
export async function runWithGitlabCiLocal(
  source: string,
  { cwd, variables }: { cwd: string; variables: Record<string, string> },
): Promise<RunResult> {
  await writeFile(join(cwd, ".gitlab-ci.yml"), source);
  await run("git", ["remote", "add", "origin", "https://gitlab.example.com/team/app.git"], { cwd });
  const shims = join(cwd, ".shims");
  await mkdir(shims);
  await writeFile(
    join(shims, "apk"),
    '#!/bin/sh\n[ "$1 $2" = "add --no-cache" ] || exit 1\nshift 2\nfor tool; do command -v "$tool" >/dev/null || exit 1; done\n',
  );
  await chmod(join(shims, "apk"), 0o755);
  return run(
    process.execPath,
    [
      join(import.meta.dirname, "..", "node_modules/gitlab-ci-local/dist/index.js"),
      "--force-shell-executor",
      ...Object.entries(variables).flatMap(([key, value]) => ["--variable", `${key}=${value}`]),
    ],
    { cwd, env: { PATH: `${shims}:${process.env.PATH ?? "/usr/bin:/bin"}` } },
  );
}

export const gitlabCiLocalPath = join(
  import.meta.dirname,
  "..",
  "node_modules/gitlab-ci-local/dist/index.js",
);
