-- Issue #17: the monitoring dashboard (/operator/stats) groups by the NIK's region prefix within a period. Each
-- index leads with the time column and carries the NIK (or the account), so a period is one range scan and the
-- grouping reads only the index (an index-only scan on a large table).
CREATE INDEX IF NOT EXISTS "registrations_created_nik_idx" ON "registrations" USING btree ("created_at","nik");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "accounts_activated_nik_idx" ON "accounts" USING btree ("activated_at","nik");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "access_log_verified_at_idx" ON "access_log" USING btree ("at","account_id") WHERE outcome = 'verified';
