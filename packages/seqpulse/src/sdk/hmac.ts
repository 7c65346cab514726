/**
 * The receiving side of SeqPulse's HMAC v2 request signing: SeqPulse signs
 * `<timestamp>|<METHOD>|<canonical path>|<nonce>` with HMAC-SHA256 (key: the project's `spm_...`
 * secret as UTF-8) and sends `sha256=<hex>` with the timestamp, nonce and path in headers. A
 * request is accepted when the timestamp is within the allowed skew, the nonce was not seen
 * before within its lifetime, and the signature matches. Web Crypto only: runs in Node 20+,
 * Workers, Deno and Bun.
 */
export const DEFAULT_MAX_SKEW_PAST_SECONDS = 300;
export const DEFAULT_MAX_SKEW_FUTURE_SECONDS = 30;

export type HmacRejection =
  | "missing headers"
  | "unsupported version"
  | "bad timestamp"
  | "timestamp too old"
  | "timestamp in the future"
  | "nonce reuse"
  | "nonce cache full"
  | "invalid signature";

export interface SignedRequest {
  method: string;
  /** The request's own path, used when SeqPulse did not send `X-SeqPulse-Canonical-Path`. */
  path: string;
  header(name: string): string | null | undefined;
}

export interface VerifyOptions {
  secret: string;
  maxSkewPastSeconds: number;
  maxSkewFutureSeconds: number;
  nonces: NonceCache;
  now?: number;
}

/**
 * Nonces seen within their lifetime (past skew + future skew: after that the timestamp alone
 * refuses a replay). Bounded: when full of live nonces it refuses new ones rather than forget a
 * live one, since forgetting would let its request be replayed. Only requests with a valid
 * signature are remembered, so only SeqPulse can fill it. One process only: an application
 * behind several instances may see a replay on another instance (the timestamp still bounds it).
 */
export class NonceCache {
  private readonly expiries = new Map<string, number>();
  constructor(readonly maxEntries = 10_000) {}

  has(key: string, now: number): boolean {
    const expires = this.expiries.get(key);
    return expires !== undefined && expires > now;
  }

  /** False when full of live nonces. */
  add(key: string, expiresAt: number, now: number): boolean {
    if (this.expiries.size >= this.maxEntries) {
      for (const [seen, expires] of this.expiries) if (expires <= now) this.expiries.delete(seen);
    }
    if (this.expiries.size >= this.maxEntries) return false;
    this.expiries.set(key, expiresAt);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }
}

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/;
const SIGNATURE = /^sha256=([0-9a-f]{64})$/;
const encoder = new TextEncoder();

/** Null when the request is accepted (its nonce is then spent), else why it is refused. */
export async function verifySignedRequest(
  request: SignedRequest,
  options: VerifyOptions,
): Promise<HmacRejection | null> {
  const timestamp = request.header("x-seqpulse-timestamp");
  const nonce = request.header("x-seqpulse-nonce");
  const signature = request.header("x-seqpulse-signature");
  if (!timestamp || !nonce || !signature) return "missing headers";
  if (request.header("x-seqpulse-signature-version") !== "v2") return "unsupported version";
  if (!TIMESTAMP.test(timestamp)) return "bad timestamp";
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return "bad timestamp";
  const now = options.now ?? Date.now();
  if (now - at > options.maxSkewPastSeconds * 1000) return "timestamp too old";
  if (at - now > options.maxSkewFutureSeconds * 1000) return "timestamp in the future";
  // Nonces are unique per project: two projects scraping one application may draw the same one.
  const nonceKey = `${request.header("x-seqpulse-project-id") ?? ""}:${nonce}`;
  if (options.nonces.has(nonceKey, now)) return "nonce reuse";
  const given = SIGNATURE.exec(signature.toLowerCase())?.[1];
  if (!given) return "invalid signature";
  const method = (request.header("x-seqpulse-method") || request.method).toUpperCase();
  const path = request.header("x-seqpulse-canonical-path") || canonicalPath(request.path);
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(options.secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  // `verify` compares in constant time.
  const valid = await crypto.subtle.verify(
    "HMAC",
    key,
    hexToBytes(given),
    encoder.encode(`${timestamp}|${method}|${path}|${nonce}`),
  );
  if (!valid) return "invalid signature";
  const lifetimeMs = (options.maxSkewPastSeconds + options.maxSkewFutureSeconds) * 1000;
  if (!options.nonces.add(nonceKey, at + lifetimeMs, now)) return "nonce cache full";
  return null;
}

/** URL path only: empty -> `/`; one trailing slash removed unless the path is `/`. */
export function canonicalPath(pathOrUrl: string): string {
  let path = pathOrUrl.split("?")[0] ?? "";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) path = new URL(path).pathname;
  if (!path.startsWith("/")) path = `/${path}`;
  if (path.length > 1 && path.endsWith("/")) path = path.slice(0, -1);
  return path;
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}
