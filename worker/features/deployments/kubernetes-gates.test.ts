import { afterAll, describe, expect, it } from "vitest";
import { verdicts } from "../../../db/schema";
import kubernetesDoc from "../../../docs/kubernetes.md?raw";
import { TestClient } from "../../../test/client";
import { errorOf, testDatabase } from "../../../test/helpers";
import { projectWithActiveEndpoint } from "../../../test/projects";

// docs/kubernetes.md, as users copy it: the URLs, conditions and webhook settings are read from
// the file itself, requested against the Worker and evaluated on its answers.

const { db, close } = testDatabase();
afterAll(() => close());

type Verdict = "ok" | "warning" | "rollback_recommended";
const DOCUMENTED_ORIGIN = "https://seqpulse.example.com";

/** The fenced ```yaml blocks of the document, in order. */
function yamlBlocks(): string[] {
  return [...kubernetesDoc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
}

/** `key: value` of a YAML block, unquoted; fails when the block does not have it. */
function field(block: string, key: string, from = 0): string {
  const match = new RegExp(`^\\s*-?\\s*${key}: (.+)$`, "m").exec(block.slice(from));
  if (!match?.[1]) throw new Error(`no ${key} in the documented YAML`);
  return match[1].trim().replace(/^"(.*)"$/, "$1");
}

const argoTemplate = () => {
  const block = yamlBlocks().find((yaml) => yaml.includes("kind: AnalysisTemplate"));
  if (!block) throw new Error("no AnalysisTemplate in docs/kubernetes.md");
  return {
    url: field(block, "url"),
    header: { key: field(block, "key", block.indexOf("headers:")), value: field(block, "value") },
    successCondition: field(block, "successCondition"),
    failureCondition: field(block, "failureCondition"),
    jsonPath: field(block, "jsonPath"),
  };
};

/**
 * The conditions as Argo's expression language reads them, for the subset the document uses:
 * `result.<field> == "<value>"` terms joined by `||`. Anything else fails, so the document cannot
 * drift to an expression this test does not check.
 */
function evaluate(condition: string, result: Record<string, unknown>): boolean {
  return condition.split("||").some((term) => {
    const match = /^\s*result\.([a-z_]+) == "([a-z_]+)"\s*$/.exec(term);
    if (!match) throw new Error(`unsupported condition term: ${term}`);
    return result[match[1] ?? ""] === match[2];
  });
}

/** Argo's reading of one measurement. */
function argoMeasurement(result: Record<string, unknown>) {
  const template = argoTemplate();
  if (evaluate(template.successCondition, result)) return "Successful";
  if (evaluate(template.failureCondition, result)) return "Failed";
  return "Inconclusive";
}

async function runningDeployment(body: Record<string, unknown> = { env: "prod" }) {
  const setup = await projectWithActiveEndpoint();
  const triggered = await setup.ci.trigger(body);
  expect(triggered.status).toBe(200);
  const { deployment_id: id } = await triggered.json<{ deployment_id: string }>();
  return { ...setup, id };
}

async function storeVerdict(deploymentId: string, verdict: Verdict) {
  const text = { code: "test.summary", params: {}, text: `Judged ${verdict}.` };
  await db.insert(verdicts).values({
    deploymentId,
    judge: "classic",
    judgeVersion: 1,
    verdict,
    confidence: 0.9,
    summary: text,
    details: [],
    dataQuality: { score: 1, issues: [] },
    audit: {},
  });
}

describe("Argo Rollouts: the documented AnalysisTemplate", () => {
  /** The documented URL for `id`, on the test origin; `wait` shortened where the test waits on purpose. */
  function documentedUrl(id: string, wait?: number) {
    const url = argoTemplate().url.replace(DOCUMENTED_ORIGIN, "").replace("{{args.deployment-id}}", id);
    return wait === undefined ? url : url.replace(/wait=\d+/, `wait=${wait}`);
  }

  async function measure(apiKey: string, id: string, wait?: number) {
    const { header, jsonPath } = argoTemplate();
    expect(header.key).toBe("X-API-Key");
    expect(header.value).toBe("{{args.api-key}}");
    expect(jsonPath).toBe("{$}"); // the whole body is `result`
    const response = await new TestClient().fetch(documentedUrl(id, wait), {
      headers: { [header.key]: apiKey },
    });
    expect(response.status).toBe(200);
    return argoMeasurement(await response.json());
  }

  it("documents a verdict URL with a wait the API accepts", () => {
    expect(argoTemplate().url).toMatch(
      /^https:\/\/seqpulse\.example\.com\/deployments\/\{\{args\.deployment-id\}\}\/verdict\?wait=(\d|[1-5]\d|60)$/,
    );
  });

  it("passes on ok, fails on rollback_recommended, and is inconclusive on warning", async () => {
    for (const [verdict, expected] of [
      ["ok", "Successful"],
      ["rollback_recommended", "Failed"],
      ["warning", "Inconclusive"],
    ] as const) {
      const { apiKey, id } = await runningDeployment();
      await storeVerdict(id, verdict);
      expect(await measure(apiKey, id), verdict).toBe(expected);
    }
  });

  it("is inconclusive while there is no verdict yet", async () => {
    const { apiKey, id } = await runningDeployment();
    expect(await measure(apiKey, id, 1)).toBe("Inconclusive");
  });
});

describe("Flagger: the documented gate webhooks", () => {
  function webhooks() {
    const block = yamlBlocks().find((yaml) => yaml.includes("kind: Canary"));
    if (!block) throw new Error("no Canary in docs/kubernetes.md");
    return block
      .split(/\n\s*- name: /)
      .slice(1)
      .map((hook) => ({
        type: field(hook, "type"),
        url: field(hook, "url").replace(DOCUMENTED_ORIGIN, ""),
        metadata: { api_key: field(hook, "api_key"), env: field(hook, "env") },
      }));
  }

  /** What Flagger sends: a POST with its payload, the webhook's metadata in it, no headers of ours. */
  async function callHook(type: string, metadata: Record<string, string>) {
    const hook = webhooks().find((candidate) => candidate.type === type);
    if (!hook) throw new Error(`no ${type} webhook documented`);
    return new TestClient().fetch(hook.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        name: "shop",
        namespace: "prod",
        phase: "Progressing",
        checksum: "6d4f8c",
        metadata: { ...hook.metadata, ...metadata },
      }),
    });
  }

  it("documents a confirm-promotion gate and a rollback hook, keyed in the metadata", () => {
    expect(webhooks().map((hook) => [hook.type, hook.url])).toEqual([
      ["confirm-promotion", "/deployments/gate"],
      ["rollback", "/deployments/gate/rollback"],
    ]);
    expect(webhooks()[0]?.metadata.env).toBe("prod");
  });

  it("holds the promotion with 423 while analysing, opens with 200 on ok", async () => {
    const { apiKey, id } = await runningDeployment();
    const pending = await callHook("confirm-promotion", { api_key: apiKey });
    expect(pending.status).toBe(423);
    expect(pending.headers.get("Retry-After")).toBe("30");
    expect(await pending.json()).toMatchObject({ deployment_id: id, verdict: null });
    expect((await callHook("rollback", { api_key: apiKey })).status).toBe(423);
    await storeVerdict(id, "ok");
    expect((await callHook("confirm-promotion", { api_key: apiKey })).status).toBe(200);
    expect((await callHook("rollback", { api_key: apiKey })).status).toBe(412);
  });

  it("keeps the gate shut with 412 on a rollback, and the rollback hook answers 200", async () => {
    const { apiKey, id } = await runningDeployment();
    await storeVerdict(id, "rollback_recommended");
    const gate = await callHook("confirm-promotion", { api_key: apiKey });
    expect(gate.status).toBe(412);
    expect(await gate.json()).toMatchObject({
      verdict: "rollback_recommended",
      summary: "Judged rollback_recommended.",
    });
    expect((await callHook("rollback", { api_key: apiKey })).status).toBe(200);
  });

  it("holds a warning, and a deployment that will never get a verdict", async () => {
    const warned = await runningDeployment();
    await storeVerdict(warned.id, "warning");
    expect((await callHook("confirm-promotion", { api_key: warned.apiKey })).status).toBe(412);
    const cancelled = await runningDeployment();
    expect((await cancelled.owner.json("POST", `/api/deployments/${cancelled.id}/cancel`)).status).toBe(200);
    expect((await callHook("confirm-promotion", { api_key: cancelled.apiKey })).status).toBe(412);
  });

  it("pins the release by version or id, and reads only the key's own project", async () => {
    const { apiKey, id } = await runningDeployment({ env: "prod", version: "v7" });
    await storeVerdict(id, "ok");
    expect((await callHook("confirm-promotion", { api_key: apiKey, version: "v7" })).status).toBe(200);
    expect((await callHook("confirm-promotion", { api_key: apiKey, version: "v8" })).status).toBe(404);
    expect((await callHook("confirm-promotion", { api_key: apiKey, deployment_id: id })).status).toBe(200);
    const other = await projectWithActiveEndpoint();
    const foreign = await callHook("confirm-promotion", { api_key: other.apiKey, deployment_id: id });
    expect(foreign.status).toBe(404);
    expect((await errorOf(foreign)).code).toBe("NOT_FOUND");
  });

  it("answers 401 to a wrong key, whether in the metadata or the header", async () => {
    await runningDeployment();
    const wrong = await callHook("confirm-promotion", { api_key: `sp_${"x".repeat(32)}` });
    expect(wrong.status).toBe(401);
    const hook = webhooks()[0]!;
    const noKey = await new TestClient().fetch(hook.url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "shop", namespace: "prod", metadata: { env: "prod" } }),
    });
    expect(noKey.status).toBe(401);
  });
});
