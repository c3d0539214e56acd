/**
 * `npm run bench -- --national [--national-scale 1]`: a year of national-sized history generated in SQL
 * (generate_series), written before the second run of the budgeted slices. At scale 1: 3 M accounts and registry
 * residents (copies of a seeded row with new NIKs spread over every district) and their registrations, spread over the
 * year, 30 M old KTP tokens (issued over the past year, half used) and
 * 30 M access-log rows (a verified row for every used token, an expired row for the others), spread over the year so
 * every monthly partition is filled; then the maintenance job's statistics roll-up runs over it.
 * Only ever run it yourself at a tiny scale on a shared machine (e.g. --national-scale 0.001).
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/db/types.js';
import { ensureAccessLogPartitions } from '../../src/domain/maintenance/partitions.js';
import { rollUpAccessStats } from '../../src/domain/operators/rollups.js';
import { REGENCIES } from '../../src/registry/regions.js';

export interface NationalFill {
  scale: number;
  accounts: number;
  tokens: number;
  accessLog: number;
  ms: number;
  bytes: Record<string, number>;
  bytesPerRow: Record<string, number | null>;
}

const YEAR_MS = 365 * 86_400_000;

/**
 * The fill's keys have the app's shapes, derived from the row number in SQL: an account id as newId('acc') makes it
 * ('acc_' + 12 bytes base64url) and a token id as the issuance does (12 bytes hex). So they interleave with the ids
 * the bench's own holders and tokens get, as a year of real ones would. They once were 'nat-' || i and 'nat' || md5,
 * every one sorting after the bench's ids: the planner then saw the bench holders' sessions point at the first 0.07 %
 * of accounts_pkey and chose a merge join along that index for the session lookup (≈ 1,000 buffer hits a call,
 * 0.09 → 0.83 ms), a plan real, uniformly spread ids never make cheap.
 */
export const nationalAccountId = (i: string): string =>
  `('acc_' || translate(encode(substr(decode(md5('nat-account-' || (${i})::text), 'hex'), 1, 12), 'base64'), '+/', '-_'))`;
const nationalTokenId = (i: string): string => `left(md5('nat-token-' || (${i})::text), 24)`;

/**
 * One fill statement without the statement timeout: each runs in its own transaction with SET LOCAL (the pool has
 * several connections, so a session-level SET would reach only one of them).
 */
