ALTER TABLE "jobs" ADD COLUMN "tenant_id" uuid;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "collection_timeout_streak" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "collection_backoff_until" timestamp with time zone;