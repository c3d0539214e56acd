/**
 * #18 points 1 and 3 (drizzle/0019): access_log is partitioned by month with a default partition, ktp_tokens has
 * the purge's expires_at index, every connection carries statement_timeout, and a statement cancelled by it is a
 * 503 problem with Retry-After. PGlite, or PostgreSQL with DATABASE_URL (the cancel needs PostgreSQL: the PGlite
 * WASM build has no timer signal).
 */
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/types.js';
import { toAppError } from '../../src/http/problem.js';
import { createTestContext, usingPostgres, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe('drizzle/0019: partitions and indexes', () => {
  it('access_log is range-partitioned with a default partition and monthly ones', async () => {
    const parts = await queryRows<{ name: string }>(
      ctx.deps.db,
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'access_log'::regclass order by 1`,
    );
    const names = parts.map((p) => p.name);
    expect(names).toContain('access_log_default');
    expect(names.filter((n) => /^access_log_p\d{6}$/.test(n)).length).toBeGreaterThanOrEqual(4);
    const [kind] = await queryRows<{ strategy: string }>(ctx.deps.db, sql`select partstrat as strategy from pg_partitioned_table where partrelid = 'access_log'::regclass`);
    expect(kind?.strategy).toBe('r');
  });

  it('a row lands in its month and the primary key carries the partition key', async () => {
    await ctx.deps.db.execute(
      sql`insert into access_log (at, verifier_id, outcome, elements) values ('2020-01-15T00:00:00Z', 'v', 'invalid', '{}')`,
    );
    const [row] = await queryRows<{ part: string }>(
      ctx.deps.db,
      sql`select tableoid::regclass::text as part from access_log where at = '2020-01-15T00:00:00Z'`,
    );
    expect(row?.part).toBe('access_log_default');
    const [pk] = await queryRows<{ def: string }>(ctx.deps.db, sql`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'access_log_pkey'`);
    expect(pk?.def).toBe('PRIMARY KEY (seq, at)');
  });

  it('ktp_tokens has the purge index on expires_at', async () => {
    const [idx] = await queryRows<{ n: number }>(ctx.deps.db, sql`select count(*)::int as n from pg_indexes where indexname = 'ktp_tokens_expires_at_idx'`);
    expect(idx?.n).toBe(1);
  });
});

describe('statement timeout', () => {
  it('every connection carries the configured statement_timeout', async () => {
    const [row] = await queryRows<{ statement_timeout: string }>(ctx.deps.db, sql`show statement_timeout`);
    expect(row?.statement_timeout).toBe('5s');
  });

  it.skipIf(!usingPostgres())('every PostgreSQL connection has JIT compilation off', async () => {
    const [row] = await queryRows<{ jit: string }>(ctx.deps.db, sql`show jit`);
    expect(row?.jit).toBe('off');
  });

  it('query_canceled (57014) maps to a 503 service_unavailable with Retry-After', () => {
    const error = toAppError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }));
    expect(error.status).toBe(503);
    expect(error.code).toBe('service_unavailable');
    expect(error.retryAfter).toBeGreaterThan(0);
  });

  it.skipIf(!usingPostgres())('a statement waiting past the timeout is answered 503, not a hang or a 500', async () => {
    const { createPostgresDatabase } = await import('../../src/db/postgres.js');
    const { createApp } = await import('../../src/app.js');
    const url = (ctx.deps.database as unknown as { client: postgres.Sql }).client.options;
    // A second database handle on the same test database with a 200 ms timeout; a third connection holds a lock
    // the stats statement needs, so the statement cannot finish until the timeout cancels it.
    const dbUrl = `postgres://${url.user}@${url.host[0]}:${url.port[0]}/${url.database}`;
    const short = createPostgresDatabase(dbUrl, { max: 4, statementTimeoutMs: 200 });
    const locker = postgres(dbUrl, { max: 1, onnotice: () => {} });
    try {
      // The app's own error handling: a route added to the real app (its onError and problem rendering) that reads
      // the access log while a third connection holds a lock on it, so the read cannot finish before the timeout.
      const app = createApp({ ...ctx.deps, database: short, db: short.db }) as unknown as Hono;
      app.get('/__slow-read', async (c) => {
        await short.db.execute(sql`select count(*) from access_log`);
        return c.json({ ok: true });
      });
      const held = locker.begin(async (tx) => {
        await tx`lock table access_log in access exclusive mode`;
        await new Promise((resolve) => setTimeout(resolve, 1500));
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await app.request('/__slow-read');
      await held;
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(((await response.json()) as { code: string }).code).toBe('service_unavailable');
      const [row] = await queryRows<{ statement_timeout: string }>(short.db, sql`show statement_timeout`);
      expect(row?.statement_timeout).toBe('200ms');
      let caught: unknown;
      const held2 = locker.begin(async (tx) => {
        await tx`lock table access_log in access exclusive mode`;
        await new Promise((resolve) => setTimeout(resolve, 1500));
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      try {
        await short.db.execute(sql`select count(*) from access_log`);
      } catch (error) {
        caught = error;
      }
      await held2;
      expect(toAppError(caught).status).toBe(503);
    } finally {
      await locker.end();
      await short.close();
    }
  });
});

describe('statistics from rollups', () => {
  it('GET-stats numbers from rollups equal the raw count, by UTC day and by WIB/WITA/WIT local day', async () => {
    const { serviceStats, statsPeriod } = await import('../../src/domain/operators/stats.js');
    const { rollUpAccessStats, verificationsSource } = await import('../../src/domain/operators/rollups.js');
    const db = ctx.deps.db;
    const at = '2026-11-01T00:00:00Z';
    // Three holders in Jakarta (31, WIB), Bali (51, WITA) and Papua (91, WIT).
    for (const [id, nik] of [['acc-31', '3171010101900001'], ['acc-51', '5171010101900002'], ['acc-91', '9171010101900003']] as const) {
      await db.execute(sql`insert into accounts (id, nik, email, phone, status, pin_hash, activated_at, created_at, updated_at)
        values (${id}, ${nik}, ${`${id}@x.test`}, '0812', 'active', 'h', ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz)`);
    }
    // Scans every 37 minutes over 10 days from 2026-11-10, across local midnights, with a few other outcomes.
    await db.execute(sql`insert into access_log (at, account_id, verifier_id, outcome, elements)
      select '2026-11-10T00:00:00Z'::timestamptz + (i * interval '37 minutes'), (array['acc-31','acc-51','acc-91'])[1 + i % 3], 'v',
             case when i % 5 = 0 then 'already_used' else 'verified' end, '{}'
      from generate_series(0, 389) as i`);
    const raw = async (offsetHours: number, from: string, to: string) =>
      queryRows<{ day: string; code: string; n: number }>(
        db,
        sql`select to_char((l.at at time zone 'UTC') + make_interval(hours => ${offsetHours}), 'YYYY-MM-DD') as day, substr(acc.nik, 1, 2) as code, count(*)::int as n
            from access_log l join accounts acc on acc.id = l.account_id
            where l.outcome = 'verified' and l.at >= (${from}::timestamptz - make_interval(hours => ${offsetHours}))
              and l.at < (${to}::timestamptz - make_interval(hours => ${offsetHours}))
            group by 1, 2 order by 1, 2`,
      );
    const fromSource = async (offsetHours: number, from: string, to: string) =>
      queryRows<{ day: string; code: string; n: number }>(
        db,
        sql`with s as (${verificationsSource(
          sql`(${from}::timestamptz - make_interval(hours => ${offsetHours}))`,
          sql`(${to}::timestamptz - make_interval(hours => ${offsetHours}))`,
        )})
            select to_char((s.at at time zone 'UTC') + make_interval(hours => ${offsetHours}), 'YYYY-MM-DD') as day, substr(s.nik, 1, 2) as code, sum(s.n)::int as n
            from s group by 1, 2 order by 1, 2`,
      );
    const period = statsPeriod(new Date('2026-11-23T00:00:00Z'), '2026-11-09', '2026-11-20');
    const before = await serviceStats(db, period);
    expect(before.verifications.total).toBe(312);
    // The operators' national dashboard (WIB days, rows per province) and a WITA province view.
    const { dashboardScope, readDashboard } = await import('../../src/domain/operators/dashboard.js');
    const national = dashboardScope(new Date('2026-11-23T00:00:00Z'), { level: 'province', period: 'range', from: '2026-11-09', to: '2026-11-20' });
    const bali = dashboardScope(new Date('2026-11-23T00:00:00Z'), { level: 'regency', parent: '51', period: 'range', from: '2026-11-09', to: '2026-11-20' });
    const nationalBefore = await readDashboard(db, national);
    const baliBefore = await readDashboard(db, bali);
    expect(nationalBefore.total.verifications).toBe(312);

    // Roll up to the middle of the data: the answer is half rollups, half raw rows, and the same.
    // The mark moves by whole seconds, 20 s behind the clock (ROLLUP_LAG_MS).
    const half = await rollUpAccessStats(db, new Date('2026-11-15T10:07:00Z'));
    expect(half.until).toBe('2026-11-15T10:06:40.000Z');
    const [rolled] = await queryRows<{ n: number }>(db, sql`select coalesce(sum(count), 0)::int as n from access_stats_hourly where outcome = 'verified' and district = ''`);
    expect(rolled!.n).toBeGreaterThan(100);
    expect(rolled!.n).toBeLessThan(312);
    expect(await serviceStats(db, period)).toEqual(before);
    for (const offset of [7, 8, 9]) {
      const r = await raw(offset, '2026-11-10T00:00:00Z', '2026-11-20T00:00:00Z');
      expect(r.length).toBeGreaterThan(20);
      expect(await fromSource(offset, '2026-11-10T00:00:00Z', '2026-11-20T00:00:00Z')).toEqual(r);
    }

    // Inside one hour: scans every 37 minutes put one at 10:07 (i = 211) and one at 10:44; a roll-up at 10:40 adds
    // the first to the 10:00 row the last roll-up made, and the answer is still the raw count.
    const hourRow = async () =>
      (await queryRows<{ n: number }>(db, sql`select coalesce(sum(count), 0)::int as n from access_stats_hourly where hour = '2026-11-15T10:00:00Z' and district = ''`))[0]!.n;
    expect(await hourRow()).toBe(0);
    expect((await rollUpAccessStats(db, new Date('2026-11-15T10:40:00Z'))).until).toBe('2026-11-15T10:39:40.000Z');
    expect(await hourRow()).toBe(1);
    expect(await serviceStats(db, period)).toEqual(before);
    expect((await rollUpAccessStats(db, new Date('2026-11-15T11:02:00Z'))).until).toBe('2026-11-15T11:01:40.000Z');
    expect(await hourRow()).toBe(2);
    expect(await serviceStats(db, period)).toEqual(before);

    // Two roll-ups at once (two processes): the second finds the mark moved and stops; nothing is counted twice.
    await Promise.all([rollUpAccessStats(db, new Date('2026-11-25T00:00:00Z')), rollUpAccessStats(db, new Date('2026-11-25T00:00:00Z'))]);

    // All rolled up: still the same; a second roll-up adds nothing.
    await rollUpAccessStats(db, new Date('2026-11-25T00:00:00Z'));
    const again = await rollUpAccessStats(db, new Date('2026-11-25T00:00:00Z'));
    expect(again.hours).toBe(0);
    const [all] = await queryRows<{ n: number }>(db, sql`select sum(count)::int as n from access_stats_hourly where outcome = 'verified' and district = ''`);
    expect(all!.n).toBe(312);
    expect(await serviceStats(db, period)).toEqual(before);
    expect(await readDashboard(db, national)).toEqual(nationalBefore);
    expect(await readDashboard(db, bali)).toEqual(baliBefore);
    for (const offset of [7, 8, 9]) {
      expect(await fromSource(offset, '2026-11-10T00:00:00Z', '2026-11-20T00:00:00Z')).toEqual(await raw(offset, '2026-11-10T00:00:00Z', '2026-11-20T00:00:00Z'));
    }
  });
});

describe('registrations and activations from rollups (drizzle/0021)', () => {
  it('equal the raw count half and all rolled up, nationally and below a province, and stay when the raw rows go', async () => {
    const { serviceStats, statsPeriod } = await import('../../src/domain/operators/stats.js');
    const { rollUpAccessStats } = await import('../../src/domain/operators/rollups.js');
    const { dashboardScope, readDashboard } = await import('../../src/domain/operators/dashboard.js');
    const own = await createTestContext();
    try {
      const db = own.deps.db;
      const niks = ['7310010101900011', '7310040101900012', '5171010101900013'];
      // 120 registrations every 53 minutes and 60 activations every 97 minutes from 2026-12-01, across local midnights.
      await db.execute(sql`insert into registrations (id, nik, name, birth_date, email, phone, device_public_key, kind, status, created_at, expires_at)
        select 'st-reg-' || i, (array[${niks[0]}, ${niks[1]}, ${niks[2]}]::text[])[1 + i % 3], 'X', '1990-01-01', 'x@x.test', '0812', 'k', 'new', 'approved',
               '2026-12-01T00:00:00Z'::timestamptz + i * interval '53 minutes', '2026-12-30T00:00:00Z'::timestamptz
        from generate_series(0, 119) as i`);
      await db.execute(sql`insert into accounts (id, nik, email, phone, status, pin_hash, activated_at, created_at, updated_at)
        select 'st-acc-' || i, substr((array[${niks[0]}, ${niks[1]}, ${niks[2]}]::text[])[1 + i % 3], 1, 6) || lpad(i::text, 10, '0'), 'st-' || i || '@x.test', '0812', 'active', 'h',
               '2026-12-01T05:00:00Z'::timestamptz + i * interval '97 minutes', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z'
        from generate_series(0, 59) as i`);
      const now = new Date('2026-12-20T00:00:00Z');
      const period = statsPeriod(now, '2026-12-01', '2026-12-07');
      const scopes = [
        dashboardScope(now, { period: 'range', from: '2026-12-01', to: '2026-12-07' }),
        dashboardScope(now, { level: 'regency', parent: '73', period: 'range', from: '2026-12-01', to: '2026-12-07' }),
        dashboardScope(now, { level: 'district', parent: '7310', period: 'range', from: '2026-12-01', to: '2026-12-07' }),
      ];
      const read = async () => ({ stats: await serviceStats(db, period), dashboards: await Promise.all(scopes.map((s) => readDashboard(db, s))) });
      const before = await read();
      expect([before.stats.registrations.total, before.stats.activations.total]).toEqual([120, 60]);
      expect(before.dashboards[0]!.total).toMatchObject({ registrations: 120, activations: 60 });
      expect(before.dashboards[2]!.rows.find((r) => r.code === '731004')).toMatchObject({ registrations: 40, activations: 20 });

      // The mark inside the data, then past it: the same numbers, from rollups and raw rows together.
      expect((await rollUpAccessStats(db, new Date('2026-12-03T10:07:00Z'))).until).toBe('2026-12-03T10:06:40.000Z');
      const [half] = await queryRows<{ n: number }>(db, sql`select coalesce(sum(count), 0)::int as n from account_stats_hourly where kind = 'registration' and district = ''`);
      expect(half!.n).toBeGreaterThan(30);
      expect(half!.n).toBeLessThan(120);
      expect(await read()).toEqual(before);
      await rollUpAccessStats(db, now);
      const sums = await queryRows<{ kind: string; grain: string; n: number }>(
        db,
        sql`select kind, case when district = '' then 'province' else 'district' end as grain, sum(count)::int as n
            from account_stats_hourly group by 1, 2 order by 1, 2`,
      );
      expect(sums).toEqual([
        { kind: 'activation', grain: 'district', n: 60 },
        { kind: 'activation', grain: 'province', n: 60 },
        { kind: 'registration', grain: 'district', n: 120 },
        { kind: 'registration', grain: 'province', n: 120 },
      ]);
      expect(await read()).toEqual(before);

      // The raw rows gone (purged registrations, deleted accounts): the rolled-up hours still say what happened.
      await db.execute(sql`delete from registrations where id like 'st-reg-%'`);
      await db.execute(sql`delete from accounts where id like 'st-acc-%'`);
      expect(await read()).toEqual(before);
    } finally {
      await own.close();
    }
  });
});

describe('statistics from rollups below a province (drizzle/0020: the district in the rollups)', () => {
  it('a regency and a district drill-down over rolled-up hours equal the raw count, and are read from the rollups', async () => {
    const { rollUpAccessStats } = await import('../../src/domain/operators/rollups.js');
    const { dashboardScope, readDashboard } = await import('../../src/domain/operators/dashboard.js');
    const own = await createTestContext();
    try {
      const db = own.deps.db;
      const at = '2026-11-01T00:00:00Z';
      // Sulawesi Selatan (73, WITA): Pangkep districts 731001 and 731004, Parepare 737201; and Bali (51).
      const holders = [
        ['acc-a', '7310014501900001'],
        ['acc-b', '7310044501900005'],
        ['acc-c', '7372016003850003'],
        ['acc-d', '5171010101900002'],
      ] as const;
      for (const [id, nik] of holders) {
        await db.execute(sql`insert into accounts (id, nik, email, phone, status, pin_hash, activated_at, created_at, updated_at)
          values (${id}, ${nik}, ${`${id}@x.test`}, '0812', 'active', 'h', ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz)`);
      }
      // Scans every 23 minutes over 5 days from 2026-11-10T00:00Z, across WITA midnights (16.00Z), some not verified.
      await db.execute(sql`insert into access_log (at, account_id, verifier_id, outcome, elements)
        select '2026-11-10T00:00:00Z'::timestamptz + (i * interval '23 minutes'), (array['acc-a','acc-b','acc-c','acc-d'])[1 + i % 4], 'v',
               case when i % 7 = 0 then 'expired' else 'verified' end, '{}'
        from generate_series(0, 312) as i`);
      const now = new Date('2026-11-30T00:00:00Z');
      const range = { period: 'range' as const, from: '2026-11-10', to: '2026-11-14' };
      const regencies = dashboardScope(now, { level: 'regency', parent: '73', ...range });
      const districts = dashboardScope(now, { level: 'district', parent: '7310', ...range });
      const national = dashboardScope(now, { level: 'province', ...range });
      const read = async () => ({
        regencies: await readDashboard(db, regencies),
        districts: await readDashboard(db, districts),
        national: await readDashboard(db, national),
      });
      // The raw count, by hand: verified scans of the holders of a NIK prefix within the WITA days.
      const rawCount = async (prefix: string) => {
        const [row] = await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from access_log l join accounts acc on acc.id = l.account_id
              where l.outcome = 'verified' and acc.nik like ${`${prefix}%`}
                and l.at >= '2026-11-09T16:00:00Z' and l.at < '2026-11-14T16:00:00Z'`,
        );
        return row!.n;
      };
      const raw = { '7310': await rawCount('7310'), '7372': await rawCount('7372'), '731001': await rawCount('731001'), '731004': await rawCount('731004') };
      expect(raw['731001']).toBeGreaterThan(30);
      expect(raw['731004']).toBeGreaterThan(30);
      expect(raw['7310']).toBe(raw['731001'] + raw['731004']);

      // Nothing rolled up yet: raw rows only.
      const before = await read();
      expect(before.regencies.rows.find((r) => r.code === '7310')!.verifications).toBe(raw['7310']);
      expect(before.regencies.rows.find((r) => r.code === '7372')!.verifications).toBe(raw['7372']);
      expect(before.districts.rows.find((r) => r.code === '731001')!.verifications).toBe(raw['731001']);
      expect(before.districts.rows.find((r) => r.code === '731004')!.verifications).toBe(raw['731004']);
      expect(before.districts.total.verifications).toBe(raw['7310']);

      // Half rolled up (the mark inside a WITA day), then all: the same numbers, per region and per local day.
      expect((await rollUpAccessStats(db, new Date('2026-11-12T09:30:00Z'))).until).toBe('2026-11-12T09:29:40.000Z');
      expect(await read()).toEqual(before);
      await rollUpAccessStats(db, new Date('2026-11-25T00:00:00Z'));
      expect(await read()).toEqual(before);
      // Two grains: the province rows (district '') and the district rows, each summing to the same verifications.
      const rolledDistricts = await queryRows<{ district: string; n: number }>(
        db,
        sql`select district, sum(count)::int as n from access_stats_hourly
            where outcome = 'verified' and province = '73' and hour >= '2026-11-09T16:00:00Z' and hour < '2026-11-14T16:00:00Z' group by 1 order by 1`,
      );
      expect(rolledDistricts).toEqual([
        { district: '', n: raw['7310'] + raw['7372'] },
        { district: '731001', n: raw['731001'] },
        { district: '731004', n: raw['731004'] },
        { district: '737201', n: raw['7372'] },
      ]);

      // The raw rows are not what is read: with the rolled-up scans deleted from the access log, the drill-down
      // still shows the rolled-up numbers (and the raw count is 0 now).
      await db.execute(sql`delete from access_log where at < '2026-11-25T00:00:00Z'`);
      expect(await rawCount('7310')).toBe(0);
      expect(await read()).toEqual(before);
    } finally {
      await own.close();
    }
  });
});

describe('drizzle/0020: rollups made before it', () => {
  it('keeps the province rows as they were and adds district rows counted from the raw rows still in the log', async () => {
    const { cp, mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const { createPgliteDatabase } = await import('../../src/db/pglite.js');
    const { migrationsFolder } = await import('../../src/db/migrate.js');
    const { dashboardScope, readDashboard } = await import('../../src/domain/operators/dashboard.js');
    // The database as it was at 0019: the migrations up to it only.
    const upTo19 = await mkdtemp(join(tmpdir(), 'ikd-0019-'));
    const database = await createPgliteDatabase();
    try {
      await cp(migrationsFolder, upTo19, { recursive: true });
      const journal = JSON.parse(await readFile(join(upTo19, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number }[] };
      journal.entries = journal.entries.filter((e) => e.idx <= 19);
      await writeFile(join(upTo19, 'meta/_journal.json'), JSON.stringify(journal));
      await rm(join(upTo19, '0020_rollup_regions.sql'));
      await migrate(database.db as never, { migrationsFolder: upTo19 });
      const db = database.db;
      const at = '2026-11-01T00:00:00Z';
      for (const [id, nik] of [['acc-a', '7310014501900001'], ['acc-b', '7310044501900005'], ['acc-c', '7372016003850003']] as const) {
        await db.execute(sql`insert into accounts (id, nik, email, phone, status, pin_hash, activated_at, created_at, updated_at)
          values (${id}, ${nik}, ${`${id}@x.test`}, '0812', 'active', 'h', ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz)`);
      }
      await db.execute(sql`insert into access_log (at, account_id, verifier_id, outcome, elements)
        select '2026-11-10T00:00:00Z'::timestamptz + (i * interval '17 minutes'), (array['acc-a','acc-b','acc-c'])[1 + i % 3], 'v',
               case when i % 6 = 0 then 'expired' else 'verified' end, '{}'
        from generate_series(0, 200) as i`);
      // 0019's roll-up (province only), up to 2026-11-12T00:00Z.
      await db.execute(sql`insert into access_stats_hourly (hour, province, outcome, count)
        select date_trunc('hour', l.at at time zone 'UTC') at time zone 'UTC', coalesce(substr(acc.nik, 1, 2), ''), l.outcome, count(*)
        from access_log l left join accounts acc on acc.id = l.account_id where l.at < '2026-11-12T00:00:00Z' group by 1, 2, 3`);
      await db.execute(sql`insert into app_meta (key, value, updated_at) values ('stats.rollupUntil', '{"at":"2026-11-12T00:00:00.000Z"}'::jsonb, now())`);
      // An hour whose raw rows are long gone (past the retention), and two rolled-up scans deleted from the log since.
      await db.execute(sql`insert into access_stats_hourly (hour, province, outcome, count) values ('2024-01-05T03:00:00Z', '73', 'verified', 9)`);
      await db.execute(sql`delete from access_log where seq in (select seq from access_log where outcome = 'verified' and account_id = 'acc-c' order by at limit 2)`);
      const provinceCounts = sql`select hour, province, outcome, sum(count)::int as n from access_stats_hourly group by 1, 2, 3 order by 1, 2, 3`;
      const before = await queryRows<{ hour: string; province: string; outcome: string; n: number }>(db, provinceCounts);

      await migrate(database.db as never, { migrationsFolder });

      // 0021: the activations before the mark (the three accounts, 2026-11-01) are counted into its rollups once.
      expect(await queryRows(db, sql`select kind, district, sum(count)::int as n from account_stats_hourly group by 1, 2 order by 1, 2`)).toEqual([
        { kind: 'activation', district: '', n: 3 },
        { kind: 'activation', district: '731001', n: 1 },
        { kind: 'activation', district: '731004', n: 1 },
        { kind: 'activation', district: '737201', n: 1 },
      ]);

      // The province rows are what they were: GET /v1/admin/stats and the national view do not change.
      expect(await queryRows(db, sql`select hour, province, outcome, sum(count)::int as n from access_stats_hourly where district = '' group by 1, 2, 3 order by 1, 2, 3`)).toEqual(before);
      // The district rows are the raw rows of the rolled-up hours; the old hour and the two deleted scans have none.
      const byDistrict = await queryRows<{ district: string; n: number }>(
        db,
        sql`select district, sum(count)::int as n from access_stats_hourly where outcome = 'verified' and district <> '' group by 1 order by 1`,
      );
      const raw = await queryRows<{ district: string; n: number }>(
        db,
        sql`select substr(acc.nik, 1, 6) as district, count(*)::int as n from access_log l join accounts acc on acc.id = l.account_id
            where l.outcome = 'verified' and l.at < '2026-11-12T00:00:00Z' group by 1 order by 1`,
      );
      expect(raw.map((r) => r.district)).toEqual(['731001', '731004', '737201']);
      expect(byDistrict).toEqual(raw);
      const oldHour = await queryRows<{ district: string; n: number }>(db, sql`select district, count::int as n from access_stats_hourly where hour = '2024-01-05T03:00:00Z'`);
      expect(oldHour).toEqual([{ district: '', n: 9 }]);
      const [province73] = await queryRows<{ n: number }>(db, sql`select sum(count)::int as n from access_stats_hourly where outcome = 'verified' and district = '' and province = '73'`);
      expect(province73!.n).toBe(raw.reduce((sum, r) => sum + r.n, 0) + 9 + 2);

      // The drill-down over the migrated hours equals the raw count, also after a new roll-up (both grains).
      const scope = dashboardScope(new Date('2026-11-30T00:00:00Z'), { level: 'district', parent: '7310', period: 'range', from: '2026-11-10', to: '2026-11-13' });
      const fromRollups = await readDashboard(db, scope);
      const { rollUpAccessStats } = await import('../../src/domain/operators/rollups.js');
      await rollUpAccessStats(db, new Date('2026-11-20T00:00:00Z'));
      expect(await readDashboard(db, scope)).toEqual(fromRollups);
      await db.execute(sql`delete from app_meta where key = 'stats.rollupUntil'`);
      expect(await readDashboard(db, scope)).toEqual(fromRollups);
      expect(fromRollups.total.verifications).toBeGreaterThan(50);
    } finally {
      await database.close();
      await rm(upTo19, { recursive: true, force: true });
    }
  });
});

describe('maintenance: access_log partitions', () => {
  it('creates the months ahead (moving default rows into them) and drops months past the retention', async () => {
    const { runMaintenance } = await import('../../src/domain/maintenance/purge.js');
    const { ACCESS_LOG_RETENTION_MONTHS } = await import('../../src/domain/maintenance/retention.js');
    expect(ACCESS_LOG_RETENTION_MONTHS).toBe(24);
    const db = ctx.deps.db;
    await db.execute(sql`insert into access_log (at, verifier_id, outcome, elements) values
      ('2026-12-10T00:00:00Z', 'v', 'invalid', '{}'), ('2031-06-05T12:00:00Z', 'v', 'invalid', '{}')`);
    const before = await queryRows<{ part: string }>(db, sql`select tableoid::regclass::text as part from access_log where at = '2031-06-05T12:00:00Z'`);
    expect(before[0]?.part).toBe('access_log_default');

    ctx.clock.set('2031-05-10T03:00:00Z');
    const run = await runMaintenance({ ...ctx.deps, database: ctx.deps.database });
    expect(run.status).toBe('done');
    if (run.status !== 'done') return;
    expect(run.partitions.created).toEqual(['access_log_p203105', 'access_log_p203106', 'access_log_p203107', 'access_log_p203108']);
    expect(run.partitions.dropped).toContain('access_log_p202612');

    const after = await queryRows<{ part: string }>(db, sql`select tableoid::regclass::text as part from access_log where at = '2031-06-05T12:00:00Z'`);
    expect(after).toEqual([{ part: 'access_log_p203106' }]);
    const [old] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from access_log where at < '2029-05-01T00:00:00Z'`);
    expect(old?.n).toBe(0);
    const [kept] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from pg_class where relname = 'access_log_p202905'`);
    expect(kept?.n).toBe(0);

    // A second run has nothing to create or drop.
    ctx.clock.advance(24 * 3600_000);
    const again = await runMaintenance({ ...ctx.deps, database: ctx.deps.database });
    expect(again.status === 'done' && again.partitions).toEqual({ created: [], dropped: [] });
  });
});
