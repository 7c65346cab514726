// `npm run dev` stops everything it started whenever it is told to stop: nothing of it may keep
// serving the port (a second `npm run dev` would fail, or a test would reuse a stale server).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const rootDir = path.resolve(import.meta.dirname, "..");
// Ports 8840-8849 are this suite's; DEV_TEST_PORT picks another.
const port = Number(process.env.DEV_TEST_PORT ?? 8841);
const dataRoot = mkdtempSync(path.join(tmpdir(), "seqpulse-dev-test-"));

/** pid -> [ppid, pgid, command line] of every process on the machine. */
function processTable() {
  const table = new Map<number, { ppid: number; pgid: number; command: string }>();
  const lines = execFileSync("ps", ["-eo", "pid=,ppid=,pgid=,args="], { encoding: "utf8" }).split("\n");
  for (const line of lines) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (match) {
      table.set(Number(match[1]), {
        ppid: Number(match[2]),
        pgid: Number(match[3]),
        command: match[4] ?? "",
      });
    }
  }
  return table;
}

/** The process groups of `pid` and of all its descendants, now. */
function groupsOfTree(pid: number, groups: Set<number>) {
  const table = processTable();
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, { ppid }] of table) {
      if (tree.has(ppid) && !tree.has(child)) {
        tree.add(child);
        grew = true;
      }
    }
  }
  for (const member of tree) {
    const entry = table.get(member);
    if (entry) groups.add(entry.pgid);
  }
}

function portIsFree(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

interface Run {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number, pollMs?: number) => Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  groups: Set<number>;
}

function startDev(): Run {
  const child = spawn(process.execPath, ["scripts/dev.mjs", "--skip-build"], {
    cwd: rootDir,
    detached: true, // as in a terminal: the script leads its own group
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      SEQPULSE_DATA_DIR: path.join(dataRoot, "pglite"),
      DATABASE_URL: "",
    },
  });
  let output = "";
  child.stdout?.on("data", (data) => {
    output += data;
  });
  child.stderr?.on("data", (data) => {
    output += data;
  });
  const groups = new Set<number>([child.pid as number]);
  // Every group the command's processes ever belong to; after exit, orphans have no parent
  // to follow, but they keep their group.
  const watch = setInterval(() => groupsOfTree(child.pid as number, groups), 100);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      clearInterval(watch);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => output,
    exited,
    groups,
    async waitFor(pattern, timeoutMs = 90_000, pollMs = 50) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`);
        if (child.exitCode !== null) throw new Error(`dev exited before ${pattern}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      groupsOfTree(child.pid as number, groups);
    },
  };
}

async function expectNothingLeft(run: Run, signal: NodeJS.Signals) {
  const exit = await Promise.race([
    run.exited,
    new Promise((resolve) => setTimeout(() => resolve("still running after 30 s"), 30_000)),
  ]);
  // A signal that arrives before Node has run the script's first line kills it by default:
  // nothing was started then.
  expect(
    [
      { code: 0, signal: null },
      { code: null, signal },
    ],
    run.output(),
  ).toContainEqual(exit);
  const table = processTable();
  const left = [...table.entries()].filter(
    ([, entry]) =>
      run.groups.has(entry.pgid) ||
      entry.command.includes(`--port ${port} `) ||
      entry.command.includes(`127.0.0.1:${port} `),
  );
  // Whatever is left is killed before the assertion, so that a failure leaves nothing running.
  for (const [pid] of left) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  expect(left.map(([pid, entry]) => `${pid} ${entry.command}`)).toEqual([]);
  expect(await portIsFree()).toBe(true);
}

describe("npm run dev stops everything it started", () => {
  afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

  it("on Ctrl-C at once", async () => {
    const run = startDev();
    process.kill(-(run.child.pid as number), "SIGINT");
    await expectNothingLeft(run, "SIGINT");
  });

  it("on SIGTERM 0.5 s after start", async () => {
    const run = startDev();
    await new Promise((resolve) => setTimeout(resolve, 500));
    run.child.kill("SIGTERM");
    await expectNothingLeft(run, "SIGTERM");
  });

  it("on SIGHUP (the terminal closed) while wrangler starts", async () => {
    const run = startDev();
    await run.waitFor(/database: embedded PGlite .* ready/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run.child.kill("SIGHUP");
    await expectNothingLeft(run, "SIGHUP");
  });

  it("on Ctrl-C right after ready, during the first sweep", async () => {
    const run = startDev();
    await run.waitFor(/\[dev\] ready in/, 90_000, 5);
    // What a terminal does: SIGINT to the foreground process group (the script's own).
    process.kill(-(run.child.pid as number), "SIGINT");
    await expectNothingLeft(run, "SIGINT");
  });
});
