import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CiServer, startCiServer } from "../../test/ci-server";

/**
 * The CLI as pipelines run it: the built `dist/cli/main.js` in a child process, against a local
 * HTTP server speaking the CI contract.
 */
const packageDir = fileURLToPath(new URL("../..", import.meta.url));
const cliPath = `${packageDir}dist/cli/main.js`;
let server: CiServer;

beforeAll(async () => {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: packageDir,
  });
  server = await startCiServer();
});
afterAll(() => server.close());

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startCli(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; done: Promise<Outcome> } {
  const child = spawn(process.execPath, [cliPath, ...args], {
    // No CI variables of the machine running the tests.
    env: {
      PATH: process.env.PATH ?? "",
      SEQPULSE_BASE_URL: server.url,
      SEQPULSE_API_KEY: "sp_test_key",
      SEQPULSE_ENV: "production",
      ...env,
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
  const done = new Promise<Outcome>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

const cli = (args: string[], env?: Record<string, string>) => startCli(args, env).done;
const node = (script: string) => [process.execPath, "-e", script];
const finishes = () =>
  server.received.filter((r) => r.path === "/deployments/finish").map((r) => r.body?.result);

describe("seqpulse run", () => {
  it("exits 0 on ok, after triggering, finishing with success and showing progress", async () => {
    server.set({ verdict: "ok", pendingPolls: 1 });
    const result = await cli(["run", "--branch", "main", "--", ...node("console.log('deployed')")], {
      GITHUB_RUN_ID: "42",
      GITHUB_RUN_ATTEMPT: "2",
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("deployed");
    expect(result.stdout).toContain("SeqPulse verdict: ok");
    expect(result.stderr).toMatch(/seqpulse: collecting 0\/15 min, no finding yet/);
    const trigger = server.received.find((r) => r.path === "/deployments/trigger");
    expect(trigger?.headers["x-idempotency-key"]).toBe("github-42-2:production");
    expect(trigger?.body).toMatchObject({ env: "production", branch: "main" });
    expect(finishes()).toEqual(["success"]);
  });

  it("exits 0 on warning, 1 with --fail-on warning", async () => {
    server.set({ verdict: "warning" });
    expect((await cli(["run", "--", ...node("")])).code).toBe(0);
    server.set({ verdict: "warning" });
    expect((await cli(["run", "--fail-on", "warning", "--", ...node("")])).code).toBe(1);
  });

  it("exits 1 on rollback_recommended, with the findings and the dashboard link", async () => {
    server.set({ verdict: "rollback_recommended" });
    const result = await cli(["run", "--", ...node("")]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "SeqPulse verdict: rollback_recommended (confidence 0.90), decided early",
    );
    expect(result.stdout).toContain("[critical] latency_p95: p95 latency doubled");
    expect(result.stdout).toMatch(/Details: http:\/\/dashboard\.test\/deployments\/[0-9a-f-]{36}/);
  });

  it("answers JSON on stdout with --json, the command's output going to stderr", async () => {
    server.set({ verdict: "rollback_recommended" });
    const result = await cli(["run", "--json", "--", ...node("console.log('deployed')")]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: "rollback_recommended", early: true });
    expect(result.stderr).toContain("deployed");
  });

  it("finishes with failed and exits with the command's code when the command fails", async () => {
    server.set({ verdict: "ok" });
    const result = await cli(["run", "--", ...node("process.exit(7)")]);
    expect(result.code).toBe(7);
    expect(finishes()).toEqual(["failed"]);
    expect(server.received.some((r) => r.path.includes("/verdict"))).toBe(false);
  });

  it("passes SIGTERM on to the command and still finishes with failed", async () => {
    server.set({ verdict: "ok" });
    const { child, done } = startCli([
      "run",
      "--",
      ...node("console.log('started'); setInterval(() => {}, 1000)"),
    ]);
    await new Promise<void>((resolve) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("started")) resolve();
      });
    });
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code).toBe(143);
    expect(result.stderr).toContain("stopped by SIGTERM");
    expect(finishes()).toEqual(["failed"]);
  });

  it("counts an interrupted command that exits 0 as failed", async () => {
    server.set({ verdict: "ok" });
    const { child, done } = startCli([
      "run",
      "--",
      ...node(
        "process.on('SIGINT', () => process.exit(0)); console.log('started'); setInterval(() => {}, 1000)",
      ),
    ]);
    await new Promise<void>((resolve) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("started")) resolve();
      });
    });
    child.kill("SIGINT");
    const result = await done;
    expect(result.code).toBe(130);
    expect(finishes()).toEqual(["failed"]);
  });

  it("never breaks the deploy when SeqPulse is unreachable, unless --blocking", async () => {
    const env = { SEQPULSE_BASE_URL: "http://127.0.0.1:9" };
    const relaxed = await cli(["run", "--timeout", "1", "--", ...node("console.log('deployed')")], env);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stdout).toContain("deployed");
    expect(relaxed.stderr).toMatch(/seqpulse warning: could not open the deployment: Cannot reach/);

    const blocking = await cli(
      ["run", "--blocking", "--timeout", "1", "--", ...node("console.log('deployed')")],
      env,
    );
    expect(blocking.code).toBe(3);
    // No deploy without SeqPulse watching it.
    expect(blocking.stdout).not.toContain("deployed");
  });
});

