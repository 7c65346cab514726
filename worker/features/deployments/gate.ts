import type { Database } from "../../../db/client";
import { findLatestDeploymentId } from "../../../db/queries/deployment-views";
import { ApiError } from "../../lib/errors";
import type { VerdictAnswer } from "./schemas";
import { AWAITING_VERDICT, readDeploymentVerdict } from "./verdict-wait";

/**
 * What a gate passes on: `promote` opens on an `ok` verdict (Flagger's confirm-promotion hook),
 * `rollback` on a `rollback_recommended` one (Flagger's rollback hook).
 */
export type GateMode = "promote" | "rollback";

/** `pass` (2xx), `pending` (no verdict yet, one may come) or `hold` (this gate will not open). */
export type GateOutcome = "pass" | "pending" | "hold";

const OPENS_ON = { promote: "ok", rollback: "rollback_recommended" } as const;

/**
 * The gate's answer for the deployment named by id, or else the latest of `env` (with `version`
 * if given) in the project: its verdict, and whether the gate opens on it.
 */
export async function gateOnVerdict(
  db: Database,
  params: {
    projectId: string;
    target: { deploymentId?: string; env?: string; version?: string };
    mode: GateMode;
    origin: string;
  },
): Promise<{ outcome: GateOutcome; answer: VerdictAnswer }> {
  const { projectId, target } = params;
  const id =
    target.deploymentId ??
    (target.env ? await findLatestDeploymentId(db, projectId, target.env, target.version) : null);
  if (!id) throw new ApiError("NOT_FOUND", "No such deployment in this project.");
  const answer = await readDeploymentVerdict(db, {
    reader: { kind: "project", projectId },
    id,
    waitSeconds: 0,
    signal: new AbortController().signal,
    origin: params.origin,
  });
  if (answer.verdict === OPENS_ON[params.mode]) return { outcome: "pass", answer };
  if (answer.verdict === null && AWAITING_VERDICT.has(answer.state)) return { outcome: "pending", answer };
  return { outcome: "hold", answer };
}
