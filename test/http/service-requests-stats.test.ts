/** GET /v1/admin/stats → serviceRequests: per type, status, regency, month; median hours; share within SLA; SKM index. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOperatorSession } from '../helpers/operator.js';
import { asResident, createActiveResident, loginAs, type ActiveResident } from '../helpers/resident.js';
import { asOperator, REQUESTS, submitRequest, walk } from '../helpers/services.js';

let ctx: TestContext;
let arif: ActiveResident;

beforeAll(async () => {
  ctx = await createTestContext();
  arif = await createActiveResident(ctx);
});
afterAll(async () => {
  await ctx?.close();
});

const HOUR = 3600_000;

/** A fresh operator session now (sessions end after 30 min idle of test clock). */
const officer = async () => (await createOperatorSession(ctx, 'operator', { officeCode: '7310' })).token;
const relogin = async () => {
  arif.accessToken = await loginAs(ctx, arif);
};

describe('serviceRequests statistics', () => {
  it('counts, median hours to completion, share within the SLA and the SKM index (mean × 25)', async () => {
    const fast = await submitRequest(ctx, arif); // completed after 2 h
    const slow = await submitRequest(ctx, arif); // completed after 30 h: past its 24 h SLA
    const open = await submitRequest(ctx, arif, REQUESTS.family_card_update); // left submitted
    ctx.clock.advance(2 * HOUR);
    await walk(ctx, await officer(), fast.id, [{ to: 'in_review' }, { to: 'processing' }, { to: 'completed' }]);
    ctx.clock.advance(28 * HOUR);
    await walk(ctx, await officer(), slow.id, [{ to: 'in_review' }, { to: 'processing' }, { to: 'completed' }]);
    await relogin();
    expect((await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${fast.id}/rating`, { score: 4 })).status).toBe(201);
    expect((await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${slow.id}/rating`, { score: 3 })).status).toBe(201);

    const admin = await createOperatorSession(ctx, 'admin', { officeCode: '3171' });
    const res = await asOperator(ctx, admin.token, 'GET', '/v1/admin/stats');
    expect(res.status).toBe(200);
    const { serviceRequests: s } = (await res.json()) as { serviceRequests: Record<string, any> };
    expect(s).toMatchObject({ count: 3, completed: 2, medianHoursToCompletion: 16, withinSlaShare: 0.5, ratings: 2, skmIndex: 87.5 });
    expect(s.byType).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'data_sync', count: 2, completed: 2, medianHoursToCompletion: 16, withinSlaShare: 0.5, skmIndex: 87.5 }),
        expect.objectContaining({ type: 'family_card_update', count: 1, completed: 0, medianHoursToCompletion: null, withinSlaShare: null, skmIndex: null }),
      ]),
    );
    expect(s.byStatus).toEqual(expect.arrayContaining([{ status: 'completed', count: 2 }, { status: 'submitted', count: 1 }]));
    expect(s.byRegency).toEqual([expect.objectContaining({ code: '7310', name: expect.stringContaining('PANGKAJENE'), count: 3, completed: 2 })]);
    expect(s.byMonth).toEqual([expect.objectContaining({ month: '2026-11', count: 3 })]);
    expect(open.status).toBe('submitted');

    // A supervisor sees it too; an operator does not.
    const op = await officer();
    expect((await asOperator(ctx, op, 'GET', '/v1/admin/stats')).status).toBe(403);
  });
});
