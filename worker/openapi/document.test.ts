import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ContractViolation, checkAgainstContract } from "../../test/contract";
import { request } from "../../test/helpers";
import { appRoutes, routeKey } from "../../test/routes";
import { responsesOf } from "../lib/contract";
import { apiContract, openApiPath } from "./document";

/** Routes the app serves that are not part of the public API, and why. */
const INTERNAL_ROUTES: Record<string, string> = {
  "POST /__bench/insert": "benchmarks only: exists when BENCH_ROUTES is true",
};

const contractKeys = apiContract.map((route) => routeKey(route));

describe("the API contract", () => {
  it("documents every route the app serves, with at least one success answer", () => {
    const undocumented = appRoutes()
      .map(routeKey)
      .filter((key) => !Object.hasOwn(INTERNAL_ROUTES, key) && !contractKeys.includes(key));
    expect(undocumented).toEqual([]);
    const withoutSuccess = apiContract
      .filter((route) => !Object.keys(route.responses).some((status) => Number(status) < 400))
      .map(routeKey);
    expect(withoutSuccess).toEqual([]);
  });

  it("names no route the app does not serve, and each route once", () => {
    const served = new Set(appRoutes().map(routeKey));
    expect(contractKeys.filter((key) => !served.has(key))).toEqual([]);
    expect(new Set(contractKeys).size).toBe(contractKeys.length);
  });

  it("refuses an answer whose body or status its route does not document", async () => {
    const json = (body: unknown, status: number) =>
      new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
    const url = "http://seqpulse.test/api/projects/5f0c6c3e-2a6b-4c51-9b8e-3f1f6f1b2a10";
    await expect(checkAgainstContract("GET", url, json({ project: { id: "x" } }, 200))).rejects.toThrow(
      ContractViolation,
    );
    await expect(
      checkAgainstContract("GET", url, json({ error: { code: "NOT_FOUND" } }, 404)),
    ).rejects.toThrow(ContractViolation);
    const envelope = { error: { code: "CONFLICT", message: "No.", requestId: "r" } };
    await expect(checkAgainstContract("GET", url, json(envelope, 409))).rejects.toThrow(/does not document/);
    await expect(
      checkAgainstContract(
        "GET",
        url,
        json({ error: { code: "NOT_FOUND", message: "No.", requestId: "r" } }, 404),
      ),
    ).resolves.toBeUndefined();
  });
});

describe("GET /openapi.json", () => {
  it("serves an OpenAPI 3.1 document of every documented route, public and cacheable", async () => {
    const response = await request("/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toMatch(/public/);
    const document = await response.json<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, { type: string; name?: string; in?: string }> };
    }>();
    expect(document.openapi).toBe("3.1.0");
    for (const route of apiContract) {
      const operation = document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      expect(operation, routeKey(route)).toBeDefined();
      expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(Object.keys(responsesOf(route)).sort());
    }
    expect(document.components.securitySchemes.apiKey).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-API-Key",
    });
    expect(document.components.securitySchemes.session).toMatchObject({ type: "apiKey", in: "cookie" });
  });

  it("describes the CI routes under both path sets with the project key", async () => {
    const document = z
      .object({
        paths: z.record(z.string(), z.record(z.string(), z.object({ security: z.array(z.unknown()) }))),
      })
      .parse(await (await request("/openapi.json")).json());
    for (const path of ["/deployments/trigger", "/deployments/finish", "/api/deployments/trigger"]) {
      expect(document.paths[path]?.post?.security).toEqual([{ apiKey: [] }, { apiKeyBearer: [] }]);
    }
  });
});
