import { describe, expect, it } from "vitest";
import { type OpenApiDocument, referenceView, refResolver, schemaRows, slug } from "./openapi-model";

const document: OpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "SeqPulse API", version: "1" },
  tags: [{ name: "CI", description: "Called by pipelines." }, { name: "Projects" }],
  security: [{ session: [] }],
  components: {
    securitySchemes: {
      apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
      session: { type: "apiKey", in: "cookie", name: "sp_session", description: "The dashboard's session." },
    },
    schemas: {
      Verdict: {
        type: "object",
        properties: {
          verdict: { type: "string", enum: ["ok", "warning", "rollback_recommended"] },
          confidence: { type: "number", minimum: 0, maximum: 1 },
        },
        required: ["verdict"],
      },
      Tree: {
        type: "object",
        properties: {
          name: { type: "string" },
          children: { type: "array", items: { $ref: "#/components/schemas/Tree" } },
        },
      },
      Error: {
        type: "object",
        properties: {
          error: { type: "object", properties: { code: { type: "string" } }, required: ["code"] },
        },
        required: ["error"],
      },
    },
    responses: {
      Unauthorized: {
        description: "No credentials",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
    },
  },
  paths: {
    "/api/projects/{id}": {
      parameters: [{ name: "id", in: "path", schema: { type: "string", format: "uuid" } }],
      get: {
        tags: ["Projects"],
        summary: "One project",
        responses: {
          "404": { $ref: "#/components/responses/Unauthorized" },
          "200": {
            description: "The project",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    name: { type: "string", minLength: 1, maxLength: 100 },
                    verdict: { anyOf: [{ $ref: "#/components/schemas/Verdict" }, { type: "null" }] },
                    tree: { $ref: "#/components/schemas/Tree" },
                    tags: { type: "array", items: { type: "string" }, maxItems: 10 },
                  },
                  required: ["name", "verdict"],
                },
              },
            },
          },
        },
      },
    },
    "/deployments/trigger": {
      post: {
        tags: ["CI"],
        summary: "Start a deployment",
        security: [{ apiKey: [] }],
        parameters: [{ name: "X-Idempotency-Key", in: "header", schema: { type: "string", maxLength: 255 } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { type: "object", properties: { env: { type: "string" } }, required: ["env"] },
            },
          },
        },
        responses: {
          "200": {
            description: "Created",
            content: {
              "application/json": {
                schema: { type: "object", properties: { status: { const: "created" } } },
              },
            },
          },
        },
      },
    },
    "/health": { get: { summary: "Liveness", security: [], responses: { "200": { description: "Up" } } } },
  },
};

describe("referenceView", () => {
  const view = referenceView(document);

  it("groups operations by their first tag, declared tags first and untagged last", () => {
    expect(view.tags.map((tag) => [tag.name, tag.operations.map((operation) => operation.anchor)])).toEqual([
      ["CI", ["post-deployments-trigger"]],
      ["Projects", ["get-api-projects-id"]],
      ["Other", ["get-health"]],
    ]);
    expect(view.tags[0]?.description).toBe("Called by pipelines.");
  });

  it("takes an operation's security, else the document's; an empty list means no credentials", () => {
    const operations = view.tags.flatMap((tag) => tag.operations);
    expect(operations.map((operation) => [operation.path, operation.security])).toEqual([
      ["/deployments/trigger", ["apiKey"]],
      ["/api/projects/{id}", ["session"]],
      ["/health", []],
    ]);
    expect(view.securitySchemes).toEqual([
      { name: "apiKey", description: "X-API-Key (header)" },
      { name: "session", description: "The dashboard's session." },
    ]);
  });

  it("lists path-level and operation parameters; path parameters are always required", () => {
    const project = view.tags[1]?.operations[0];
    expect(project?.parameters).toEqual([
      {
        name: "id",
        in: "path",
        required: true,
        type: "string",
        description: undefined,
        constraints: ["uuid"],
      },
    ]);
    const trigger = view.tags[0]?.operations[0];
    expect(trigger?.parameters[0]).toMatchObject({
      name: "X-Idempotency-Key",
      in: "header",
      required: false,
    });
    expect(trigger?.parameters[0]?.constraints).toEqual(["at most 255 characters"]);
    expect(trigger?.requestBody).toEqual({
      contentType: "application/json",
      required: true,
      rows: [
        { name: "env", depth: 0, type: "string", required: true, description: undefined, constraints: [] },
      ],
    });
  });

  it("sorts responses by status and follows response references", () => {
    const project = view.tags[1]?.operations[0];
    expect(project?.responses.map((response) => [response.status, response.description])).toEqual([
      ["200", "The project"],
      ["404", "No credentials"],
    ]);
    expect(project?.responses[1]?.rows.map((row) => row.name)).toEqual(["error", "error.code"]);
  });

  it("shows a response without a body as having no rows", () => {
    expect(view.tags[2]?.operations[0]?.responses).toEqual([{ status: "200", description: "Up", rows: [] }]);
  });
});

describe("schemaRows", () => {
  const resolver = refResolver(document);
  const projectSchema = document.paths?.["/api/projects/{id}"]?.get?.responses?.["200"];
  const rows = schemaRows(
    (projectSchema as { content: Record<string, { schema: object }> }).content["application/json"]?.schema,
    resolver,
  );

  it("unfolds nullable references, names the referenced type and keeps limits in words", () => {
    expect(rows.map((row) => [row.name, row.type, row.required, row.constraints])).toEqual([
      ["name", "string", true, ["1–100 characters"]],
      ["verdict", "Verdict | null", true, []],
      ["verdict.verdict", "string", true, ["one of: ok, warning, rollback_recommended"]],
      ["verdict.confidence", "number", false, ["≥ 0", "≤ 1"]],
      ["tree", "Tree", false, []],
      ["tree.name", "string", false, []],
      ["tree.children", "array of Tree", false, []],
      ["tags", "array of string", false, ["at most 10 items"]],
    ]);
  });

  it("stops at a schema that refers to itself instead of looping", () => {
    expect(rows.filter((row) => row.name.startsWith("tree.children[]"))).toEqual([]);
  });

  it("describes a value that is not an object as one row", () => {
    expect(schemaRows({ const: "created" }, resolver)).toEqual([
      { name: "", depth: 0, type: '"created"', required: true, description: undefined, constraints: [] },
    ]);
  });

  it("fails loudly on a reference the document does not hold", () => {
    expect(() => schemaRows({ $ref: "#/components/schemas/Missing" }, resolver)).toThrow(
      /unresolved reference/,
    );
    expect(() => schemaRows({ $ref: "https://example.com/schema.json" }, resolver)).toThrow(/only local/);
  });
});

describe("slug", () => {
  it("turns paths and names into fragment ids", () => {
    expect(slug("/api/projects/{id}/rotate-key")).toBe("api-projects-id-rotate-key");
    expect(slug("Verdict review")).toBe("verdict-review");
  });
});
