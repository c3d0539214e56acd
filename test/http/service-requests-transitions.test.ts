/** Every state × every target through the office's transition route: legal steps 200, everything else 409 invalid_transition. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTransition, actorMayTake, REQUEST_STATUSES, type RequestStatus } from '../../src/domain/services/state-machine.js';
import type { Fulfilment } from '../../src/domain/services/catalog.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createOperatorSession, operatorAuth, type OperatorSession } from '../helpers/operator.js';
import { asResident, createActiveResident, type ActiveResident } from '../helpers/resident.js';
import { forceStatus, REQUESTS, submitRequest, transition } from '../helpers/services.js';

let ctx: TestContext;
let arif: ActiveResident;
let operator: OperatorSession;

beforeAll(async () => {
  ctx = await createTestContext();
  arif = await createActiveResident(ctx);
  operator = await createOperatorSession(ctx, 'operator', { officeCode: '7310' });
});
afterAll(async () => {
  await ctx?.close();
});

const FIELDS: Partial<Record<RequestStatus, Record<string, unknown>>> = {
  needs_correction: { corrections: ['kk'] },
  rejected: { reason: 'Data tidak sesuai' },
  delivery_failed: { reason: 'Alamat tidak ditemukan' },
  delivered: { receivedBy: 'MUHAMMAD ARIF' },
};

const BODIES: Record<Fulfilment, unknown> = {
  download: REQUESTS.data_sync,
  pickup: { ...REQUESTS.data_sync, fulfilment: 'pickup' },
  delivery: REQUESTS.ktp_el_reprint,
};

describe.each(['download', 'pickup', 'delivery'] as const)('POST …/transition, fulfilment %s', (fulfilment) => {
  it('takes exactly the legal operator steps; every other state × target is 409 invalid_transition and changes nothing', async () => {
    const outcomes: string[] = [];
    // What GET …/{id} offers the operator in each status (allowedSteps: the page's buttons).
    const offered = new Map<RequestStatus, string[]>();
    for (const from of REQUEST_STATUSES) {
      for (const to of REQUEST_STATUSES) {
        // Operator sessions idle out after 30 min of test clock; keep the clock still here.
        const created = await submitRequest(ctx, arif, BODIES[fulfilment]);
        await forceStatus(ctx, created.id, from);
        if (!offered.has(from)) {
          const view = await ctx.app.request(`/v1/operator/service-requests/${created.id}`, { headers: operatorAuth(operator.token) });
          expect(view.status).toBe(200);
          offered.set(from, ((await view.json()) as { allowedSteps: string[] }).allowedSteps);
        }
        const res = await transition(ctx, operator.token, created.id, { to, ...(FIELDS[to] ?? {}) });
        const step = findTransition(from, to, fulfilment);
        const legal = step !== undefined && actorMayTake('operator', step);
        const body = (await res.json()) as { code?: string; status?: string };
        const after = ((await (await asResident(ctx, arif, 'GET', `/v1/me/service-requests/${created.id}`)).json()) as { status: string }).status;
        if (legal) {
          expect(res.status, `${from} → ${to}`).toBe(200);
          expect(after).toBe(to);
          outcomes.push(`${from}>${to}`);
        } else {
          expect(res.status, `${from} → ${to}`).toBe(409);
          expect(body.code).toBe('invalid_transition');
          expect(after).toBe(from);
        }
      }
    }
    const expected = ['submitted>in_review', 'in_review>processing', 'in_review>needs_correction', 'in_review>rejected', 'processing>completed'];
    if (fulfilment === 'pickup') expected.push('completed>picked_up');
    if (fulfilment === 'delivery') expected.push('completed>out_for_delivery', 'out_for_delivery>delivered', 'out_for_delivery>delivery_failed', 'delivery_failed>out_for_delivery');
    expect(outcomes.sort()).toEqual(expected.sort());
    // The steps offered are exactly the steps the route takes, status by status.
    for (const from of REQUEST_STATUSES) {
      const taken = outcomes.filter((o) => o.startsWith(`${from}>`)).map((o) => o.slice(from.length + 1));
      expect([...(offered.get(from) ?? [])].sort(), `allowedSteps in ${from}`).toEqual(taken.sort());
    }
  }, 300_000);
});

describe('the holder’s own steps', () => {
  it('cancel is legal from submitted, in_review and needs_correction only; corrections only from needs_correction', async () => {
    for (const from of REQUEST_STATUSES) {
      const created = await submitRequest(ctx, arif);
      await forceStatus(ctx, created.id, from);
      const res = await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${created.id}/cancel`);
      const legal = ['submitted', 'in_review', 'needs_correction'].includes(from);
      expect(res.status, `cancel from ${from}`).toBe(legal ? 200 : 409);
      if (!legal) expect(((await res.json()) as { code: string }).code).toBe('invalid_transition');

      const other = await submitRequest(ctx, arif);
      await forceStatus(ctx, other.id, from);
      const fix = await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${other.id}/corrections`, { attachments: [REQUESTS.data_sync.attachments[1]] });
      expect(fix.status, `corrections from ${from}`).toBe(from === 'needs_correction' ? 200 : 409);
    }
  }, 120_000);
});
