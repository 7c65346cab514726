import { spawn } from "node:child_process";
import { constants } from "node:os";
import {
  actorFrom,
  branchFrom,
  ciRunUrlFrom,
  commitFrom,
  type Environment,
  idempotencyKeyFrom,
} from "../ci/ci-env.js";
import {
  type CIClient,
  createCIClient,
  SeqPulseError,
  type VerdictAnswer,
  VerdictTimeoutError,
} from "../ci/client.js";
import {
  type CommonOptions,
  EXIT,
  type ParsedCommand,
  type TriggerOptions,
  type WaitOptions,
} from "./options.js";
import { progressLine, verdictText } from "./report.js";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  environment: Environment;
}

type Runnable = Exclude<ParsedCommand, { command: "help" }>;

export async function runCommand(parsed: Runnable, io: Io): Promise<number> {
  const client = createCIClient({
    baseUrl: parsed.common.baseUrl,
    apiKey: parsed.common.apiKey,
    timeoutMs: parsed.common.requestTimeoutMs,
  });
  const context = { client, io, common: parsed.common };
  switch (parsed.command) {
    case "trigger":
      return triggerCommand(context, parsed.trigger);
    case "finish":
      return finishCommand(context, parsed.deploymentId, parsed.result, parsed.metricsEndpoint);
    case "wait":
      return waitCommand(context, parsed.deploymentId, parsed.wait);
    case "run":
      return runDeploy(context, parsed.trigger, parsed.wait, parsed.argv);
  }
}

interface Context {
  client: CIClient;
  io: Io;
  common: CommonOptions;
}

/**
 * A failed call to SeqPulse: with `--blocking` it fails the step (exit 3); by default it is a
 * warning and the deploy goes on, since an outage of SeqPulse must never break a deploy.
 */
function seqpulseFailed(context: Context, what: string, error: unknown): number {
  const reason = error instanceof Error ? error.message : String(error);
  const level = context.common.blocking ? "error" : "warning";
  context.io.stderr(`seqpulse ${level}: ${what}: ${reason}`);
  return context.common.blocking ? EXIT.unreachable : EXIT.ok;
}

async function openDeployment(context: Context, trigger: TriggerOptions): Promise<string> {
  const environment = context.io.environment;
  const { deploymentId, replayed } = await context.client.trigger({
    env: trigger.env,
    branch: trigger.branch ?? branchFrom(environment),
    commitSha: trigger.commitSha ?? commitFrom(environment),
    metricsEndpoint: trigger.metricsEndpoint,
    version: trigger.version,
    commitUrl: trigger.commitUrl,
    ciRunUrl: trigger.ciRunUrl ?? ciRunUrlFrom(environment),
    actor: trigger.actor ?? actorFrom(environment),
    // Outside a known CI a fresh key still makes this call's own retries safe.
    idempotencyKey:
      trigger.idempotencyKey ?? idempotencyKeyFrom(environment, trigger.env) ?? crypto.randomUUID(),
  });
  context.io.stderr(
    `seqpulse: deployment ${deploymentId}${replayed ? " (already triggered by this run)" : ""}`,
  );
  return deploymentId;
}

async function triggerCommand(context: Context, trigger: TriggerOptions): Promise<number> {
  try {
    const deploymentId = await openDeployment(context, trigger);
    context.io.stdout(context.common.json ? JSON.stringify({ deployment_id: deploymentId }) : deploymentId);
    return EXIT.ok;
  } catch (error) {
    if (context.common.json) context.io.stdout(JSON.stringify({ deployment_id: null }));
    return seqpulseFailed(context, "could not open the deployment", error);
  }
}

async function finishCommand(
  context: Context,
  deploymentId: string,
  result: "success" | "failed",
  metricsEndpoint: string | undefined,
): Promise<number> {
  // An empty id is what a pipeline passes on after a trigger that failed without --blocking.
  if (!deploymentId)
    return seqpulseFailed(context, "nothing to finish", "no deployment id (the trigger failed)");
  try {
    const answer = await context.client.finish({ deploymentId, result, metricsEndpoint });
    context.io.stdout(context.common.json ? JSON.stringify(answer) : `seqpulse: ${answer.message}`);
    return EXIT.ok;
  } catch (error) {
    return seqpulseFailed(context, "could not finish the deployment", error);
  }
}

async function waitCommand(context: Context, deploymentId: string, wait: WaitOptions): Promise<number> {
  if (!deploymentId)
    return seqpulseFailed(context, "nothing to wait for", "no deployment id (the trigger failed)");
  const verdict = await waitAndReport(context, deploymentId, wait);
  return verdict.exitCode;
}

