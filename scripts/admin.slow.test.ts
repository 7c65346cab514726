// `npm run admin -- plan <project> <plan>` against a running stack (in-memory database): the
// operator route changes the plan, the owner sees it, and refusals exit non-zero.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack } from "./lib/stack.mjs";

const rootDir = path.resolve(import.meta.dirname, "..");
const run = promisify(execFile);

let stack: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  stack = await startStack({ port: 0, quiet: true, log: () => {} });
}, 120_000);
afterAll(() => stack?.stop());

async function admin(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [path.join(rootDir, "scripts/admin.mjs"), ...args],
      {
        env: { PATH: process.env.PATH ?? "", SEQPULSE_URL: stack.url, ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function projectOfNewOwner() {
  const origin = { Origin: stack.url, "Content-Type": "application/json" };
  const signup = await fetch(`${stack.url}/api/auth/signup`, {
    method: "POST",
    headers: origin,
    body: JSON.stringify({
      email: `admin-${Date.now()}@example.com`,
      password: "a long local passphrase, 42 walruses",
    }),
  });
  expect(signup.status).toBe(201);
  const cookie = signup.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const created = await fetch(`${stack.url}/api/projects`, {
    method: "POST",
    headers: { ...origin, Cookie: cookie },
    body: JSON.stringify({ name: "Admin target" }),
  });
  expect(created.status).toBe(201);
  const { project } = (await created.json()) as { project: { id: string; plan: string } };
  const read = async () =>
    (
      (await (
        await fetch(`${stack.url}/api/projects/${project.id}`, { headers: { Cookie: cookie } })
      ).json()) as {
        project: { plan: string };
      }
    ).project.plan;
  return { id: project.id, read };
}

describe("npm run admin -- plan", () => {
  it("moves a project to another plan with the stack's operator token", async () => {
    const project = await projectOfNewOwner();
    expect(await project.read()).toBe("free");
    const result = await admin(["plan", project.id, "pro"], { OPERATOR_TOKEN: stack.operatorToken });
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain(`project ${project.id}: free -> pro`);
    expect(await project.read()).toBe("pro");
  });

  it("exits non-zero on a wrong token, an unknown project or plan, and bad usage", async () => {
    const project = await projectOfNewOwner();
    const wrong = await admin(["plan", project.id, "enterprise"], { OPERATOR_TOKEN: "wrong" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("UNAUTHENTICATED");
    const unknown = await admin(["plan", crypto.randomUUID(), "pro"], {
      OPERATOR_TOKEN: stack.operatorToken,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("NOT_FOUND");
    expect((await admin(["plan", project.id, "gold"], { OPERATOR_TOKEN: stack.operatorToken })).code).toBe(2);
    expect((await admin(["plan", project.id], { OPERATOR_TOKEN: stack.operatorToken })).code).toBe(2);
    expect(await project.read()).toBe("free");
  });
});
