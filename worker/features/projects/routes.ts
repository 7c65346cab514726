import { Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../env";
import { paginationQuery } from "../../lib/pagination";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { validate } from "../../lib/validation";
import { authOf, requireAuth } from "../../middleware/authenticate";
import { enforceRateLimit } from "../../middleware/rate-limit";
import { setEndpointCandidate, testEndpoint } from "./endpoint";
import { disableHmac, enableHmac, rotateHmacSecret } from "./hmac-signing";
import {
  createProject,
  deleteOwnedProject,
  getOwnedProject,
  listOwnedProjects,
  rotateApiKey,
  updateProjectSettings,
} from "./project-settings";
import { endpointView, projectView } from "./projects";
import {
  createProjectBody,
  deleteProjectBody,
  endpointBody,
  projectIdParam,
  updateProjectBody,
} from "./schemas";

export const projectRoutes = new Hono<AppEnv>();
projectRoutes.use(requireAuth());

projectRoutes.post("/", validate("json", createProjectBody), async (c) => {
  return c.json(await createProject(c.var.db, c.env, authOf(c).userId, c.req.valid("json")), 201);
});

projectRoutes.get("/", validate("query", z.object(paginationQuery)), async (c) => {
  return c.json(await listOwnedProjects(c.var.db, authOf(c).userId, c.req.valid("query")));
});

projectRoutes.get("/:id", validate("param", projectIdParam), async (c) => {
  const project = await getOwnedProject(c.var.db, authOf(c).userId, c.req.valid("param").id);
  return c.json({ project: projectView(project) });
});

projectRoutes.patch(
  "/:id",
  validate("param", projectIdParam),
  validate("json", updateProjectBody),
  async (c) => {
    const { id } = c.req.valid("param");
    const project = await updateProjectSettings(c.var.db, authOf(c).userId, id, c.req.valid("json"));
    return c.json({ project });
  },
);

projectRoutes.delete(
  "/:id",
  validate("param", projectIdParam),
  validate("json", deleteProjectBody),
  async (c) => {
    const { id } = c.req.valid("param");
    await deleteOwnedProject(c.var.db, authOf(c).userId, id, c.req.valid("json").confirmName);
    return c.body(null, 204);
  },
);

projectRoutes.post("/:id/api-key/rotate", validate("param", projectIdParam), async (c) => {
  return c.json(await rotateApiKey(c.var.db, authOf(c).userId, c.req.valid("param").id));
});

projectRoutes.get("/:id/endpoint", validate("param", projectIdParam), async (c) => {
  const project = await getOwnedProject(c.var.db, authOf(c).userId, c.req.valid("param").id);
  return c.json({ endpoint: endpointView(project) });
});

projectRoutes.put(
  "/:id/endpoint",
  validate("param", projectIdParam),
  validate("json", endpointBody),
  async (c) => {
    const { id } = c.req.valid("param");
    const { url } = c.req.valid("json");
    return c.json({ endpoint: await setEndpointCandidate(c.var.db, c.env, authOf(c).userId, id, url) });
  },
);

projectRoutes.post("/:id/endpoint/test", validate("param", projectIdParam), async (c) => {
  const { userId } = authOf(c);
  // Another owner's project is a 404 before anything is counted.
  const project = await getOwnedProject(c.var.db, userId, c.req.valid("param").id);
  // Each test is an outbound request to a URL of the user's choosing: bounded, so the endpoint
  // cannot be used to probe other hosts at volume.
  await enforceRateLimit(c, RATE_LIMITS.endpointTestPerUser, userId);
  return c.json(await testEndpoint(c.var.db, c.env, project, new Date()));
});

projectRoutes.post("/:id/hmac/enable", validate("param", projectIdParam), async (c) => {
  const { id } = c.req.valid("param");
  return c.json(await enableHmac(c.var.db, c.env.ENCRYPTION_KEYS, authOf(c).userId, id));
});

projectRoutes.post("/:id/hmac/disable", validate("param", projectIdParam), async (c) => {
  const project = await disableHmac(c.var.db, authOf(c).userId, c.req.valid("param").id);
  return c.json({ project });
});

projectRoutes.post("/:id/hmac/rotate", validate("param", projectIdParam), async (c) => {
  const { id } = c.req.valid("param");
  return c.json(await rotateHmacSecret(c.var.db, c.env.ENCRYPTION_KEYS, authOf(c).userId, id, new Date()));
});
