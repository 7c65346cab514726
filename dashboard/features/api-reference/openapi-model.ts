// The API reference page's view of an OpenAPI 3.1 document (the one the Worker serves at
// /openapi.json): operations grouped by tag, and every schema flattened into rows a static page
// can render without JavaScript. Pure functions, run at build time.

/** The parts of a JSON Schema (2020-12, as OpenAPI 3.1 uses it) the page shows. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

interface ParameterObject {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface MediaTypes {
  content?: Record<string, { schema?: JsonSchema }>;
  description?: string;
  required?: boolean;
}

interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  security?: Record<string, string[]>[];
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: MediaTypes | { $ref: string };
  responses?: Record<string, MediaTypes | { $ref: string }>;
}

interface SecuritySchemeObject {
  type: string;
  in?: string;
  name?: string;
  scheme?: string;
  description?: string;
}

const METHODS = ["get", "put", "post", "patch", "delete", "head", "options"] as const;
type Method = (typeof METHODS)[number];

type PathItem = Partial<Record<Method, OperationObject>> & {
  parameters?: (ParameterObject | { $ref: string })[];
  summary?: string;
  description?: string;
};

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, PathItem>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    securitySchemes?: Record<string, SecuritySchemeObject>;
    parameters?: Record<string, ParameterObject>;
    requestBodies?: Record<string, MediaTypes>;
    responses?: Record<string, MediaTypes>;
  };
  security?: Record<string, string[]>[];
}

/** One line of a schema table: a field (or the value itself at depth 0 when it has no fields). */
export interface SchemaRow {
  /** Dotted path for nested fields (`verdict.confidence`, `hints[].title`); "" for the value. */
  name: string;
  depth: number;
  type: string;
  required: boolean;
  description?: string;
  /** Limits and formats in words: `1–100 characters`, `uuid`, `one of: ok, warning`. */
  constraints: string[];
  /** The named schema (`#/components/schemas/<ref>`) the field is, listed once under Schemas. */
  ref?: string;
}

/** A body: a named schema (shown once under Schemas), or its fields when it has no name. */
export interface BodyView {
  ref?: string;
  rows: SchemaRow[];
}

export interface ParameterView {
  name: string;
  in: ParameterObject["in"];
  required: boolean;
  type: string;
  description?: string;
  constraints: string[];
}

export interface ResponseView extends BodyView {
  status: string;
  description: string;
}

export interface OperationView {
  /** A stable fragment id: `post-api-projects-id-rotate-key`. */
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description?: string;
  deprecated: boolean;
  /** Names of the security schemes any one of which is accepted; empty: no credentials. */
  security: string[];
  parameters: ParameterView[];
  requestBody?: BodyView & { contentType: string; required: boolean };
  responses: ResponseView[];
}

export interface TagView {
  name: string;
  anchor: string;
  description?: string;
  operations: OperationView[];
}

export interface SecuritySchemeView {
  name: string;
  description: string;
}

export interface NamedSchemaView {
  name: string;
  anchor: string;
  description?: string;
  rows: SchemaRow[];
}

export interface ReferenceView {
  title: string;
  version: string;
  description?: string;
  securitySchemes: SecuritySchemeView[];
  tags: TagView[];
  /** The document's named schemas, each listed once; fields of that type link here. */
  schemas: NamedSchemaView[];
}

/** How deep nested objects are unfolded; deeper ones are shown as their type name. */
const MAX_DEPTH = 6;
const UNTAGGED = "Other";

