-- Issue #16 point 13 (Lupa PIN): one-time e-mailed codes that let the enrolled device set a new PIN.
CREATE TABLE "pin_resets" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"device_id" text NOT NULL,
	"code_hash" text NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"voided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "pin_resets_account_idx" ON "pin_resets" USING btree ("account_id","created_at");
