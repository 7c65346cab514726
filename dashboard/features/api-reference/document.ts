import type { OpenApiDocument } from "./openapi-model";

export const apiDocument: OpenApiDocument = {
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