async function unbounded(db: Db, query: SQL): Promise<unknown> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local statement_timeout = 0`);
    return tx.execute(query);
  });
}
const BATCH = 1_000_000;

/** Rows of `table` copied from one existing row, `n` times, with the columns in `overrides` (SQL over i) replaced. */
async function copyRows(db: Db, table: string, n: number, overrides: string) {
  for (let from = 0; from < n; from += BATCH) {
    const to = Math.min(n, from + BATCH) - 1;
    await unbounded(
      db,
      // In FROM (lateral), not `(f(...)).*` in the select list: that form calls the function once per column.
      sql.raw(`insert into ${table} select p.*
               from (select * from ${table} limit 1) r, generate_series(${from}, ${to}) as i,
                    lateral jsonb_populate_record(null::${table}, to_jsonb(r) || ${overrides}) as p`),
    );
  }
}

export async function fillNational(db: Db, scale: number, now: Date, options: { tokenScale?: number } = {}): Promise<NationalFill> {
  const started = performance.now();
  const accounts = Math.max(10, Math.round(3_000_000 * scale));
  const tokens = Math.max(10, Math.round(30_000_000 * (options.tokenScale ?? scale)));
  // Partitions for the past year, as the maintenance job would have made them month by month.
  for (let m = 12; m >= 0; m--) await ensureAccessLogPartitions(db, new Date(now.getTime() - m * (YEAR_MS / 12)), 0);
  // NIKs spread over every real district (Kepmendagri codes), so the dashboard's drill-down has national shape:
  // district code (6 digits) || a serial (10 digits), unique per i. Not valid birth dates; nothing here checks them.
  // The codes sit in a small table (an inline array of 7,000 literals would be evaluated for every row).
  const districts = REGENCIES.flatMap((r) => r.districts.map((d) => d.code));
  await unbounded(db, sql`create table if not exists bench_national_districts (k int primary key, code text not null)`);
  await unbounded(db, sql`truncate bench_national_districts`);
  await unbounded(
      db,
    sql.raw(`insert into bench_national_districts select k - 1, code from unnest(array[${districts.map((c) => `'${c}'`).join(',')}]::text[]) with ordinality as t(code, k)`),
  );
  const nik = `(select code from bench_national_districts where k = i % ${districts.length}) || lpad((i / ${districts.length})::text, 10, '0')`;
  await copyRows(db, 'registry_residents', accounts, `jsonb_build_object('nik', ${nik}, 'district_code', substr(${nik}, 1, 6), 'regency_code', substr(${nik}, 1, 4), 'province_code', substr(${nik}, 1, 2))`);
  const start = new Date(now.getTime() - YEAR_MS).toISOString();
  // Account i registered at start + i/accounts of the year and was activated a day later (≈ 250 k a month at scale
  // 1, the order of the 405 k registrations of November 2022), so a month's statistics count a month's share.
  const registeredAt = `('${start}'::timestamptz + (i::float8 / ${accounts}) * interval '364 days')`;
  await copyRows(
    db,
    'accounts',
    accounts,
    `jsonb_build_object('id', ${nationalAccountId('i')}, 'nik', ${nik}, 'email', 'nat-' || i || '@bench.test', 'status', 'active',
       'created_at', ${registeredAt}, 'activated_at', ${registeredAt} + interval '1 day', 'updated_at', ${registeredAt} + interval '1 day')`,
  );
  for (let from = 0; from < accounts; from += BATCH) {
    const to = Math.min(accounts, from + BATCH) - 1;
    await unbounded(
      db,
      sql.raw(`insert into registrations (id, nik, name, birth_date, email, phone, device_public_key, kind, status, decided_by, decided_at,
                 channel, account_id, created_at, expires_at)
               select 'nat-reg-' || i, ${nik}, 'PENDUDUK ' || i, '1990-01-01', 'nat-' || i || '@bench.test', '0812' || lpad(i::text, 8, '0'),
                      'nat-device-' || i, 'new', 'approved', 'nat-operator', ${registeredAt} + interval '1 hour', 'counter', ${nationalAccountId('i')},
                      ${registeredAt}, ${registeredAt} + interval '7 days'
               from generate_series(${from}, ${to}) as i`),
    );
  }
  for (let from = 0; from < tokens; from += BATCH) {
    const to = Math.min(tokens, from + BATCH) - 1;
    // Token i issued at start + i/tokens of the year, expired 90 s later; even ones used 10 s after issue.
    const at = `('${start}'::timestamptz + (i::float8 / ${tokens}) * interval '365 days')`;
    await unbounded(
      db,
      sql.raw(`insert into ktp_tokens (id, account_id, kid, elements, document, issued_at, expires_at, used_at, used_by)
               select ${nationalTokenId('i')}, ${nationalAccountId(`i % ${accounts}`)}, 'bench', '{nik,nama}', 'ktp', ${at}, ${at} + interval '90 seconds',
                      case when i % 2 = 0 then ${at} + interval '10 seconds' end, case when i % 2 = 0 then 'nat-counter' end
               from generate_series(${from}, ${to}) as i`),
    );
    await unbounded(
      db,
      // The verified rows carry the holder's district as the redemption statement writes it (drizzle/0022): the
      // district of account i % accounts, whose NIK begins with district (i % accounts) % districts.
      sql.raw(`insert into access_log (at, token_id, account_id, verifier_id, outcome, elements, counter, holder_district)
               select ${at} + case when i % 2 = 0 then interval '10 seconds' else interval '2 minutes' end, ${nationalTokenId('i')},
                      ${nationalAccountId(`i % ${accounts}`)}, 'nat-counter', case when i % 2 = 0 then 'verified' else 'expired' end, '{nik,nama}', 'Loket 1',
                      case when i % 2 = 0 then (select code from bench_national_districts where k = (i % ${accounts}) % ${districts.length}) end
               from generate_series(${from}, ${to}) as i`),
    );
  }
  await unbounded(db, sql`drop table bench_national_districts`);
  await rollUpAccessStats(db, now);
  await unbounded(db, sql`analyze`);
  const sizes = await queryRows<{ name: string; bytes: number | string }>(
    db,
    sql`select t.name, coalesce((select sum(pg_total_relation_size(c.oid)) from pg_class c
                 where c.oid = t.name::regclass or c.oid in (select inhrelid from pg_inherits where inhparent = t.name::regclass)), 0) as bytes
        from unnest(array['ktp_tokens', 'access_log', 'accounts', 'registrations', 'registry_residents', 'access_stats_hourly']) as t(name)`,
  );
  return {
    scale,
    accounts,
    tokens,
    accessLog: tokens,
    ms: Math.round(performance.now() - started),
    bytes: Object.fromEntries(sizes.map((s) => [s.name, Number(s.bytes)])),
    // With their indexes (pg_total_relation_size), over the rows in the table and its partitions (reltuples, as of
    // the ANALYZE above: a count(*) of 30 M rows would take minutes), the bench's own rows included.
    bytesPerRow: Object.fromEntries(
      await Promise.all(
        ['ktp_tokens', 'access_log', 'accounts', 'registrations'].map(async (name) => {
          const [row] = await queryRows<{ n: number | string | null }>(
            db,
            // A partitioned parent's reltuples is its partitions' total since PostgreSQL 14 (ANALYZE): not counted twice.
            sql`select sum(greatest(c.reltuples, 0))::bigint as n from pg_class c
                where (c.oid = ${name}::regclass and c.relkind <> 'p') or c.oid in (select inhrelid from pg_inherits where inhparent = ${name}::regclass)`,
          );
          const bytes = Number(sizes.find((s) => s.name === name)?.bytes ?? 0);
          return [name, Number(row?.n) > 0 ? Math.round(bytes / Number(row!.n)) : null] as const;
        }),
      ),
    ),
  };
}
