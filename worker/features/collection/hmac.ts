import { encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { randomBytes } from "../../lib/crypto";

/**
 * HMAC v2 request signing, byte for byte as the earlier SeqPulse and its SDKs expect:
 * `<timestamp>|<METHOD>|<canonical path>|<nonce>` signed with HMAC-SHA256, key = the secret
 * string's UTF-8 bytes, sent as `sha256=<hex>`.
 */
export const HMAC_NONCE_TTL_SECONDS = 330;

const encoder = new TextEncoder();

/** URL path only: empty -> `/`; one trailing slash removed unless the path is `/`. */
export function canonicalPath(url: string | URL): string {
  let path = new URL(url).pathname || "/";
  if (!path.startsWith("/")) path = `/${path}`;
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  return path;
}

/** `YYYY-MM-DDTHH:MM:SSZ` (second precision, UTC). */
export function hmacTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export async function signature(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(message));
  return `sha256=${encodeHexLowerCase(new Uint8Array(mac))}`;
}

export async function signedHeaders(params: {
  secret: string;
  url: string;
  projectId: string;
  now: Date;
  nonce?: string;
}): Promise<Record<string, string>> {
  const timestamp = hmacTimestamp(params.now);
  const nonce = params.nonce ?? encodeBase64urlNoPadding(randomBytes(16));
  const path = canonicalPath(params.url);
  return {
    "X-SeqPulse-Timestamp": timestamp,
    "X-SeqPulse-Nonce": nonce,
    "X-SeqPulse-Signature": await signature(params.secret, `${timestamp}|GET|${path}|${nonce}`),
    "X-SeqPulse-Signature-Version": "v2",
    "X-SeqPulse-Canonical-Path": path,
    "X-SeqPulse-Method": "GET",
    "X-SeqPulse-Nonce-TTL": String(HMAC_NONCE_TTL_SECONDS),
    "X-SeqPulse-Project-Id": params.projectId,
  };
}
