// Runs the integrations' shell the way each CI would, without the CI: the composite action's
// steps with the runner's bash options and files, the GitLab template through gitlab-ci-local,
// the CircleCI and Jenkins commands with their shells. The `seqpulse` CLI and `npx` are
// stand-ins put first on PATH: they record what they were given and answer a fixed verdict.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { type RunResult, run } from "../e2e/snippet-runners";

/** What the stand-in CLI prints with --json: the shape `seqpulse --json` answers. */
export interface CliAnswer {
  deployment_id: string;
  verdict: string | null;
  confidence: number | null;
  summary: string | null;
  findings: Array<{ metric: string; severity: string; title: string }>;
  dashboard_url: string;
}

export interface CliCall {
  /** The package spec npx was asked for, e.g. seqpulse@1. */
  spec: string;
  args: string[];
  env: { apiKey: string | null; baseUrl: string | null; env: string | null };
}

// CommonJS: the scratch folder has no package.json. `run` runs the command after `--` and, like
// the CLI, exits with the command's own code when it failed; otherwise with STANDIN_EXIT.
const standInCli = `const { appendFileSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const args = process.argv.slice(2);
const env = process.env;
appendFileSync(env.STANDIN_LOG, JSON.stringify({
  spec: env.STANDIN_SPEC ?? "",
  args,
  env: { apiKey: env.SEQPULSE_API_KEY ?? null, baseUrl: env.SEQPULSE_BASE_URL ?? null, env: env.SEQPULSE_ENV ?? null },
}) + "\\n");
let code = Number(env.STANDIN_EXIT ?? "0");
if (args[0] === "run") {
  const command = args.slice(args.indexOf("--") + 1);
  const result = spawnSync(command[0], command.slice(1), { stdio: "inherit" });
  if (result.status !== 0) code = result.status ?? 1;
}
const answer = JSON.parse(env.STANDIN_ANSWER);
console.log(args.includes("--json") ? JSON.stringify(answer, null, 2) : "SeqPulse: " + answer.verdict);
process.exit(code);
`;

// npx as CI runs it: `npx --yes seqpulse@<version> <args>`; anything else is refused.
const standInNpx = `#!/bin/sh
[ "$1" = --yes ] || { echo "npx stand-in: --yes expected" >&2; exit 99; }
case "$2" in seqpulse@?*) ;; *) echo "npx stand-in: seqpulse@<version> expected, got $2" >&2; exit 99 ;; esac
STANDIN_SPEC=$2
export STANDIN_SPEC
shift 2
exec seqpulse "$@"
`;

export interface Workspace {
  dir: string;
  /** PATH with the stand-ins first. */
  path: string;
  /** The variables the stand-ins read; merge them into the job's environment. */
  standInEnv: (answer: CliAnswer, exitCode: number) => Record<string, string>;
  calls: () => Promise<CliCall[]>;
  deployed: () => Promise<boolean>;
  remove: () => Promise<void>;
}

/**
 * A scratch checkout with the `./deploy.sh` the integrations call in place of the user's own
 * deployment (it leaves a `deployed` file behind), and the stand-ins in `.bin/`.
 */
export async function workspace({ git = false } = {}): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "seqpulse-integration-"));
  const bin = join(dir, ".bin");
  await mkdir(bin);
  await writeFile(join(bin, "seqpulse"), `#!${process.execPath}\n${standInCli}`);
  await writeFile(join(bin, "npx"), standInNpx);
  await writeFile(join(dir, "deploy.sh"), "#!/bin/sh\necho deployed > deployed\n");
  for (const file of [join(bin, "seqpulse"), join(bin, "npx"), join(dir, "deploy.sh")])
    await chmod(file, 0o755);
  const log = join(dir, ".calls.jsonl");
  await writeFile(log, "");
  if (git) {
    const gitEnv = { GIT_AUTHOR_NAME: "ci", GIT_AUTHOR_EMAIL: "ci@example.com" };
    for (const args of [
      ["init", "-q"],
      ["add", "deploy.sh"],
      ["-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-qm", "deploy"],
      ["remote", "add", "origin", "https://gitlab.example.com/team/app.git"],
    ]) {
      const result = await run("git", args, { cwd: dir, env: gitEnv });
      if (result.code !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    }
  }
  return {
    dir,
    path: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    standInEnv: (answer, exitCode) => ({
      STANDIN_LOG: log,
      STANDIN_ANSWER: JSON.stringify(answer),
      STANDIN_EXIT: String(exitCode),
    }),
    calls: async () =>
      (await readFile(log, "utf8"))
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as CliCall),
    deployed: () =>
      readFile(join(dir, "deployed")).then(
        () => true,
        () => false,
      ),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

interface ActionDefinition {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: {
    using: string;
    steps: Array<{ id?: string; name?: string; shell?: string; env?: Record<string, string>; run?: string }>;
  };
}

/**
 * Substitutes `${{ inputs.<name> }}` and `${{ steps.<id>.outputs.<name> }}`, the only expressions
 * the action uses; anything else throws, so the action cannot outgrow this runner silently.
 */
function substitute(
  text: string,
  inputs: Record<string, string>,
  steps: Record<string, Record<string, string>>,
): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) return inputs[input[1] ?? ""] ?? "";
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (output) return steps[output[1] ?? ""]?.[output[2] ?? ""] ?? "";
    throw new Error(`expression not understood: ${expression}`);
  });
}

