-- #18 point 3: registrations (registrations.created_at) and activations (accounts.activated_at) rolled up per UTC
-- hour, holder's province and district like the access log (0019/0020), so GET /v1/admin/stats and the dashboard
-- read at most a few minutes of raw rows for them too (a month nationally is ≈ 400 k of each; counting them raw
-- took 300–400 ms). Same two grains: district = '' is the province's row, district = 6 digits its split below.
-- "kind" is 'registration' or 'activation'.
--
-- Rows before the existing mark (stats.rollupUntil) are counted once here from the raw rows, so the statistics for
-- hours already rolled up do not lose them (one read of each table, so without the statement timeout).
SET LOCAL statement_timeout = 0;
--> statement-breakpoint
CREATE TABLE "account_stats_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"province" text NOT NULL,
	"district" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "account_stats_hourly_pkey" PRIMARY KEY("hour","province","district","kind")
);
--> statement-breakpoint
CREATE INDEX "account_stats_hourly_province_idx" ON "account_stats_hourly" USING btree ("hour","province","kind") INCLUDE ("count") WHERE "district" = '';
--> statement-breakpoint
CREATE INDEX "account_stats_hourly_district_idx" ON "account_stats_hourly" USING btree ("province","hour","district") WHERE "district" <> '';
--> statement-breakpoint
INSERT INTO "account_stats_hourly" ("hour", "province", "district", "kind", "count")
SELECT g."hour", g."province", coalesce(g."district", ''), g."kind", g."n" FROM (
  SELECT r."hour", r."province", r."district", r."kind", count(*) AS "n", grouping(r."district") AS "whole_province"
  FROM (
    SELECT date_trunc('hour', "created_at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "hour", substr("nik", 1, 2) AS "province",
           substr("nik", 1, 6) AS "district", 'registration' AS "kind"
    FROM "registrations"
    WHERE "created_at" < (SELECT coalesce((SELECT ("value"->>'at')::timestamptz FROM "app_meta" WHERE "key" = 'stats.rollupUntil'), '-infinity'::timestamptz))
    UNION ALL
    SELECT date_trunc('hour', "activated_at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', substr("nik", 1, 2), substr("nik", 1, 6), 'activation'
    FROM "accounts"
    WHERE "activated_at" < (SELECT coalesce((SELECT ("value"->>'at')::timestamptz FROM "app_meta" WHERE "key" = 'stats.rollupUntil'), '-infinity'::timestamptz))
  ) r
  GROUP BY GROUPING SETS ((r."hour", r."province", r."kind"), (r."hour", r."province", r."district", r."kind"))
) g
WHERE g."whole_province" = 1 OR g."district" <> '';
