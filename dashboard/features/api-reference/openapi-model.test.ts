import { describe, expect, it } from "vitest";
import {
  codeSpans,
  type OpenApiDocument,
  referenceView,
  refResolver,
  schemaRows,
  slug,
} from "./openapi-model";

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

  it("sorts responses by status and names a body that is a named schema instead of unfolding it", () => {
    const project = view.tags[1]?.operations[0];
    expect(
      project?.responses.map((response) => [response.status, response.description, response.ref]),
    ).toEqual([
      ["200", "The project", undefined],
      ["404", "No credentials", "Error"],
    ]);
    expect(project?.responses[1]?.rows).toEqual([]);
  });

  it("lists every named schema once, with its fields", () => {
    expect(view.schemas.map((schema) => [schema.name, schema.anchor])).toEqual([
      ["Verdict", "schema-verdict"],
      ["Tree", "schema-tree"],
      ["Error", "schema-error"],
    ]);
    expect(view.schemas[2]?.rows.map((row) => row.name)).toEqual(["error", "error.code"]);
    expect(view.schemas[1]?.rows.map((row) => [row.name, row.type, row.ref])).toEqual([
      ["name", "string", undefined],
      ["children", "array of Tree", "Tree"],
    ]);
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

  it("names referenced schemas (nullable ones too) without unfolding them, and keeps limits in words", () => {
    expect(rows.map((row) => [row.name, row.type, row.required, row.constraints, row.ref])).toEqual([
      ["name", "string", true, ["1–100 characters"], undefined],
      ["verdict", "Verdict | null", true, [], "Verdict"],
      ["tree", "Tree", false, [], "Tree"],
      ["tags", "array of string", false, ["at most 10 items"], undefined],
    ]);
  });

  it("unfolds nested objects that have no name under dotted paths", () => {
    const nested = schemaRows({
      type: "object",
      properties: {
        window: {
          type: "object",
          properties: { minutes: { type: "integer", minimum: 1, maximum: 60 } },
          required: ["minutes"],
        },
        points: {
          type: "array",
          items: { type: "object", properties: { at: { type: "string", format: "date-time" } } },
        },
      },
    });
    expect(nested.map((row) => [row.name, row.depth, row.type, row.constraints])).toEqual([
      ["window", 0, "object", []],
      ["window.minutes", 1, "integer", ["≥ 1", "≤ 60"]],
      ["points", 0, "array of object", []],
      ["points[].at", 1, "string", ["date-time"]],
    ]);
  });

  it("drops the regular expression behind a named format", () => {
    const [row] = schemaRows({ type: "string", format: "uuid", pattern: "^[0-9a-f-]{36}$" });
    expect(row?.constraints).toEqual(["uuid"]);
    expect(schemaRows({ type: "string", pattern: "^[a-z]+$" })[0]?.constraints).toEqual(["pattern ^[a-z]+$"]);
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

describe("codeSpans", () => {
  it("sets backticked spans apart and keeps the rest as text", () => {
    expect(codeSpans("Send `X-API-Key` or a `Bearer` token.")).toEqual([
      { code: false, text: "Send " },
      { code: true, text: "X-API-Key" },
      { code: false, text: " or a " },
      { code: true, text: "Bearer" },
      { code: false, text: " token." },
    ]);
    expect(codeSpans("a lone ` mark")).toEqual([{ code: false, text: "a lone ` mark" }]);
  });
});
