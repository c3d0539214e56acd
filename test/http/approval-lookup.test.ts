/** Issue #15.12: an operator approves a registration only after looking up its QR (the registrant's device is there). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { counterApproval, decide, lookupAs, registerResident } from '../helpers/enrolment.js';
import { createOperatorSession } from '../helpers/operator.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

describe('lookup before approval', () => {
  it('approval without this operator\'s lookup is 422 approval_requirements_unmet naming the lookup', async () => {
    const a = await createOperatorSession(ctx);
    const b = await createOperatorSession(ctx);
    const reg = await registerResident(ctx);
    const none = await decide(ctx, a.token, reg.registrationId, counterApproval, { lookup: false });
    expect(none.status).toBe(422);
    const body = (await none.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe('approval_requirements_unmet');
    expect(body.errors.map((e) => e.path)).toEqual(['lookup']);

    // Another operator's lookup does not count for this one.
    expect((await lookupAs(ctx, b.token, reg.registrationId)).status).toBe(200);
    expect((await decide(ctx, a.token, reg.registrationId, counterApproval, { lookup: false })).status).toBe(422);

    expect((await lookupAs(ctx, a.token, reg.registrationId)).status).toBe(200);
    const approved = await decide(ctx, a.token, reg.registrationId, counterApproval, { lookup: false });
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as { status: string }).status).toBe('awaiting_activation');
  });

  it('rejection needs no lookup', async () => {
    const op = await createOperatorSession(ctx);
    const reg = await registerResident(ctx);
    const res = await decide(ctx, op.token, reg.registrationId, { decision: 'reject', channel: 'counter', reason: 'KTP-el tidak dibawa' }, { lookup: false });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status: string }).status).toBe('rejected');
  });
});
