-- Issue #13 point 4: documents issued on a completed service request, as signed PDFs with a public check code.
CREATE TABLE "issued_documents" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"nik" text NOT NULL,
	"holder_name" text NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"number" text NOT NULL,
	"check_code" text NOT NULL,
	"office_code" text NOT NULL,
	"issued_by" text NOT NULL,
	"service_request_id" text,
	"issued_at" timestamp with time zone NOT NULL,
	"fields" jsonb NOT NULL,
	"pdf" bytea NOT NULL,
	"sha256" text NOT NULL,
	"kid" text NOT NULL,
	"signature" text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "issued_documents_check_code_idx" ON "issued_documents" USING btree ("check_code");
--> statement-breakpoint
CREATE INDEX "issued_documents_sha256_idx" ON "issued_documents" USING btree ("sha256");
--> statement-breakpoint
CREATE INDEX "issued_documents_account_idx" ON "issued_documents" USING btree ("account_id","issued_at");
--> statement-breakpoint
CREATE INDEX "issued_documents_request_idx" ON "issued_documents" USING btree ("service_request_id");
--> statement-breakpoint
CREATE TABLE "issued_document_counters" (
	"office_code" text NOT NULL,
	"prefix" text NOT NULL,
	"day" text NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "issued_document_counters_pk" PRIMARY KEY("office_code","prefix","day")
);
