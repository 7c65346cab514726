CREATE TABLE "collection_errors" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"deployment_id" uuid NOT NULL,
	"phase" text NOT NULL,
	"sequence" integer NOT NULL,
	"code" text NOT NULL,
	"message" text NOT NULL,
	"attempt" integer NOT NULL,
	"final" boolean NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"env" text NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"pipeline_result" text,
	"branch" text,
	"commit_sha" text,
	"idempotency_key" text,
	"idempotency_fingerprint" text,
	"metrics_endpoint" text NOT NULL,
	"observation_window_minutes" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL,
	"analyzed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "hints" (
	"deployment_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"code" text NOT NULL,
	"severity" text NOT NULL,
	"confidence" double precision NOT NULL,
	"title" jsonb NOT NULL,
	"diagnosis" jsonb NOT NULL,
	"suggested_actions" jsonb NOT NULL,
	"observed_value" double precision,
	"threshold" double precision,
	"evidence" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hints_deployment_id_metric_pk" PRIMARY KEY("deployment_id","metric")
);
--> statement-breakpoint
CREATE TABLE "metric_samples" (
	"deployment_id" uuid NOT NULL,
	"phase" text NOT NULL,
	"sequence" integer NOT NULL,
	"requests_per_sec" double precision NOT NULL,
	"latency_p95" double precision NOT NULL,
	"error_rate" double precision NOT NULL,
	"cpu_usage" double precision NOT NULL,
	"memory_usage" double precision NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	CONSTRAINT "metric_samples_deployment_id_phase_sequence_pk" PRIMARY KEY("deployment_id","phase","sequence")
);
--> statement-breakpoint
CREATE TABLE "verdicts" (
	"deployment_id" uuid PRIMARY KEY NOT NULL,
	"judge" text NOT NULL,
	"judge_version" integer NOT NULL,
	"verdict" text NOT NULL,
	"confidence" double precision NOT NULL,
	"summary" jsonb NOT NULL,
	"details" jsonb NOT NULL,
	"data_quality" jsonb NOT NULL,
	"audit" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "verdicts_confidence_check" CHECK ("verdicts"."confidence" between 0 and 1)
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"envs" text[] DEFAULT '{prod}'::text[] NOT NULL,
	"observation_window_minutes" integer DEFAULT 15 NOT NULL,
	"judge" text DEFAULT 'classic' NOT NULL,
	"api_key_hash" text NOT NULL,
	"api_key_prefix" text NOT NULL,
	"metrics_endpoint_candidate" text,
	"metrics_endpoint_active" text,
	"endpoint_state" text DEFAULT 'none' NOT NULL,
	"endpoint_last_tested_at" timestamp with time zone,
	"endpoint_last_verified_at" timestamp with time zone,
	"endpoint_last_error_code" text,
	"endpoint_last_error_message" text,
	"hmac_enabled" boolean DEFAULT false NOT NULL,
	"hmac_secret_encrypted" text,
	"hmac_previous_secret_encrypted" text,
	"hmac_previous_valid_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_window_check" CHECK ("projects"."observation_window_minutes" between 1 and 60)
);
--> statement-breakpoint
ALTER TABLE "collection_errors" ADD CONSTRAINT "collection_errors_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hints" ADD CONSTRAINT "hints_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_samples" ADD CONSTRAINT "metric_samples_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verdicts" ADD CONSTRAINT "verdicts_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "collection_errors_deployment_idx" ON "collection_errors" USING btree ("deployment_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_project_number_unique" ON "deployments" USING btree ("project_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_one_running_unique" ON "deployments" USING btree ("project_id","env") WHERE "deployments"."state" = 'running';--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_idempotency_unique" ON "deployments" USING btree ("project_id","idempotency_key") WHERE "deployments"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "deployments_project_started_idx" ON "deployments" USING btree ("project_id","started_at");--> statement-breakpoint
CREATE INDEX "deployments_running_expiry_idx" ON "deployments" USING btree ("expires_at") WHERE "deployments"."state" = 'running';--> statement-breakpoint
CREATE INDEX "hints_severity_created_idx" ON "hints" USING btree ("severity","created_at");--> statement-breakpoint
CREATE INDEX "projects_owner_idx" ON "projects" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_api_key_hash_unique" ON "projects" USING btree ("api_key_hash");