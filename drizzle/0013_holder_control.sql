-- Issue #12, the holder in control: per-scan notices (outbox drafts rendered by the worker), lock links, Kunci
-- (accounts.status 'self_locked', no constraint change: status is text), blocked data users, notice preference.
ALTER TABLE "accounts" ADD COLUMN "scan_notifications" boolean DEFAULT true NOT NULL;
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "access_seq" bigint;
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "erase_after_send" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
CREATE TABLE "lock_links" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "lock_links_token_hash_idx" ON "lock_links" USING btree ("token_hash");
--> statement-breakpoint
CREATE INDEX "lock_links_account_idx" ON "lock_links" USING btree ("account_id");
--> statement-breakpoint
CREATE TABLE "holder_blocks" (
	"account_id" text NOT NULL,
	"verifier_id" text NOT NULL,
	"blocked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "holder_blocks_key_idx" ON "holder_blocks" USING btree ("account_id","verifier_id");
--> statement-breakpoint
CREATE INDEX "access_log_account_verifier_idx" ON "access_log" USING btree ("account_id","verifier_id");
