import type { Database } from "../../../db/client";
import { ApiError } from "../../lib/errors";
import { secretBox } from "../../lib/secret-box";
import { getOwnedProject, saveOwnedProject } from "./project-settings";
import { encryptHmacSecret, HMAC_ROTATION_GRACE_MS, newHmacSecret, projectView } from "./projects";

// HMAC signing of collection requests. Secrets are stored encrypted and returned once.

/** Turns signing on with a new secret, returned once. */
export async function enableHmac(db: Database, encryptionKeys: string, ownerId: string, id: string) {
  const project = await getOwnedProject(db, ownerId, id);
  if (project.hmacEnabled)
    throw new ApiError("HMAC_ALREADY_ENABLED", "HMAC signing is already on; rotate the secret instead.");
  const secret = newHmacSecret();
  const updated = await saveOwnedProject(db, ownerId, id, {
    hmacEnabled: true,
    hmacSecretEncrypted: await encryptHmacSecret(secretBox(encryptionKeys), id, secret),
    hmacPreviousSecretEncrypted: null,
    hmacPreviousValidUntil: null,
  });
  return { project: projectView(updated), secret };
}

export async function disableHmac(db: Database, ownerId: string, id: string) {
  await getOwnedProject(db, ownerId, id);
  const updated = await saveOwnedProject(db, ownerId, id, {
    hmacEnabled: false,
    hmacSecretEncrypted: null,
    hmacPreviousSecretEncrypted: null,
    hmacPreviousValidUntil: null,
  });
  return projectView(updated);
}

/**
 * New secret, returned once. The previous one stays valid for a grace period: collection tries
 * the new secret first and falls back to the old one when the application refuses it.
 */
export async function rotateHmacSecret(
  db: Database,
  encryptionKeys: string,
  ownerId: string,
  id: string,
  now: Date,
) {
  const project = await getOwnedProject(db, ownerId, id);
  if (!project.hmacEnabled || !project.hmacSecretEncrypted) {
    throw new ApiError("HMAC_NOT_ENABLED", "HMAC signing is off; enable it first.");
  }
  const secret = newHmacSecret();
  const validUntil = new Date(now.getTime() + HMAC_ROTATION_GRACE_MS);
  const updated = await saveOwnedProject(db, ownerId, id, {
    hmacSecretEncrypted: await encryptHmacSecret(secretBox(encryptionKeys), id, secret),
    hmacPreviousSecretEncrypted: project.hmacSecretEncrypted,
    hmacPreviousValidUntil: validUntil,
  });
  return { project: projectView(updated), secret, previousSecretValidUntil: validUntil.toISOString() };
}
