import { limitsOf } from "../plans/limits";

/**
 * Whether the project's plan includes Slack notifications (pro and enterprise,
 * worker/features/plans/limits.ts). Every Slack path asks this one function: settings changes,
 * the test message, planning and sending messages; a project moved back to free stops posting
 * and keeps its settings.
 */
export function slackAllowedFor(project: { plan: string }): boolean {
  return limitsOf(project.plan).slack;
}
