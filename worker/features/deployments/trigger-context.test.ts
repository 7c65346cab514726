import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { deployments } from "../../../db/schema";
import { fieldsOf, testDatabase } from "../../../test/helpers";
import { projectWithActiveEndpoint } from "../../../test/projects";

const { db, close } = testDatabase();
afterAll(() => close());

const context = {
  version: "v2.4.1",
  commit_url: "https://git.example.com/acme/shop/commit/0a1b2c3d",
  ci_run_url: "https://ci.example.com/acme/shop/runs/812",
  actor: "ada",
};

/** SHA-256 of the JSON array, hex: the fingerprint as releases before the context fields wrote it. */
async function earlierFingerprint(fields: unknown[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(fields)));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

describe("the pipeline's context on a trigger", () => {
  it("is stored and returned in the deployment views", async () => {
    const { ci, owner } = await projectWithActiveEndpoint();
    const triggered = await ci.trigger({ env: "prod", ...context });
    expect(triggered.status).toBe(200);
    const { deployment_id: id } = await triggered.json<{ deployment_id: string }>();
    const [row] = await db.select().from(deployments).where(eq(deployments.id, id));
    expect(row).toMatchObject({
      version: "v2.4.1",
      commitUrl: context.commit_url,
      ciRunUrl: context.ci_run_url,
      actor: "ada",
    });
    const expected = {
      version: "v2.4.1",
      commitUrl: context.commit_url,
      ciRunUrl: context.ci_run_url,
      actor: "ada",
    };
    const detail = await (await owner.fetch(`/api/deployments/${id}`)).json<{ deployment: unknown }>();
    expect(detail.deployment).toMatchObject(expected);
    const list = await (await owner.fetch("/api/deployments")).json<{ items: unknown[] }>();
    expect(list.items[0]).toMatchObject(expected);
  });

  it("is null when the pipeline sends none", async () => {
    const { ci, owner } = await projectWithActiveEndpoint();
    const { deployment_id: id } = await (await ci.trigger({ env: "prod" })).json<{ deployment_id: string }>();
    const detail = await (await owner.fetch(`/api/deployments/${id}`)).json<{ deployment: unknown }>();
    expect(detail.deployment).toMatchObject({ version: null, commitUrl: null, ciRunUrl: null, actor: null });
  });

  it.each([
    [{ commit_url: "javascript:alert(1)" }, "commit_url"],
    [{ commit_url: "ftp://git.example.com/commit/1" }, "commit_url"],
    [{ ci_run_url: "ci.example.com/runs/1" }, "ci_run_url"],
    [{ ci_run_url: `https://ci.example.com/${"r".repeat(2048)}` }, "ci_run_url"],
    [{ version: "v".repeat(101) }, "version"],
    [{ actor: "a".repeat(101) }, "actor"],
  ])("answers 400 naming the field for %j", async (fields, field) => {
    const { ci } = await projectWithActiveEndpoint();
    const response = await ci.trigger({ env: "prod", ...fields });
    expect(response.status).toBe(400);
    expect(await fieldsOf(response)).toEqual([field]);
  });

  it("keeps the idempotency fingerprint of a body without it: a retry in flight across a release replays", async () => {
    const { ci, project } = await projectWithActiveEndpoint();
    // A deployment triggered before this release, with the fingerprint as it was computed then.
    const id = crypto.randomUUID();
    await db.insert(deployments).values({
      id,
      projectId: project.id,
      number: 1,
      env: "prod",
      branch: "main",
      idempotencyKey: "run-812",
      idempotencyFingerprint: await earlierFingerprint(["prod", "main", null, null]),
      metricsEndpoint: "http://unused.example.com/metrics",
      observationWindowMinutes: 5,
      expiresAt: new Date(Date.now() + 60 * 60 * 1000),
    });
    const retry = await ci.trigger({ env: "prod", branch: "main" }, { "X-Idempotency-Key": "run-812" });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await retry.json<{ deployment_id: string }>()).deployment_id).toBe(id);
    // The context is part of the body: the same key with it is another request.
    const other = await ci.trigger(
      { env: "prod", branch: "main", version: "v2" },
      { "X-Idempotency-Key": "run-812" },
    );
    expect(other.status).toBe(422);
  });

  it("replays a trigger sent again with the same context", async () => {
    const { ci } = await projectWithActiveEndpoint();
    const headers = { "X-Idempotency-Key": "run-9" };
    const first = await ci.trigger({ env: "prod", ...context }, headers);
    const again = await ci.trigger({ env: "prod", ...context }, headers);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
  });
});
