-- #18 points 1 and 3: the purge's index on ktp_tokens, access_log partitioned by month, hourly statistics rollups.
--
-- ktp_tokens.expires_at: the maintenance job deletes tokens past expiry + grace (src/domain/maintenance/retention.ts).
-- expires_at grows with time, so new entries land at the right edge of this index (one hot page, not a random one
-- as with the text primary key): issuance pays one cheap index insert, the purge reads only the due range.
CREATE INDEX IF NOT EXISTS "ktp_tokens_expires_at_idx" ON "ktp_tokens" USING btree ("expires_at");
--> statement-breakpoint
-- access_log becomes a table partitioned by month of "at" (UTC months). The rows are copied over, seq numbers and
-- the sequence kept; the primary key includes the partition key as PostgreSQL requires. A DEFAULT partition takes
-- rows no monthly partition covers yet (the maintenance job moves them when it creates that month).
ALTER SEQUENCE "access_log_seq_seq" OWNED BY NONE;
--> statement-breakpoint
ALTER TABLE "access_log" RENAME TO "access_log_unpartitioned";
--> statement-breakpoint
ALTER INDEX "access_log_pkey" RENAME TO "access_log_unpartitioned_pkey";
--> statement-breakpoint
ALTER INDEX "access_log_account_idx" RENAME TO "access_log_unpartitioned_account_idx";
--> statement-breakpoint
ALTER INDEX IF EXISTS "access_log_account_verifier_idx" RENAME TO "access_log_unpartitioned_account_verifier_idx";
--> statement-breakpoint
ALTER INDEX IF EXISTS "access_log_verified_at_idx" RENAME TO "access_log_unpartitioned_verified_at_idx";
--> statement-breakpoint
CREATE TABLE "access_log" (
	"seq" bigint DEFAULT nextval('access_log_seq_seq') NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"token_id" text,
	"account_id" text,
	"verifier_id" text NOT NULL,
	"outcome" text NOT NULL,
	"elements" text[] NOT NULL,
	"counter" text,
	"document" text,
	"data_kind" text,
	"data_action" text,
	CONSTRAINT "access_log_pkey" PRIMARY KEY ("seq", "at")
) PARTITION BY RANGE ("at");
--> statement-breakpoint
CREATE TABLE "access_log_default" PARTITION OF "access_log" DEFAULT;
--> statement-breakpoint
-- One partition per month from the oldest row to three months past the later of now and the newest row.
DO $$
DECLARE
  first_month timestamptz;
  last_month timestamptz;
  m timestamptz;
BEGIN
  SELECT date_trunc('month', coalesce(min("at"), now()) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
         date_trunc('month', greatest(now(), coalesce(max("at"), now())) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    INTO first_month, last_month FROM "access_log_unpartitioned";
  m := first_month;
  WHILE m <= last_month + interval '3 months' LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "access_log" FOR VALUES FROM (%L) TO (%L)',
      'access_log_p' || to_char(m AT TIME ZONE 'UTC', 'YYYYMM'),
      to_char(m AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' 00:00:00+00',
      to_char((m AT TIME ZONE 'UTC') + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
    m := ((m AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  END LOOP;
END $$;
--> statement-breakpoint
INSERT INTO "access_log" ("seq", "at", "token_id", "account_id", "verifier_id", "outcome", "elements", "counter", "document", "data_kind", "data_action")
SELECT "seq", "at", "token_id", "account_id", "verifier_id", "outcome", "elements", "counter", "document", "data_kind", "data_action"
FROM "access_log_unpartitioned";
--> statement-breakpoint
DROP TABLE "access_log_unpartitioned";
--> statement-breakpoint
ALTER SEQUENCE "access_log_seq_seq" OWNED BY "access_log"."seq";
--> statement-breakpoint
CREATE INDEX "access_log_account_idx" ON "access_log" USING btree ("account_id","seq");
--> statement-breakpoint
CREATE INDEX "access_log_account_verifier_idx" ON "access_log" USING btree ("account_id","verifier_id");
--> statement-breakpoint
CREATE INDEX "access_log_verified_at_idx" ON "access_log" USING btree ("at","account_id") WHERE outcome = 'verified';
--> statement-breakpoint
-- Statistics rollups: access-log rows counted per UTC hour, province (first two NIK digits of the holder; '' when
-- the token named no account) and outcome. Every Indonesian zone is a whole number of hours from UTC (WIB +7,
-- WITA +8, WIT +9), so a local day in any of them is a sum of 24 of these hours. Filled by the maintenance job for
-- whole hours up to the watermark in app_meta ('stats.rollupUntil'); the statistics read raw rows after it.
CREATE TABLE "access_stats_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"province" text NOT NULL,
	"outcome" text NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "access_stats_hourly_pkey" PRIMARY KEY ("hour", "province", "outcome")
);
