-- #18 point 3 at a national peak: the holder's district (the first 6 NIK digits) on the access-log row, written by
-- the statements that log a verification (they join the account already), so the statistics' raw tail and the
-- roll-up count by region without joining accounts (a hash join over every account: ≈ 1.4 GB read per call with
-- 3 M holders). Nullable and without a default: on a partitioned table this is a catalog change, no rewrite. Rows
-- written before it (and the rarer outcomes that do not write it) fall back to the account's NIK.
ALTER TABLE "access_log" ADD COLUMN "holder_district" text;
