-- Signed daily checkpoints of the audit chain's head (src/domain/audit/checkpoint.ts): one per day (WIB), append-only
-- like the audit log. The signed string (jws) is what counts; the other columns are a readable copy of its payload.
CREATE TABLE "audit_checkpoints" (
	"day" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"head_hash" text NOT NULL,
	"kid" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"jws" text NOT NULL,
	"mailed_to" text,
	"outbox_id" text
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_checkpoints is append-only (% refused)', TG_OP USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON "audit_checkpoints" FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON "audit_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only();
