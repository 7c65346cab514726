ALTER TABLE "projects" ADD COLUMN "plan" text DEFAULT 'free' NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "deployments_month_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "deployments_this_month" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "endpoint_path_changes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "endpoint_host_migrations" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_plan_check" CHECK ("projects"."plan" in ('free', 'pro', 'enterprise'));