-- Issue #14, Pindai at a counter: the counter opens a request (its QR), the holder approves it with the PIN or denies
-- it, the counter collects the result once; the access-log row and the notice are written with the collect.
CREATE TABLE "verification_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"verifier_id" text NOT NULL,
	"elements" text[] NOT NULL,
	"document" text,
	"counter" text,
	"status" text NOT NULL,
	"account_id" text,
	"shared_elements" text[],
	"decided_at" timestamp with time zone,
	"collected_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "verification_requests_verifier_idx" ON "verification_requests" USING btree ("verifier_id");
--> statement-breakpoint
CREATE INDEX "verification_requests_account_idx" ON "verification_requests" USING btree ("account_id");
