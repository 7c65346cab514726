ALTER TABLE "projects" ADD COLUMN "last_deployment_number" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "projects" SET "last_deployment_number" = coalesce((SELECT max("number") FROM "deployments" WHERE "deployments"."project_id" = "projects"."id"), 0);
