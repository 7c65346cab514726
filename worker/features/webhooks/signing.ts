import { decodeBase64, encodeBase64 } from "@oslojs/encoding";
import { randomBytes } from "../../lib/crypto";

// Signing per the Standard Webhooks spec (https://www.standardwebhooks.com/): the signed content
// is `<webhook-id>.<webhook-timestamp>.<body>`, HMAC-SHA256 under the secret's bytes (the base64
// after `whsec_`), sent as `v1,<base64>`; several signatures are separated by spaces, so a
// receiver holding either secret of a rotation verifies.

const SECRET_PREFIX = "whsec_";
/** 32 bytes: the spec asks for 24 to 64. */
const SECRET_BYTES = 32;

const encoder = new TextEncoder();

/** A new signing secret, `whsec_<base64 of 32 random bytes>`. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${encodeBase64(randomBytes(SECRET_BYTES))}`;
}

/** A new message id (`webhook-id`): the same on every attempt and redelivery of one delivery. */
export function newMessageId(): string {
  return `msg_${crypto.randomUUID().replaceAll("-", "")}`;
}

function secretKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("not a whsec_ secret");
  return Uint8Array.from(decodeBase64(secret.slice(SECRET_PREFIX.length)));
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` under one secret. */
export async function signatureOf(
  secret: string,
  message: { id: string; timestamp: number; body: string },
): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    secretKeyBytes(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    encoder.encode(`${message.id}.${message.timestamp}.${message.body}`),
  );
  return `v1,${encodeBase64(new Uint8Array(mac))}`;
}

/**
 * The three Standard Webhooks headers for one attempt. `secrets` are the current secret and,
 * during a rotation's overlap, the previous one: each signs, space-separated.
 */
export async function signedWebhookHeaders(params: {
  messageId: string;
  body: string;
  secrets: readonly string[];
  now: Date;
}): Promise<Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string>> {
  const timestamp = Math.floor(params.now.getTime() / 1000);
  const signatures = await Promise.all(
    params.secrets.map((secret) =>
      signatureOf(secret, { id: params.messageId, timestamp, body: params.body }),
    ),
  );
  return {
    "webhook-id": params.messageId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  };
}
