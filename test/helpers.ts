import { env, exports } from "cloudflare:workers";
import { openDatabase } from "../db/client";
import { createApp } from "../worker/app";
import type { ErrorBody } from "../worker/lib/errors";
import { checkAgainstContract } from "./contract";

/**
 * Sends a request through the Worker's real fetch handler (all middleware included), and fails
 * when the answer is not the one the API contract documents for its route and status.
 */
export async function request(path: string, init?: RequestInit): Promise<Response> {
  const sent = new Request(new URL(path, "http://seqpulse.test"), init);
  const { method, url } = sent;
  const response = await exports.default.fetch(sent);
  await checkAgainstContract(method, url, response);
  return response;
}

/**
 * Sends a request through a fresh app with other bindings (a setting under test) and the given
 * execution context; the answer is checked against the API contract as `request`'s are.
 */
export async function fetchApp(sent: Request, bindings: Env, ctx: ExecutionContext): Promise<Response> {
  const { method, url } = sent;
  const response = await createApp().fetch(sent, bindings, ctx);
  await checkAgainstContract(method, url, response);
  return response;
}

/** A database handle for arranging and asserting; close it in afterAll/afterEach. */
export function testDatabase() {
  return openDatabase(env);
}

/** A job type no other test file uses, so parallel files never claim each other's jobs. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** A client address of the TEST-NET range, unique per call: separate rate-limit counters. */
export function uniqueClientIp(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(2));
  return `198.51.${bytes[0]}.${bytes[1]}`;
}

/**
 * Rate limits count in windows aligned to the minute, and a burst that straddles two windows is
 * rightly weighed across both (the earlier window's share fades as the new one goes on). A test
 * that expects a burst of `seconds` to hit its limit starts it early enough in one window.
 */
export async function startBurstInOneWindow(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

/** The `error` object of an API error answer (DESIGN.md's error body). */
export async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  return (await response.json<ErrorBody>()).error;
}

/** The fields a validation error names, in its order (none when it names none). */
export async function fieldsOf(response: Response): Promise<string[]> {
  return ((await errorOf(response)).fields ?? []).map((f) => f.field);
}

/** Polls `read` until it gives a value (100 tries, `intervalMs` apart); fails naming `what`. */
export async function until<T>(
  read: () => Promise<T | null | undefined>,
  what: string,
  intervalMs = 30,
): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