export function referenceView(document: OpenApiDocument): ReferenceView {
  const resolver = refResolver(document);
  const byTag = new Map<string, OperationView[]>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const view = operationView(method, path, operation, item.parameters ?? [], document, resolver);
      const tag = operation.tags?.[0] ?? UNTAGGED;
      byTag.set(tag, [...(byTag.get(tag) ?? []), view]);
    }
  }
  const declared = (document.tags ?? []).map((tag) => tag.name);
  const order = [...declared, ...[...byTag.keys()].filter((name) => !declared.includes(name))];
  return {
    title: document.info.title,
    version: document.info.version,
    description: document.info.description,
    securitySchemes: Object.entries(document.components?.securitySchemes ?? {}).map(([name, scheme]) => ({
      name,
      description: scheme.description ?? describeScheme(scheme),
    })),
    tags: order
      .filter((name) => byTag.has(name))
      .map((name) => ({
        name,
        anchor: `tag-${slug(name)}`,
        description: document.tags?.find((tag) => tag.name === name)?.description,
        operations: byTag.get(name) ?? [],
      })),
    schemas: Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => ({
      name,
      anchor: schemaAnchor(name),
      description: schema.description,
      rows: schemaRows(schema, resolver),
    })),
  };
}

/** The fragment id of a named schema's entry. */
export function schemaAnchor(name: string): string {
  return `schema-${slug(name)}`;
}

function operationView(
  method: string,
  path: string,
  operation: OperationObject,
  shared: (ParameterObject | { $ref: string })[],
  document: OpenApiDocument,
  resolver: RefResolver,
): OperationView {
  const parameters = [...shared, ...(operation.parameters ?? [])].map((parameter) =>
    "$ref" in parameter ? resolver.parameter(parameter.$ref) : parameter,
  );
  const body = operation.requestBody && resolver.media(operation.requestBody);
  const [contentType, media] = Object.entries(body?.content ?? {})[0] ?? [];
  const security = operation.security ?? document.security ?? [];
  return {
    anchor: `${method}-${slug(path)}`,
    method: method.toUpperCase(),
    path,
    summary: operation.summary ?? `${method.toUpperCase()} ${path}`,
    description: operation.description,
    deprecated: operation.deprecated === true,
    security: [...new Set(security.flatMap((requirement) => Object.keys(requirement)))],
    parameters: parameters.map((parameter) => {
      const schema = resolver.schema(parameter.schema ?? {});
      return {
        name: parameter.name,
        in: parameter.in,
        required: parameter.in === "path" || parameter.required === true,
        type: typeLabel(schema, resolver),
        description: parameter.description ?? schema.description,
        constraints: constraintsOf(schema, resolver),
      };
    }),
    requestBody:
      contentType && media
        ? { contentType, required: body?.required === true, ...bodyView(media.schema, resolver) }
        : undefined,
    responses: Object.entries(operation.responses ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([status, response]) => {
        const resolved = resolver.media(response);
        const schema = Object.values(resolved.content ?? {})[0]?.schema;
        return { status, description: resolved.description ?? "", ...bodyView(schema, resolver) };
      }),
  };
}

function bodyView(schema: JsonSchema | undefined, resolver: RefResolver): BodyView {
  if (schema?.$ref && fieldsOf(resolver.schema(schema), resolver))
    return { ref: refName(schema.$ref), rows: [] };
  return { rows: schemaRows(schema, resolver) };
}

/**
 * A schema as table rows: an object's fields (nested objects and arrays of objects unfolded
 * under dotted names), or the value itself when it is not an object. A field of a named schema
 * is not unfolded: it names the schema (`ref`), whose fields are listed once, on its own.
 */
export function schemaRows(
  schema: JsonSchema | undefined,
  resolver: RefResolver = refResolver({}),
): SchemaRow[] {
  if (!schema) return [];
  const rows: SchemaRow[] = [];
  const root = resolver.schema(schema);
  if (fieldsOf(root, resolver)) {
    addFields(rows, root, "", 0, resolver);
  } else {
    rows.push({
      name: "",
      depth: 0,
      type: typeLabel(root, resolver, schema.$ref),
      required: true,
      description: root.description,
      constraints: constraintsOf(root, resolver),
    });
  }
  return rows;
}

