CREATE TABLE "project_slack" (
	"project_id" uuid PRIMARY KEY NOT NULL,
	"webhook_url_encrypted" text,
	"webhook_url_preview" text,
	"channel" text,
	"bot_token_encrypted" text,
	"bot_channel_id" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"only_problems" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dedupe_key" text NOT NULL,
	"deployment_id" uuid NOT NULL,
	"path" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"stage" text,
	"channel" text,
	"ts" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"posting_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slack_messages_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
ALTER TABLE "project_slack" ADD CONSTRAINT "project_slack_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "slack_messages_deployment_idx" ON "slack_messages" USING btree ("deployment_id");