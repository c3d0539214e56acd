/**
 * #18 point 3 at a national peak (drizzle/0022): an access-log row carries the holder's district (first 6 NIK
 * digits), a verification's and a refused scan's alike, the statistics' raw tail and the roll-up count by it without joining accounts, and rows
 * without it (older ones, other outcomes) fall back to the account's NIK.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/types.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createActiveResident, createTestVerifier, issueQr, postVerify } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe('the holder district on access-log rows', () => {
  it('a redemption writes it; statistics count the raw tail and the roll-up by it, older rows by the account', async () => {
    const { serviceStats, statsPeriod } = await import('../../src/domain/operators/stats.js');
    const { rollUpAccessStats } = await import('../../src/domain/operators/rollups.js');
    const { db } = ctx.deps;
    const resident = await createActiveResident(ctx);
    const verifier = await createTestVerifier(ctx, { allowedElements: ['nik'] });
    const qr = await issueQr(ctx, resident);
    const res = await postVerify(ctx, verifier.apiKey, { token: qr.token });
    expect(res.status).toBe(200);
    const [row] = await queryRows<{ holder_district: string | null; account_id: string }>(
      db,
      sql`select holder_district, account_id from access_log where verifier_id = ${verifier.id} and outcome = 'verified'`,
    );
    expect(row!.holder_district).toBe(resident.nik.slice(0, 6));
    // A refused scan of the same QR (already used) is logged with the district too, through the failure path.
    const again = await postVerify(ctx, verifier.apiKey, { token: qr.token });
    expect(again.status).toBe(409);
    const [failed] = await queryRows<{ outcome: string; holder_district: string | null }>(
      db,
      sql`select outcome, holder_district from access_log where verifier_id = ${verifier.id} and outcome <> 'verified'`,
    );
    expect(failed).toEqual({ outcome: 'already_used', holder_district: resident.nik.slice(0, 6) });

    // Two more verified rows of the same account: one as a holder from elsewhere at the time of the scan (district
    // 317101, Jakarta), one written before drizzle/0022 (no district: the account's NIK counts).
    const at = ctx.clock.now().toISOString();
    await db.execute(sql`insert into access_log (at, account_id, verifier_id, outcome, elements, holder_district)
      values (${at}::timestamptz, ${row!.account_id}, ${verifier.id}, 'verified', '{nik}', '317101'),
             (${at}::timestamptz, ${row!.account_id}, ${verifier.id}, 'verified', '{nik}', null)`);
    const province = resident.nik.slice(0, 2);
    expect(province).not.toBe('31');
    const counts = async () => {
      const stats = await serviceStats(db, statsPeriod(ctx.clock.now()));
      return Object.fromEntries(stats.verifications.byProvince.map((p) => [p.code, p.count]));
    };
    // Raw (nothing rolled up yet), then rolled up (the clock a minute on, past the 20 s lag): the same answer.
    expect(await counts()).toEqual({ [province]: 2, '31': 1 });
    ctx.clock.advance(60_000);
    const rolled = await rollUpAccessStats(db, ctx.clock.now());
    expect(new Date(rolled.until).getTime()).toBeGreaterThan(Date.parse(at));
    const hourly = await queryRows<{ province: string; n: number }>(
      db,
      sql`select province, sum(count)::int as n from access_stats_hourly where outcome = 'verified' and district = '' group by 1 order by 1`,
    );
    expect(Object.fromEntries(hourly.map((h) => [h.province, h.n]))).toEqual({ [province]: 2, '31': 1 });
    expect(await counts()).toEqual({ [province]: 2, '31': 1 });
  });
});