/**
 * Runs a composite action as a Linux runner does: inputs with their defaults (a missing required
 * one is refused), each `shell: bash` step as `bash --noprofile --norc -eo pipefail {0}` with
 * GITHUB_ACTION_PATH, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, until a step fails; then the action's
 * outputs from its steps' outputs.
 */
export async function runCompositeAction(
  actionDir: string,
  given: Record<string, string>,
  { cwd, env }: { cwd: string; env: Record<string, string> },
): Promise<RunResult & { outputs: Record<string, string>; summary: string }> {
  const action = parse(await readFile(join(actionDir, "action.yml"), "utf8")) as ActionDefinition;
  if (action.runs.using !== "composite") throw new Error("a composite action expected");
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    const value = given[name] ?? input.default ?? "";
    if (input.required && given[name] === undefined) throw new Error(`input ${name} is required`);
    inputs[name] = value;
  }
  const summaryFile = join(cwd, ".step-summary.md");
  await writeFile(summaryFile, "");
  const steps: Record<string, Record<string, string>> = {};
  let last: RunResult = { code: 0, stdout: "", stderr: "" };
  for (const [index, step] of action.runs.steps.entries()) {
    if (step.run === undefined || step.shell !== "bash") throw new Error("bash run steps expected");
    const outputFile = join(cwd, `.step-output-${index}`);
    await writeFile(outputFile, "");
    const stepEnv: Record<string, string> = {
      ...env,
      GITHUB_ACTION_PATH: actionDir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
    };
    for (const [key, raw] of Object.entries(step.env ?? {})) stepEnv[key] = substitute(raw, inputs, steps);
    const script = join(cwd, `.step-${index}.sh`);
    await writeFile(script, substitute(step.run, inputs, steps));
    last = await run("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd, env: stepEnv });
    if (step.id) {
      steps[step.id] = Object.fromEntries(
        (await readFile(outputFile, "utf8"))
          .split("\n")
          .filter((line) => line.includes("="))
          .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
    }
    if (last.code !== 0) break;
  }
  const outputs = Object.fromEntries(
    Object.entries(action.outputs).map(([name, output]) => [name, substitute(output.value, inputs, steps)]),
  );
  return { ...last, outputs, summary: await readFile(summaryFile, "utf8") };
}

/**
 * Runs a pipeline with gitlab-ci-local's shell executor: GitLab's own assembly of a job (the
 * include, `extends`, variables, the script), after checking the file against GitLab's JSON
 * schema, on this machine with the stand-ins first on PATH.
 */
export async function runWithGitlabCiLocal(
  pipeline: string,
  files: Record<string, string>,
  {
    cwd,
    path,
    variables,
    preview = false,
  }: {
    cwd: string;
    path: string;
    variables: Record<string, string>;
    preview?: boolean;
  },
): Promise<RunResult> {
  await writeFile(join(cwd, ".gitlab-ci.yml"), pipeline);
  for (const [name, text] of Object.entries(files)) await writeFile(join(cwd, name), text);
  // Local includes are read from the repository: commit them as a user would.
  for (const args of [
    ["add", ".gitlab-ci.yml", ...Object.keys(files)],
    ["-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-qm", "pipeline"],
  ]) {
    const result = await run("git", args, { cwd });
    if (result.code !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  }
  return run(
    process.execPath,
    [
      join(import.meta.dirname, "..", "node_modules/gitlab-ci-local/dist/index.js"),
      "--force-shell-executor",
      ...(preview ? ["--preview"] : []),
      ...Object.entries(variables).flatMap(([key, value]) => ["--variable", `${key}=${value}`]),
    ],
    { cwd, env: { PATH: path } },
  );
}
