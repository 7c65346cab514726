import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import type { AppEnv } from "./env";
import { authRoutes } from "./features/auth/routes";
import { benchRoutes } from "./features/bench/routes";
import { ciRoutes } from "./features/deployments/ci-routes";
import { gateRoutes } from "./features/deployments/gate-routes";
import { deploymentReadRoutes } from "./features/deployments/read-routes";
import { deploymentRoutes, hintRoutes, statsRoutes } from "./features/deployments/routes";
import { emailPreferenceRoutes, oneClickUnsubscribeRoutes, unsubscribeRoutes } from "./features/email/routes";
import { healthRoutes } from "./features/health/routes";
import { oauthRoutes } from "./features/oauth/routes";
import { adminRoutes } from "./features/plans/routes";
import { projectRoutes } from "./features/projects/routes";
import { twoFactorRoutes } from "./features/two-factor/routes";
import { verdictReviewDeploymentRoutes, verdictReviewProjectRoutes } from "./features/verdict-review/routes";
import { webhookRoutes } from "./features/webhooks/routes";
import { ApiError, codeForStatus, errorBody } from "./lib/errors";
import { describeError, log } from "./lib/log";
import { authenticate } from "./middleware/authenticate";
import { limitBody } from "./middleware/body-limit";
import { csrfProtection } from "./middleware/csrf";
import { database } from "./middleware/database";
import { jsonBodyOrUntyped } from "./middleware/json-body";
import { knownRoutes } from "./middleware/known-routes";
import { refuseNul } from "./middleware/refuse-nul";
import { securityHeaders } from "./middleware/security-headers";
import { openApiRoutes } from "./openapi/routes";

/** Builds the Worker's HTTP app: middleware order matters and is fixed here. */
export function createApp() {
  const app = new Hono<AppEnv>();

  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(securityHeaders());
  // Before authentication and before any body is read: unknown paths and methods, oversized
  // bodies, the CI paths' content type, then NUL bytes anywhere we read.
  app.use(knownRoutes(app));
  app.use(limitBody());
  app.use("/deployments/*", jsonBodyOrUntyped());
  app.use(refuseNul());
  app.use(database());

  app.route("/health", healthRoutes);
  app.route("/api/health", healthRoutes);
  app.route("/openapi.json", openApiRoutes);
  // The operator's bearer token is not a user credential: before the user authentication.
  app.route("/api/admin", adminRoutes);

  // Mail clients' RFC 8058 unsubscribe POSTs are cross-site forms: before the CSRF rule.
  app.route("/api/email/unsubscribe/one-click", oneClickUnsubscribeRoutes);
  app.use("/api/*", csrfProtection());
  app.use("/api/*", authenticate());
  app.route("/api/account", emailPreferenceRoutes);
  app.route("/api/email", unsubscribeRoutes);
  app.route("/api/auth", authRoutes);
  app.route("/api/auth/oauth", oauthRoutes);
  app.route("/api/auth/2fa", twoFactorRoutes);
  app.route("/api/projects", projectRoutes);
  app.route("/api/projects", verdictReviewProjectRoutes);
  app.route("/api/projects", webhookRoutes);
  app.route("/api/deployments", ciRoutes);
  // Before the dashboard's routes, whose `requireAuth` would refuse a project key.
  app.route("/api/deployments", deploymentReadRoutes);
  app.route("/api/deployments", deploymentRoutes);
  app.route("/api/deployments", verdictReviewDeploymentRoutes);
  app.route("/api/sdh", hintRoutes);
  app.route("/api/stats", statsRoutes);
  // The earlier SeqPulse's CI paths, for pipelines and SDKs written against it.
  app.route("/deployments", ciRoutes);
  app.route("/deployments", deploymentReadRoutes);
  // For deployment controllers (Flagger); not under /api, whose CSRF rules are for browsers.
  app.route("/deployments", gateRoutes);
  app.route("/__bench", benchRoutes);

  app.notFound((c) =>
    c.json(errorBody({ code: "NOT_FOUND", message: "No such route." }, c.var.requestId), 404),
  );

  app.onError((error, c) => {
    const id = c.var.requestId;
    if (error instanceof ApiError) {
      return c.json(errorBody(error, id), error.status, error.headers);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = codeForStatus(error.status);
      return c.json(errorBody({ code, message: error.message || "Bad request." }, id), error.status);
    }
    log("error", "unhandled error", {
      requestId: id,
      method: c.req.method,
      path: c.req.path,
      ...describeError(error),
    });
    return c.json(
      errorBody({ code: "INTERNAL_ERROR", message: "Something went wrong on our side." }, id),
      500,
    );
  });

  return app;
}