function addFields(
  rows: SchemaRow[],
  schema: JsonSchema,
  prefix: string,
  depth: number,
  resolver: RefResolver,
): void {
  const fields = fieldsOf(schema, resolver);
  if (!fields) return;
  for (const [name, raw] of Object.entries(fields.properties)) {
    const field = resolver.schema(raw);
    const path = prefix ? `${prefix}.${name}` : name;
    const named = referencesOf(raw, resolver).find((ref) =>
      fieldsOf(resolver.schema({ $ref: ref }), resolver),
    );
    rows.push({
      name: path,
      depth,
      type: typeLabel(field, resolver, raw.$ref),
      required: fields.required.has(name),
      description: raw.description ?? field.description,
      constraints: constraintsOf(field, resolver),
      ...(named ? { ref: refName(named) } : {}),
    });
    if (named || depth + 1 >= MAX_DEPTH) continue;
    const items = arrayItems(field, resolver);
    if (items && fieldsOf(items, resolver)) addFields(rows, items, `${path}[]`, depth + 1, resolver);
    else if (fieldsOf(field, resolver)) addFields(rows, field, path, depth + 1, resolver);
  }
}

/** The named schemas a field is (itself, its items, its non-null branch). */
function referencesOf(raw: JsonSchema, resolver: RefResolver): string[] {
  const field = resolver.schema(raw);
  const branches = [field, ...nonNullBranches(field, resolver)];
  const candidates = [raw, ...(field.oneOf ?? field.anyOf ?? []), ...branches.map((branch) => branch.items)];
  return candidates.flatMap((candidate) => (candidate?.$ref ? [candidate.$ref] : []));
}

/** An object's fields, merging `allOf` parts and a nullable object's object branch. */
function fieldsOf(
  schema: JsonSchema,
  resolver: RefResolver,
): { properties: Record<string, JsonSchema>; required: Set<string> } | null {
  const parts = [schema, ...(schema.allOf ?? []).map((part) => resolver.schema(part))];
  const nonNull = nonNullBranches(schema, resolver);
  if (nonNull.length === 1 && nonNull[0] !== schema) parts.push(nonNull[0] as JsonSchema);
  const properties: Record<string, JsonSchema> = {};
  const required = new Set<string>();
  for (const part of parts) {
    Object.assign(properties, part.properties ?? {});
    for (const name of part.required ?? []) required.add(name);
  }
  return Object.keys(properties).length > 0 ? { properties, required } : null;
}

function arrayItems(schema: JsonSchema, resolver: RefResolver): JsonSchema | null {
  const branch = nonNullBranches(schema, resolver)[0] ?? schema;
  return branch.items ? resolver.schema(branch.items) : null;
}

/** The branches of a `oneOf`/`anyOf` that are not `null` (OpenAPI 3.1 writes nullable that way). */
function nonNullBranches(schema: JsonSchema, resolver: RefResolver): JsonSchema[] {
  const branches = schema.oneOf ?? schema.anyOf;
  if (!branches) return [schema];
  return branches.map((branch) => resolver.schema(branch)).filter((branch) => branch.type !== "null");
}

