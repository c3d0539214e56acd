CREATE TABLE "operator_login_locks" (
	"username_hash" text NOT NULL,
	"address" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "operator_login_locks_key_idx" ON "operator_login_locks" USING btree ("username_hash","address");--> statement-breakpoint
CREATE TABLE "registration_lookups" (
	"registration_id" text NOT NULL,
	"operator_id" text NOT NULL,
	"looked_up_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "registration_lookups_key_idx" ON "registration_lookups" USING btree ("registration_id","operator_id");
