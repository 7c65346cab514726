import type { Database } from "../../../db/client";
import { setProjectPlan } from "../../../db/queries/projects";
import { ApiError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
import { log } from "../../lib/log";
import { limitsOf, type ProjectPlan } from "./limits";
import { usageOf } from "./plans";

/**
 * An operator moves a project to another plan (there is no payment: this is how a plan
 * changes). Settings above the new plan stay stored; triggers hold them to the plan (a window
 * is clamped, the environment forced) and the next edit must fit it. Audited in the logs.
 */
export async function changeProjectPlan(db: Database, projectId: string, plan: ProjectPlan, now: Date) {
  const changed = isUuid(projectId) ? await setProjectPlan(db, projectId, plan) : null;
  if (!changed) throw new ApiError("NOT_FOUND", "No such project.");
  log("info", "plan changed", {
    event: "plan_changed",
    projectId,
    ownerId: changed.project.ownerId,
    oldPlan: changed.previousPlan,
    newPlan: plan,
  });
  return {
    projectId,
    previousPlan: changed.previousPlan,
    plan,
    limits: { ...limitsOf(plan) },
    usage: usageOf(changed.project, now),
  };
}
