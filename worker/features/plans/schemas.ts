import * as z from "zod";
import { errorResponse, type RouteContract, timestamp } from "../../lib/contract";
import { planLimitsSchema } from "../projects/schemas";
import { projectPlans } from "./limits";

export const projectIdParam = z.object({ id: z.string() });

export const changePlanBody = z.object({ plan: z.enum(projectPlans) });

export const changePlanResponse = z.strictObject({
  projectId: z.uuid(),
  previousPlan: z.enum(projectPlans),
  plan: z.enum(projectPlans),
  limits: planLimitsSchema,
  usage: z.strictObject({ deploymentsThisMonth: z.number().int(), monthResetsAt: timestamp }),
});

export const planContract: RouteContract[] = [
  {
    method: "PUT",
    path: "/api/admin/projects/:id/plan",
    tag: "Operators",
    summary: "Move a project to another plan",
    description:
      "Operators only (`Authorization: Bearer <OPERATOR_TOKEN>`); `npm run admin -- plan <project> <plan>` calls it. " +
      "Settings above the new plan stay stored: triggers hold them to the plan, the next edit must fit it.",
    security: "operator",
    request: { params: projectIdParam, body: changePlanBody },
    responses: {
      200: {
        description: "The project's new plan, its limits and this month's usage.",
        body: changePlanResponse,
      },
      401: errorResponse("No operator token, or a wrong one."),
      404: errorResponse("No such project."),
    },
  },
];
