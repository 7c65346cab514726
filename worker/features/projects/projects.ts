import type { Database } from "../../../db/client";
import { findProjectByApiKeyHash, type ProjectRow } from "../../../db/queries/projects";
import { randomSecret, sha256Hex } from "../../lib/crypto";
import { type SecretBox, secretBox } from "../../lib/secret-box";
import { judgeSettingsOf } from "../deployments/judge-input";
import { limitsOf } from "../plans/limits";
import { effectiveWindowMinutes, usageOf } from "../plans/plans";
import type { EndpointView, ProjectView } from "./schemas";

// Route files take the project type from here: they do not import db/queries (biome.json).
export type { ProjectRow };

/** A rotated HMAC secret keeps working this long, so apps can be updated without failed samples. */
export const HMAC_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

/** CI API keys: `sp_` + 256 random bits. Only the SHA-256 is stored (the key has full entropy). */
export async function newApiKey(): Promise<{ key: string; hash: string; prefix: string }> {
  const key = `sp_${randomSecret()}`;
  return { key, hash: await sha256Hex(key), prefix: key.slice(0, 10) };
}

/** `sp_` + `randomSecret()` (base64url): what `newApiKey` issues, with room to spare. */
const API_KEY_SHAPE = /^sp_[A-Za-z0-9_-]{16,128}$/;

/** Whether a key could be one we issued: anything else is refused without a query. */
export function isApiKeyShape(key: string): boolean {
  return API_KEY_SHAPE.test(key);
}

export function hashApiKey(key: string): Promise<string> {
  return sha256Hex(key);
}

/** The project a CI API key belongs to, or null (a key of the wrong shape costs no query). */
export async function findProjectByApiKey(db: Database, key: string | undefined): Promise<ProjectRow | null> {
  return key && isApiKeyShape(key) ? await findProjectByApiKeyHash(db, await hashApiKey(key)) : null;
}

/** HMAC secrets keep the earlier format (`spm_` + 43 characters) that SDKs document. */
export function newHmacSecret(): string {
  return `spm_${randomSecret()}`;
}

function hmacContext(projectId: string) {
  return `hmac:${projectId}`;
}

export function encryptHmacSecret(box: SecretBox, projectId: string, secret: string) {
  return box.encrypt(secret, hmacContext(projectId));
}

/** The secrets to sign with now: current, and the previous one while its grace period runs. */
export async function signingSecrets(
  encryptionKeys: string | undefined,
  project: Pick<
    ProjectRow,
    "id" | "hmacEnabled" | "hmacSecretEncrypted" | "hmacPreviousSecretEncrypted" | "hmacPreviousValidUntil"
  >,
  now = new Date(),
): Promise<{ current: string; previous: string | null } | null> {
  if (!project.hmacEnabled || !project.hmacSecretEncrypted) return null;
  const box = secretBox(encryptionKeys);
  const current = await box.decrypt(project.hmacSecretEncrypted, hmacContext(project.id));
  const previousValid =
    project.hmacPreviousSecretEncrypted &&
    project.hmacPreviousValidUntil &&
    project.hmacPreviousValidUntil.getTime() > now.getTime();
  const previous = previousValid
    ? await box.decrypt(project.hmacPreviousSecretEncrypted as string, hmacContext(project.id))
    : null;
  return { current, previous };
}

export function projectView(project: ProjectRow): ProjectView {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    envs: project.envs,
    observationWindowMinutes: project.observationWindowMinutes,
    effectiveObservationWindowMinutes: effectiveWindowMinutes(project),
    plan: project.plan,
    usage: usageOf(project, new Date()),
    limits: { ...limitsOf(project.plan) },
    endpointChanges: {
      pathChanges: project.endpointPathChanges,
      hostMigrations: project.endpointHostMigrations,
    },
    judge: project.judge,
    judgeSettings: judgeSettingsOf(project.judgeSettings),
    baselineIntervalMinutes: project.baselineIntervalMinutes,
    apiKeyPrefix: project.apiKeyPrefix,
    endpoint: endpointView(project),
    collection: collectionView(project),
    hmac: {
      enabled: project.hmacEnabled,
      previousSecretValidUntil:
        project.hmacPreviousValidUntil && project.hmacPreviousValidUntil.getTime() > Date.now()
          ? project.hmacPreviousValidUntil.toISOString()
          : null,
    },
    createdAt: project.createdAt.toISOString(),
    updatedAt: project.updatedAt.toISOString(),
  };
}

/**
 * How collection is going for the endpoint: timeouts in a row, and until when it is backed off
 * (attempts shortened and not retried, worker/features/collection); null when not backed off.
 */
export function collectionView(project: ProjectRow) {
  return {
    consecutiveTimeouts: project.collectionTimeoutStreak,
    backedOffUntil:
      project.collectionBackoffUntil && project.collectionBackoffUntil.getTime() > Date.now()
        ? project.collectionBackoffUntil.toISOString()
        : null,
  };
}

export function endpointView(project: ProjectRow): EndpointView {
  return {
    state: project.endpointState,
    candidate: project.metricsEndpointCandidate,
    active: project.metricsEndpointActive,
    lastTestedAt: project.endpointLastTestedAt?.toISOString() ?? null,
    lastVerifiedAt: project.endpointLastVerifiedAt?.toISOString() ?? null,
    lastError: project.endpointLastErrorCode
      ? { code: project.endpointLastErrorCode, message: project.endpointLastErrorMessage }
      : null,
  };
}
