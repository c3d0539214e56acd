-- Issue #13, Pelayanan: online population-document requests, their history, attachments (bytea, in PostgreSQL),
-- the documents issued for them, and per-office daily counters for the human-readable request numbers.
CREATE TABLE "service_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"account_id" text NOT NULL,
	"nik" text NOT NULL,
	"office_code" text NOT NULL,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"details" jsonb NOT NULL,
	"fulfilment" text NOT NULL,
	"delivery_address" jsonb,
	"delivery_received_by" text,
	"delivery_failed_reason" text,
	"delivery_at" timestamp with time zone,
	"reject_reason" text,
	"corrections" jsonb,
	"sla_due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"rating_score" integer,
	"rating_comment" text,
	"rated_at" timestamp with time zone,
	CONSTRAINT "service_requests_rating_score_check" CHECK ("rating_score" IS NULL OR "rating_score" BETWEEN 1 AND 4)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "service_requests_number_idx" ON "service_requests" USING btree ("number");
--> statement-breakpoint
CREATE INDEX "service_requests_account_idx" ON "service_requests" USING btree ("account_id","created_at");
--> statement-breakpoint
CREATE INDEX "service_requests_queue_idx" ON "service_requests" USING btree ("office_code","created_at","id");
--> statement-breakpoint
CREATE INDEX "service_requests_created_idx" ON "service_requests" USING btree ("created_at");
--> statement-breakpoint
CREATE TABLE "service_request_history" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"corrections" jsonb,
	"by" text NOT NULL,
	"actor_id" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "service_request_history_request_idx" ON "service_request_history" USING btree ("request_id","seq");
--> statement-breakpoint
CREATE TABLE "service_request_attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"kind" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"data" bytea NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "service_request_attachments_request_idx" ON "service_request_attachments" USING btree ("request_id");
--> statement-breakpoint
CREATE TABLE "service_request_documents" (
	"request_id" text NOT NULL,
	"document_id" text NOT NULL,
	"type" text NOT NULL,
	"number" text NOT NULL,
	"check_code" text NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "service_request_documents_key_idx" ON "service_request_documents" USING btree ("request_id","document_id");
--> statement-breakpoint
CREATE TABLE "service_request_counters" (
	"office_code" text NOT NULL,
	"day" text NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "service_request_counters_key_idx" ON "service_request_counters" USING btree ("office_code","day");
