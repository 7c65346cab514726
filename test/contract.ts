import { TrieRouter } from "hono/router/trie-router";
import * as z from "zod";
import { type RouteContract, responsesOf } from "../worker/lib/contract";
import { errorEnvelope } from "../worker/lib/errors";
import { apiContract } from "../worker/openapi/document";

/**
 * The API contract as a drift check: every answer a test receives is held against the documented
 * response of its route and status (worker/features/*\/schemas.ts), so the whole worker suite
 * fails when a handler answers a status or a body its contract does not describe.
 */

const router = new TrieRouter<RouteContract>();
for (const route of apiContract) router.add(route.method, route.path, route);

export class ContractViolation extends Error {
  override name = "ContractViolation";
}

/** The contract entry serving `method path`, if any (HEAD is answered by the GET route). */
export function contractOf(method: string, path: string): RouteContract | undefined {
  const [matches] = router.match(method === "HEAD" ? "GET" : method, path);
  return matches[0]?.[0];
}

function isJson(response: Response): boolean {
  return /^application\/json\b/i.test(response.headers.get("Content-Type") ?? "");
}

/**
 * Throws a ContractViolation when the answer is not the one documented for its route and
 * status. Answers of paths the contract does not name (unknown paths, internal ones) must still
 * carry the API's error body when they are errors.
 */
export async function checkAgainstContract(method: string, url: string, response: Response): Promise<void> {
  const path = new URL(url).pathname;
  const route = contractOf(method, path);
  const name = `${method} ${path}`;
  const hasBody = method !== "HEAD" && response.status !== 204 && response.status !== 304;
  if (!route) {
    if (response.status >= 400 && hasBody && isJson(response)) {
      await checkBody(name, response, errorEnvelope);
    }
    return;
  }
  const documented = responsesOf(route)[response.status];
  if (!documented) {
    const text = hasBody ? await response.clone().text() : "";
    throw new ContractViolation(
      `${name} (${route.method} ${route.path}) answered ${response.status}, which its contract does not document: ${text.slice(0, 300)}`,
    );
  }
  if (!hasBody) return;
  if (documented.contentType) {
    const type = response.headers.get("Content-Type") ?? "";
    if (!type.startsWith(documented.contentType.split(";")[0] ?? "")) {
      throw new ContractViolation(
        `${name} answered ${response.status} as ${type}, not ${documented.contentType}`,
      );
    }
    return;
  }
  if (!documented.body) {
    const text = await response.clone().text();
    if (text !== "") {
      throw new ContractViolation(
        `${name} answered ${response.status} with a body its contract does not document`,
      );
    }
    return;
  }
  if (!isJson(response)) {
    throw new ContractViolation(
      `${name} answered ${response.status} without the JSON body its contract documents`,
    );
  }
  await checkBody(`${name} ${response.status}`, response, documented.body);
}

async function checkBody(name: string, response: Response, schema: z.ZodType): Promise<void> {
  const body: unknown = await response.clone().json();
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new ContractViolation(
      `${name}: the body differs from the contract:\n${z.prettifyError(result.error)}\n${JSON.stringify(body).slice(0, 1000)}`,
    );
  }
}
