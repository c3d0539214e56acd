/** scripts/bench/national.ts at a tiny scale: the generated history lands where the bench expects it. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillNational } from '../../scripts/bench/national.js';
import { queryRows } from '../../src/db/types.js';
import { createTestContext, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe('national fill', () => {
  it('fills accounts, registry rows, a year of tokens and access-log rows, and rolls up the statistics', async () => {
    const { seedDemoResidents } = await import('../../src/registry/seeded.js');
    await seedDemoResidents(ctx.deps.db);
    const accountsBefore = (await queryRows<{ n: number }>(ctx.deps.db, sql`select count(*)::int as n from accounts`))[0]!.n;
    await ctx.deps.db.execute(sql`insert into accounts (id, nik, email, phone, status, pin_hash, activated_at, created_at, updated_at)
      values ('seed-acc', '3171010101900009', 's@x.test', '0812', 'active', 'h', now(), now(), now())`);
    const fill = await fillNational(ctx.deps.db, 0.0001, ctx.clock.now());
    expect(fill.accounts).toBe(300);
    expect(fill.tokens).toBe(3000);
    const [c] = await queryRows<{ accounts: number; tokens: number; used: number; verified: number; doubles: number; months: number; rolled: number }>(
      ctx.deps.db,
      sql`select (select count(*)::int from accounts) as accounts, (select count(*)::int from ktp_tokens) as tokens,
                 (select count(*)::int from ktp_tokens where used_at is not null) as used,
                 (select count(*)::int from access_log where outcome = 'verified') as verified,
                 (select count(*)::int from (select token_id from access_log where outcome = 'verified' group by 1 having count(*) > 1) d) as doubles,
                 (select count(distinct tableoid)::int from access_log) as months,
                 (select coalesce(sum(count), 0)::int from access_stats_hourly where district = '') as rolled`,
    );
    expect(c).toMatchObject({ accounts: accountsBefore + 1 + 300, tokens: 3000, used: 1500, verified: 1500, doubles: 0, rolled: 3000 });
    expect(c!.months).toBeGreaterThanOrEqual(12);
    // Every verified row carries its holder's district, as the redemption statement writes it (drizzle/0022).
    const [d] = await queryRows<{ with_district: number; wrong: number }>(
      ctx.deps.db,
      sql`select count(*) filter (where l.holder_district is not null)::int as with_district,
                 count(*) filter (where l.holder_district is distinct from substr(a.nik, 1, 6))::int as wrong
          from access_log l join accounts a on a.id = l.account_id where l.outcome = 'verified'`,
    );
    expect(d).toEqual({ with_district: 1500, wrong: 0 });
    // Ids of the app's shapes (newId('acc'), a 12-byte hex token id), spread over the key space as random ones are,
    // not all sorting after the bench's own: the planner judged the session lookup by that order (national.ts).
    const ids = await queryRows<{ id: string }>(ctx.deps.db, sql`select id from accounts where email like 'nat-%'`);
    expect(ids).toHaveLength(300);
    for (const { id } of ids) expect(id).toMatch(/^acc_[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids.map(({ id }) => id[4])).size).toBeGreaterThan(40);
    const tokens = await queryRows<{ id: string; known: boolean }>(
      ctx.deps.db,
      sql`select t.id, exists (select 1 from accounts a where a.id = t.account_id) as known from ktp_tokens t`,
    );
    for (const t of tokens) expect(t).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), known: true });
    expect(new Set(tokens.map((t) => t.id[0])).size).toBe(16);
    expect(fill.bytes.ktp_tokens).toBeGreaterThan(0);
  });
});
