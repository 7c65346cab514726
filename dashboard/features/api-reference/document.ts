// The document the reference page renders: the very one the Worker serves at /openapi.json,
// built from the same route contracts at build time.
import { buildOpenApiDocument } from "../../../worker/openapi/document";
import type { OpenApiDocument } from "./openapi-model";

export const apiDocument: OpenApiDocument = buildOpenApiDocument();
