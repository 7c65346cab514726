import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { count, desc, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { jobs } from "../../../db/schema";
import { fetchApp, request, testDatabase } from "../../../test/helpers";

const { db, close } = testDatabase();
afterAll(() => close());

async function benchRows(): Promise<number> {
  const [row] = await db.select({ n: count() }).from(jobs).where(eq(jobs.type, "bench_insert"));
  return row?.n ?? 0;
}

describe("POST /__bench/insert", () => {
  it("does not exist when BENCH_ROUTES is off (wrangler.toml): the standard 404, nothing written", async () => {
    const before = await benchRows();
    const response = await request("/__bench/insert", {
      method: "POST",
      headers: { "X-Request-Id": "req-bench-off" },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: "NOT_FOUND", message: "No such route.", requestId: "req-bench-off" },
    });
    expect(await benchRows()).toBe(before);
  });

  it("inserts one finished job and answers 201 when BENCH_ROUTES is on", async () => {
    const before = await benchRows();
    const ctx = createExecutionContext();
    const response = await fetchApp(
      new Request("http://seqpulse.test/__bench/insert", { method: "POST" }),
      { ...env, BENCH_ROUTES: "true" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(201);
    expect(await benchRows()).toBe(before + 1);
    const [latest] = await db
      .select({ status: jobs.status, finishedAt: jobs.finishedAt })
      .from(jobs)
      .where(eq(jobs.type, "bench_insert"))
      .orderBy(desc(jobs.id))
      .limit(1);
    expect(latest?.status).toBe("succeeded");
    expect(latest?.finishedAt).toBeInstanceOf(Date);
  });
});
