-- #18 point 3: the hourly statistics rollups carry the holder's district (first six NIK digits), so the dashboard's
-- regency and district drill-down reads rollups before the mark like the province view does.
--
-- Two grains in one table, told apart by "district":
--   district = ''        the province's count of the hour (as in 0019; province '' = the token named no account).
--                        GET /v1/admin/stats and the national view read only these: ≤ 39 rows per hour and outcome.
--   district = 6 digits  the same hour split by the holder's district (accounts only): what the drill-down reads.
-- Reading the province rows from the district ones would be ≈ 7,300 rows per hour nationally instead of 39.
--
-- The rows made before this migration are province rows and stay as they are. Their district rows are counted once
-- from the raw rows of the rolled-up hours still in the access log (like the first roll-up, one read of it, so
-- without the statement timeout; SET LOCAL holds until the migration's transaction commits). Hours past the access
-- log's retention have no raw rows left: they keep their province rows, and the drill-down shows nothing for them,
-- as a count of raw rows would.
SET LOCAL statement_timeout = 0;
--> statement-breakpoint
ALTER TABLE "access_stats_hourly" ADD COLUMN "district" text DEFAULT '' NOT NULL;
--> statement-breakpoint
ALTER TABLE "access_stats_hourly" DROP CONSTRAINT "access_stats_hourly_pkey";
--> statement-breakpoint
ALTER TABLE "access_stats_hourly" ADD CONSTRAINT "access_stats_hourly_pkey" PRIMARY KEY ("hour", "province", "district", "outcome");
--> statement-breakpoint
-- The province rows of a period, without the district rows between them (the national view and GET /v1/admin/stats).
CREATE INDEX "access_stats_hourly_province_idx" ON "access_stats_hourly" USING btree ("hour", "province", "outcome") INCLUDE ("count") WHERE "district" = '';
--> statement-breakpoint
-- One province's district rows of a period (the drill-down: province = $1, an hour range, a district prefix).
CREATE INDEX "access_stats_hourly_district_idx" ON "access_stats_hourly" USING btree ("province", "hour", "district") WHERE "district" <> '';
--> statement-breakpoint
INSERT INTO "access_stats_hourly" ("hour", "province", "district", "outcome", "count")
SELECT date_trunc('hour', l."at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', substr(acc."nik", 1, 2), substr(acc."nik", 1, 6), l."outcome", count(*)
FROM "access_log" l JOIN "accounts" acc ON acc."id" = l."account_id"
WHERE l."at" < (SELECT coalesce((SELECT ("value"->>'at')::timestamptz FROM "app_meta" WHERE "key" = 'stats.rollupUntil'), '-infinity'::timestamptz))
GROUP BY 1, 2, 3, 4;
