import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { insertDeployment } from "../../../db/queries/deployments";
import { insertProject } from "../../../db/queries/projects";
import { projects } from "../../../db/schema";
import { TestClient } from "../../../test/client";
import { testDatabase } from "../../../test/helpers";
import { projectWithActiveEndpoint } from "../../../test/projects";
import { accountLimits } from "../../lib/account-limits";

// The limits this instance runs with (wrangler.toml [vars], their defaults when unset).
const { projects: MAX_PROJECTS_PER_ACCOUNT, deploymentsInFlight: MAX_DEPLOYMENTS_IN_FLIGHT_PER_ACCOUNT } =
  accountLimits(env);

const { db, close } = testDatabase();
afterAll(() => close());

const errorOf = async (response: Response) =>
  (await response.json<{ error: { code: string; message: string } }>()).error;

describe("account limits", () => {
  it(`refuses a project past ${MAX_PROJECTS_PER_ACCOUNT} with 403 PROJECT_LIMIT_REACHED`, async () => {
    const owner = new TestClient();
    const { user } = await owner.signUp();
    await db.insert(projects).values(
      Array.from({ length: MAX_PROJECTS_PER_ACCOUNT - 1 }, (_, i) => ({
        ownerId: user.id,
        name: `p${i}`,
        apiKeyHash: crypto.randomUUID(),
        apiKeyPrefix: "sp_x",
      })),
    );
    expect((await owner.json("POST", "/api/projects", { name: "the last one" })).status).toBe(201);
    const refused = await owner.json("POST", "/api/projects", { name: "one too many" });
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({ code: "PROJECT_LIMIT_REACHED" });
    // Another account is not affected.
    const other = new TestClient();
    await other.signUp();
    expect((await other.json("POST", "/api/projects", { name: "fine" })).status).toBe(201);
  }, 60_000);

  it(`refuses a trigger past ${MAX_DEPLOYMENTS_IN_FLIGHT_PER_ACCOUNT} deployments in flight with 429 TOO_MANY_RUNNING_DEPLOYMENTS`, async () => {
    const { ci, owner, project } = await projectWithActiveEndpoint();
    const { user } = await (await owner.json("GET", "/api/auth/me")).json<{ user: { id: string } }>();
    // Running or under observation, in other projects of the same account.
    for (let i = 0; i < MAX_DEPLOYMENTS_IN_FLIGHT_PER_ACCOUNT; i++) {
      const other = await insertProject(db, {
        ownerId: user.id,
        name: `busy ${i}`,
        apiKeyHash: crypto.randomUUID(),
        apiKeyPrefix: "sp_x",
      });
      await insertDeployment(
        db,
        {
          id: crypto.randomUUID(),
          projectId: other.id,
          env: "prod",
          metricsEndpoint: "http://127.0.0.1:1/m",
          observationWindowMinutes: 5,
          expiresAt: new Date(Date.now() + 60 * 60_000),
        },
        [],
      );
    }
    const refused = await ci.trigger();
    expect(refused.status).toBe(429);
    expect(await errorOf(refused)).toMatchObject({ code: "TOO_MANY_RUNNING_DEPLOYMENTS" });
    expect(project.id).toBeTruthy();
  });
});