describe("seqpulse trigger, finish and wait", () => {
  it("chain through the deployment id", async () => {
    server.set({ verdict: "rollback_recommended" });
    const triggered = await cli(["trigger", "--idempotency-key", "manual-1"]);
    expect(triggered.code).toBe(0);
    const id = triggered.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await cli(["finish", "--deployment-id", id, "--result", "success"])).code).toBe(0);
    const waited = await cli(["wait", id, "--json"]);
    expect(waited.code).toBe(1);
    expect(JSON.parse(waited.stdout)).toMatchObject({ deployment_id: id, verdict: "rollback_recommended" });
  });

  it("exit 3 for a refused key with --blocking, a warning without", async () => {
    server.set({ verdict: "ok" });
    expect((await cli(["trigger", "--blocking"], { SEQPULSE_API_KEY: "sp_wrong" })).code).toBe(3);
    const relaxed = await cli(["trigger"], { SEQPULSE_API_KEY: "sp_wrong" });
    expect(relaxed.code).toBe(0);
    expect(relaxed.stderr).toContain("Invalid API key");
  });
});

describe("waiting without an answer", () => {
  it("a verdict that does not come in time: a warning, exit 3 with --blocking", async () => {
    server.set({ verdict: null });
    const relaxed = await cli(["run", "--wait-timeout", "1", "--", ...node("")]);
    expect(relaxed.code).toBe(0);
    expect(relaxed.stderr).toContain("seqpulse warning: no verdict yet: No verdict within 1 s.");
    server.set({ verdict: null });
    expect((await cli(["run", "--blocking", "--wait-timeout", "1", "--", ...node("")])).code).toBe(3);
  });

  it("finish and wait after a failed trigger (an empty id) warn and pass", async () => {
    server.set({ verdict: "ok" });
    const finished = await cli(["finish", "--deployment-id", "", "--result", "success"]);
    expect(finished.code).toBe(0);
    expect(finished.stderr).toContain("nothing to finish");
    expect((await cli(["wait", ""])).code).toBe(0);
    expect(server.received).toHaveLength(0);
  });
});

describe("usage errors exit 2", () => {
  it.each([
    [["run"], "needs the deploy command"],
    [["trigger", "--nope"], "Unknown option"],
    [["finish", "--deployment-id", "x", "--result", "maybe"], "--result success"],
    [["wait", "x", "--fail-on", "never"], "--fail-on takes"],
    [["deploy"], 'Unknown command "deploy"'],
    [[], "A command is required"],
  ])("%j", async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it("without the environment", async () => {
    const result = await cli(["trigger"], { SEQPULSE_ENV: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("SEQPULSE_ENV");
  });

  it("--help for each command exits 0", async () => {
    for (const command of ["trigger", "finish", "wait", "run"]) {
      const result = await cli([command, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: seqpulse ${command}`);
    }
  });
});
