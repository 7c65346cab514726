import { parseArgs } from "node:util";
import type { Environment } from "../ci/ci-env.js";

/** Exit codes, the CLI's contract with pipelines. */
export const EXIT = {
  ok: 0,
  /** `rollback_recommended`, or `warning` with `--fail-on warning`. */
  rollback: 1,
  usage: 2,
  /** SeqPulse could not be reached (or refused the call) and `--blocking` was given. */
  unreachable: 3,
} as const;

export class UsageError extends Error {
  override name = "UsageError";
}

export type CommandName = "trigger" | "finish" | "wait" | "run";
export const commandNames: readonly CommandName[] = ["trigger", "finish", "wait", "run"];

const common = {
  "base-url": { type: "string" },
  "api-key": { type: "string" },
  timeout: { type: "string" },
  blocking: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const triggerOptions = {
  env: { type: "string" },
  branch: { type: "string" },
  "commit-sha": { type: "string" },
  "metrics-endpoint": { type: "string" },
  "app-version": { type: "string" },
  "commit-url": { type: "string" },
  "ci-run-url": { type: "string" },
  actor: { type: "string" },
  "idempotency-key": { type: "string" },
} as const;

const waitOptions = {
  "fail-on": { type: "string" },
  "wait-timeout": { type: "string" },
} as const;

const finishOptions = {
  "deployment-id": { type: "string" },
  result: { type: "string" },
  "metrics-endpoint": { type: "string" },
} as const;

export interface CommonOptions {
  baseUrl: string;
  apiKey: string;
  requestTimeoutMs: number;
  blocking: boolean;
  json: boolean;
}

export interface TriggerOptions {
  env: string;
  branch?: string;
  commitSha?: string;
  metricsEndpoint?: string;
  version?: string;
  commitUrl?: string;
  ciRunUrl?: string;
  actor?: string;
  idempotencyKey?: string;
}

export interface WaitOptions {
  failOnWarning: boolean;
  waitTimeoutMs: number;
}

export type ParsedCommand =
  | { command: "help"; topic: CommandName | null }
  | { command: "trigger"; common: CommonOptions; trigger: TriggerOptions }
  | {
      command: "finish";
      common: CommonOptions;
      deploymentId: string;
      result: "success" | "failed";
      metricsEndpoint?: string;
    }
  | { command: "wait"; common: CommonOptions; deploymentId: string; wait: WaitOptions }
  | { command: "run"; common: CommonOptions; trigger: TriggerOptions; wait: WaitOptions; argv: string[] };

/** Parses `seqpulse <command> [options]`; throws `UsageError` with a message for the user. */
export function parseCommand(argv: string[], environment: Environment): ParsedCommand {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    const topic = rest[0] && isCommand(rest[0]) ? rest[0] : null;
    if (!name) throw new UsageError("A command is required.");
    return { command: "help", topic };
  }
  if (!isCommand(name)) throw new UsageError(`Unknown command "${name}".`);
  // `run`'s own options end at `--`: what follows is the deploy command, passed on untouched.
  const separator = rest.indexOf("--");
  const own = separator === -1 ? rest : rest.slice(0, separator);
  const after = separator === -1 ? [] : rest.slice(separator + 1);
  const options = { ...common, ...optionsOf(name) };
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: own, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { command: "help", topic: name };
  const text = (key: string) => (typeof values[key] === "string" ? (values[key] as string) : undefined);

  const commonOptions = parseCommon(text, values, environment);
  if (name === "trigger" || name === "run") {
    const trigger = parseTrigger(text, environment);
    if (name === "trigger") {
      if (parsed.positionals.length) throw new UsageError(`Unexpected argument "${parsed.positionals[0]}".`);
      return { command: "trigger", common: commonOptions, trigger };
    }
    const command = [...parsed.positionals, ...after];
    if (command.length === 0) throw new UsageError("run needs the deploy command after `--`.");
    return { command: "run", common: commonOptions, trigger, wait: parseWait(text), argv: command };
  }
  if (name === "finish") {
    const deploymentId = text("deployment-id") ?? environment.SEQPULSE_DEPLOYMENT_ID;
    if (deploymentId === undefined) throw new UsageError("finish needs --deployment-id.");
    const result = text("result");
    if (result !== "success" && result !== "failed")
      throw new UsageError("finish needs --result success or --result failed.");
    return {
      command: "finish",
      common: commonOptions,
      deploymentId,
      result,
      metricsEndpoint: text("metrics-endpoint"),
    };
  }
  const deploymentId = parsed.positionals[0] ?? environment.SEQPULSE_DEPLOYMENT_ID;
  if (deploymentId === undefined) throw new UsageError("wait needs the deployment id.");
  if (parsed.positionals.length > 1) throw new UsageError(`Unexpected argument "${parsed.positionals[1]}".`);
  return { command: "wait", common: commonOptions, deploymentId, wait: parseWait(text) };
}

function isCommand(name: string): name is CommandName {
  return (commandNames as readonly string[]).includes(name);
}

