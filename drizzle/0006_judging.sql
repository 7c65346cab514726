CREATE TABLE "baseline_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"requests_per_sec" double precision NOT NULL,
	"latency_p95" double precision NOT NULL,
	"error_rate" double precision NOT NULL,
	"cpu_usage" double precision NOT NULL,
	"memory_usage" double precision NOT NULL,
	"collected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_feedback" (
	"deployment_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"correct" boolean NOT NULL,
	"note" text,
	"verdict" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "projects" ALTER COLUMN "judge" SET DEFAULT 'robust';--> statement-breakpoint
ALTER TABLE "verdicts" ADD COLUMN "settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "verdicts" ADD COLUMN "early" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "verdicts" ADD COLUMN "shadow" jsonb;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "judge_settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "baseline_interval_minutes" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "baseline_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "baseline_samples" ADD CONSTRAINT "baseline_samples_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_feedback" ADD CONSTRAINT "deployment_feedback_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_feedback" ADD CONSTRAINT "deployment_feedback_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "baseline_samples_project_collected_idx" ON "baseline_samples" USING btree ("project_id","collected_at");--> statement-breakpoint
CREATE INDEX "baseline_samples_collected_idx" ON "baseline_samples" USING btree ("collected_at");--> statement-breakpoint
CREATE INDEX "projects_baseline_due_idx" ON "projects" USING btree ("baseline_due_at") WHERE "projects"."baseline_interval_minutes" > 0 and "projects"."endpoint_state" = 'active';--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_baseline_interval_check" CHECK ("projects"."baseline_interval_minutes" in (0, 5, 10, 30));