/** `string`, `integer | null`, `array of Verdict`, `"ok" | "warning"`, `Verdict`. */
export function typeLabel(schema: JsonSchema, resolver: RefResolver, ref?: string): string {
  if (ref) {
    const name = refName(ref);
    const resolved = resolver.schema({ $ref: ref });
    if (resolved.properties || resolved.allOf) return name;
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) {
    return [
      ...new Set(branches.map((branch) => typeLabel(resolver.schema(branch), resolver, branch.$ref))),
    ].join(" | ");
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return schema.properties ? "object" : "any";
  return types
    .map((type) => {
      if (type !== "array") return type;
      if (!schema.items) return "array";
      return `array of ${typeLabel(resolver.schema(schema.items), resolver, schema.items.$ref)}`;
    })
    .join(" | ");
}

/** Limits, formats and allowed values in words. */
export function constraintsOf(schema: JsonSchema, resolver: RefResolver): string[] {
  const found: string[] = [];
  if (schema.format) found.push(schema.format);
  // A named format says it better than the regular expression that checks it.
  const pattern = schema.format ? undefined : schema.pattern;
  const values =
    schema.enum ??
    (schema.oneOf ?? schema.anyOf)
      ?.map((branch) => resolver.schema(branch))
      .flatMap((branch) => branch.enum ?? (branch.const !== undefined ? [branch.const] : []));
  if (values && values.length > 0 && schema.const === undefined) {
    found.push(`one of: ${values.map((value) => (value === null ? "null" : String(value))).join(", ")}`);
  }
  found.push(...range(schema.minLength, schema.maxLength, "characters"));
  found.push(...range(schema.minItems, schema.maxItems, "items"));
  const minimum = schema.minimum ?? schema.exclusiveMinimum;
  const maximum = schema.maximum ?? schema.exclusiveMaximum;
  if (minimum !== undefined) found.push(`${schema.exclusiveMinimum !== undefined ? ">" : "≥"} ${minimum}`);
  if (maximum !== undefined) found.push(`${schema.exclusiveMaximum !== undefined ? "<" : "≤"} ${maximum}`);
  if (pattern) found.push(`pattern ${pattern}`);
  if (schema.default !== undefined) found.push(`default ${JSON.stringify(schema.default)}`);
  return found;
}

function range(min: number | undefined, max: number | undefined, unit: string): string[] {
  if (min !== undefined && max !== undefined)
    return [min === max ? `${min} ${unit}` : `${min}–${max} ${unit}`];
  if (min !== undefined && min > 0) return [`at least ${min} ${unit}`];
  if (max !== undefined) return [`at most ${max} ${unit}`];
  return [];
}

function describeScheme(scheme: SecuritySchemeObject): string {
  if (scheme.type === "apiKey") return `${scheme.name ?? "key"} (${scheme.in ?? "header"})`;
  if (scheme.type === "http") return `HTTP ${scheme.scheme ?? ""}`.trim();
  return scheme.type;
}

export interface RefResolver {
  schema(schema: JsonSchema): JsonSchema;
  parameter(ref: string): ParameterObject;
  media(value: MediaTypes | { $ref: string }): MediaTypes;
}

/** Follows local `#/components/...` references; an unknown one fails the build loudly. */
export function refResolver(document: Pick<OpenApiDocument, "components">): RefResolver {
  const lookup = (ref: string): unknown => {
    if (!ref.startsWith("#/")) throw new Error(`only local references are supported: ${ref}`);
    let node: unknown = document;
    for (const part of ref.slice(2).split("/")) {
      const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
    }
    if (node === undefined) throw new Error(`unresolved reference ${ref}`);
    return node;
  };
  const follow = <T>(value: T | { $ref: string }, depth = 0): T => {
    if (value && typeof value === "object" && "$ref" in value && typeof value.$ref === "string") {
      if (depth > 20) throw new Error(`reference loop at ${value.$ref}`);
      return follow(lookup(value.$ref) as T | { $ref: string }, depth + 1);
    }
    return value as T;
  };
  return {
    schema: (schema) => follow<JsonSchema>(schema as JsonSchema | { $ref: string }),
    parameter: (ref) => follow<ParameterObject>({ $ref: ref }),
    media: (value) => follow<MediaTypes>(value),
  };
}

function refName(ref: string): string {
  return ref.split("/").at(-1) ?? ref;
}

/** Lowercase words joined by dashes: `/api/projects/{id}` -> `api-projects-id`. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Text with `code` spans, split so a page can set the spans in monospace. */
export function codeSpans(text: string): { code: boolean; text: string }[] {
  return text
    .split(/(`[^`]+`)/)
    .filter((part) => part !== "")
    .map((part) =>
      part.length > 2 && part.startsWith("`") && part.endsWith("`")
        ? { code: true, text: part.slice(1, -1) }
        : { code: false, text: part },
    );
}