/** Waits for the verdict, prints it, and says how to exit. */
async function waitAndReport(
  context: Context,
  deploymentId: string,
  wait: WaitOptions,
): Promise<{ exitCode: number; answer: VerdictAnswer | null }> {
  let lastLine = "";
  let answer: VerdictAnswer;
  try {
    answer = await context.client.waitForVerdict(deploymentId, {
      timeoutMs: wait.waitTimeoutMs,
      onProgress: (deployment) => {
        const line = progressLine(deployment);
        if (line !== lastLine) context.io.stderr(`seqpulse: ${line}`);
        lastLine = line;
      },
    });
  } catch (error) {
    const what = error instanceof VerdictTimeoutError ? "no verdict yet" : "could not read the verdict";
    if (context.common.json)
      context.io.stdout(JSON.stringify({ deployment_id: deploymentId, verdict: null }));
    return { exitCode: seqpulseFailed(context, what, error), answer: null };
  }
  if (context.common.json) context.io.stdout(JSON.stringify(answer));
  else context.io.stdout(verdictText(answer));
  if (!answer.verdict) {
    return {
      exitCode: seqpulseFailed(
        context,
        "no verdict",
        new SeqPulseError(`the deployment is ${answer.state}`, null),
      ),
      answer,
    };
  }
  const fails =
    answer.verdict === "rollback_recommended" || (answer.verdict === "warning" && wait.failOnWarning);
  return { exitCode: fails ? EXIT.rollback : EXIT.ok, answer };
}

/**
 * `run -- <command>`: trigger, run, finish with the command's result (always, also when it
 * fails or is interrupted), then wait for the verdict. A failed command decides the exit code.
 */
async function runDeploy(
  context: Context,
  trigger: TriggerOptions,
  wait: WaitOptions,
  argv: string[],
): Promise<number> {
  let deploymentId: string | null = null;
  try {
    deploymentId = await openDeployment(context, trigger);
  } catch (error) {
    const exitCode = seqpulseFailed(context, "could not open the deployment", error);
    // Blocking: no deploy without SeqPulse watching it.
    if (exitCode !== EXIT.ok) return exitCode;
  }

  const { code, signal } = await runChild(argv, context.io, context.common.json);
  const succeeded = code === 0 && signal === null;
  let finishExit: number | null = null;
  if (deploymentId) {
    try {
      await context.client.finish({
        deploymentId,
        result: succeeded ? "success" : "failed",
        metricsEndpoint: trigger.metricsEndpoint,
      });
      context.io.stderr(`seqpulse: deployment finished (${succeeded ? "success" : "failed"})`);
    } catch (error) {
      finishExit = seqpulseFailed(context, "could not finish the deployment", error);
    }
  }
  if (!succeeded) {
    context.io.stderr(
      signal
        ? `seqpulse: the deploy command was stopped by ${signal}`
        : `seqpulse: the deploy command failed (exit ${code})`,
    );
    if (context.common.json) {
      context.io.stdout(
        JSON.stringify({ deployment_id: deploymentId, command_exit_code: exitCodeOf(code, signal) }),
      );
    }
    return exitCodeOf(code, signal);
  }
  // An unfinished deployment gets no verdict: waiting for one would only time out.
  if (finishExit !== null) return finishExit;
  if (!deploymentId) return EXIT.ok;
  return (await waitAndReport(context, deploymentId, wait)).exitCode;
}

/** The shell's convention: a command killed by a signal exits 128 + its number. */
function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return 128 + (constants.signals[signal] ?? 0);
  return code ?? 1;
}

/**
 * Runs the deploy command with our stdio (its stdout goes to our stderr under `--json`: stdout
 * is for the answer); SIGINT and SIGTERM sent to us are passed on to it, and the command then
 * counts as stopped by that signal.
 */
function runChild(
  argv: string[],
  io: Io,
  json: boolean,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const [file, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      stdio: ["inherit", json ? 2 : "inherit", "inherit"],
      env: process.env,
    });
    let interrupted: NodeJS.Signals | null = null;
    const forward = (signal: NodeJS.Signals) => {
      io.stderr(`seqpulse: ${signal} received, passing it on to the deploy command`);
      interrupted = signal;
      child.kill(signal);
    };
    const onInt = () => forward("SIGINT");
    const onTerm = () => forward("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    const done = (result: { code: number | null; signal: NodeJS.Signals | null }) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(result);
    };
    child.on("error", (error) => {
      io.stderr(`seqpulse: could not start "${file}": ${error.message}`);
      // The shell's "command not found".
      done({ code: 127, signal: null });
    });
    // A command that catches the signal and exits 0 was still interrupted: not a finished deploy.
    child.on("exit", (code, signal) => done({ code, signal: signal ?? (code === 0 ? interrupted : null) }));
  });
}