function optionsOf(name: CommandName) {
  if (name === "trigger") return triggerOptions;
  if (name === "finish") return finishOptions;
  if (name === "wait") return waitOptions;
  return { ...triggerOptions, ...waitOptions };
}

function parseCommon(
  text: (key: string) => string | undefined,
  values: Record<string, string | boolean | undefined>,
  environment: Environment,
): CommonOptions {
  const baseUrl = text("base-url") ?? environment.SEQPULSE_BASE_URL;
  if (!baseUrl) throw new UsageError("Set SEQPULSE_BASE_URL (or --base-url) to the SeqPulse API's URL.");
  if (!/^https?:\/\/[^/]/.test(baseUrl))
    throw new UsageError(`The base URL "${baseUrl}" is not an http(s) URL.`);
  const apiKey = text("api-key") ?? environment.SEQPULSE_API_KEY;
  if (!apiKey) throw new UsageError("Set SEQPULSE_API_KEY (or --api-key) to the project's API key.");
  return {
    baseUrl,
    apiKey,
    requestTimeoutMs: seconds(text("timeout"), "--timeout", 10) * 1000,
    blocking: values.blocking === true || isTrue(environment.SEQPULSE_BLOCKING),
    json: values.json === true,
  };
}

function parseTrigger(text: (key: string) => string | undefined, environment: Environment): TriggerOptions {
  const env = text("env") ?? environment.SEQPULSE_ENV;
  if (!env) throw new UsageError("Set SEQPULSE_ENV (or --env) to the environment being deployed.");
  return {
    env,
    branch: text("branch"),
    commitSha: text("commit-sha"),
    metricsEndpoint: text("metrics-endpoint") ?? environment.SEQPULSE_METRICS_ENDPOINT,
    version: text("app-version"),
    commitUrl: text("commit-url"),
    ciRunUrl: text("ci-run-url"),
    actor: text("actor"),
    idempotencyKey: text("idempotency-key"),
  };
}

function parseWait(text: (key: string) => string | undefined): WaitOptions {
  const failOn = text("fail-on") ?? "rollback";
  if (failOn !== "warning" && failOn !== "rollback")
    throw new UsageError("--fail-on takes warning or rollback.");
  return {
    failOnWarning: failOn === "warning",
    waitTimeoutMs: seconds(text("wait-timeout"), "--wait-timeout", 1800) * 1000,
  };
}

function seconds(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new UsageError(`${name} takes a number of seconds.`);
  return parsed;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes)$/i.test(value.trim());
}

const connection = `Connection (every command):
  --base-url <url>        SeqPulse API (env SEQPULSE_BASE_URL)
  --api-key <key>         the project's API key (env SEQPULSE_API_KEY)
  --timeout <s>           per request, default 10; 5xx and network errors are retried
  --blocking              fail (exit 3) when SeqPulse cannot be reached (env SEQPULSE_BLOCKING=true);
                          by default an outage prints a warning and never breaks the deploy
  --json                  machine-readable answer on stdout`;

const deployment = `Deployment:
  --env <name>            environment (env SEQPULSE_ENV), required
  --branch, --commit-sha  default: from the CI's variables
  --app-version <v>, --commit-url <url>, --ci-run-url <url>, --actor <name>
  --metrics-endpoint <url> (env SEQPULSE_METRICS_ENDPOINT)
  --idempotency-key <k>   default: SEQPULSE_IDEMPOTENCY_KEY, else the CI run's id
                          (GitHub, GitLab, CircleCI, Jenkins, Buildkite) and the env`;

const verdict = `Verdict:
  --fail-on <level>       rollback (default) or warning
  --wait-timeout <s>      how long to wait for the verdict, default 1800
Exit codes: 0 ok (and warning unless --fail-on warning), 1 rollback_recommended,
  2 usage error, 3 SeqPulse unreachable with --blocking.`;

export const usage: Record<CommandName | "main", string> = {
  main: `Usage: seqpulse <command> [options]

Commands:
  trigger              open a deployment before deploying; prints its id
  finish               close it after deploying (always, even when the deploy failed)
  wait <deployment-id> wait for the verdict and exit by it
  run -- <command...>  trigger, run the deploy command, finish with its result, wait, exit

seqpulse <command> --help for the command's options.`,
  trigger: `Usage: seqpulse trigger [options]

Opens a deployment before the deploy and prints its id on stdout.

${deployment}

${connection}`,
  finish: `Usage: seqpulse finish --deployment-id <id> --result success|failed [options]

Closes the deployment after the deploy; run it even when the deploy failed.
  --deployment-id <id>    (env SEQPULSE_DEPLOYMENT_ID)
  --result <r>            success or failed
  --metrics-endpoint <url>

${connection}`,
  wait: `Usage: seqpulse wait <deployment-id> [options]

Waits for the verdict, showing progress on stderr, and exits by it.

${verdict}

${connection}`,
  run: `Usage: seqpulse run [options] -- <deploy command...>

Triggers, runs the deploy command, finishes with its result (always: also when it fails or is
interrupted, SIGINT and SIGTERM are passed on to it), then waits for the verdict. A failed
command's exit code is the CLI's exit code.

${deployment}

${verdict}

${connection}`,
};
