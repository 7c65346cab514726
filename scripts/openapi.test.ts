import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../worker/openapi/document";

// The document served at GET /openapi.json, checked against the OpenAPI 3.1 schema. Here in Node:
// the validator compiles its schema to code, which workerd does not allow.
describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(buildOpenApiDocument()));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("names a component for every reference it makes", () => {
    const document = buildOpenApiDocument();
    const referenced = [
      ...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g),
    ].map((match) => match[1] ?? "");
    expect(referenced.length).toBeGreaterThan(0);
    expect(referenced.filter((name) => !Object.hasOwn(document.components.schemas, name))).toEqual([]);
  });

  it("is refused by the validator when it breaks the OpenAPI schema", async () => {
    const broken = structuredClone(buildOpenApiDocument()) as Record<string, unknown>;
    const paths = broken.paths as Record<string, Record<string, { responses?: unknown }>>;
    // An operation's responses must be an object of responses.
    const operation = paths["/api/projects"]?.get;
    if (operation) operation.responses = "none";
    const result = await new Validator().validate(broken);
    expect(result.valid).toBe(false);
  });
});
