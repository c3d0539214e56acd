/** Issue #15.1: the operator login lock counts per (username, client address) and tells nobody a username exists. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, usingPostgres, type TestContext } from '../helpers/context.js';
import { createTestOperator, currentOtp, operatorLogin } from '../helpers/operator.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const problem = async (res: Response) => {
  const body = (await res.json()) as Record<string, unknown>;
  delete body.requestId;
  return { status: res.status, retryAfter: res.headers.get('Retry-After'), body };
};

describe('per (username, address)', () => {
  it('five failures from one address lock that address only: the right credentials from another address log in', async () => {
    const op = await createTestOperator(ctx);
    for (let i = 0; i < 5; i++) {
      expect((await operatorLogin(ctx, { ...op, password: `wrong-password-${i}` }, { ip: '192.0.2.10' })).status).toBe(401);
    }
    const locked = await operatorLogin(ctx, op, { ip: '192.0.2.10' });
    expect(locked.status).toBe(423);
    expect(((await locked.json()) as { code: string }).code).toBe('operator_locked');

    const elsewhere = await operatorLogin(ctx, op, { ip: '192.0.2.11' });
    expect(elsewhere.status).toBe(200);
    // The address that guessed stays locked after the owner's success elsewhere.
    ctx.clock.advance(30_000);
    expect((await operatorLogin(ctx, op, { ip: '192.0.2.10' })).status).toBe(423);
  });

  it('an unknown username answers exactly like a known one: 401 five times, then 423 with the same Retry-After', async () => {
    const known = await createTestOperator(ctx);
    const unknown = { username: `nobody.${Math.random().toString(36).slice(2, 8)}`, password: 'some-password-1', totpSecret: known.totpSecret };
    const answers = { known: [] as unknown[], unknown: [] as unknown[] };
    for (let i = 0; i < 6; i++) {
      answers.known.push(await problem(await operatorLogin(ctx, { ...known, password: `wrong-password-${i}` }, { ip: '192.0.2.20' })));
      answers.unknown.push(await problem(await operatorLogin(ctx, unknown, { ip: '192.0.2.21' })));
    }
    expect(answers.unknown).toEqual(answers.known);
    expect((answers.unknown[5] as { status: number }).status).toBe(423);
    expect((answers.unknown[4] as { status: number }).status).toBe(401);
  });
});

describe('concurrency', () => {
  it(`six concurrent correct logins with one code: exactly one session and no lock (${usingPostgres() ? 'PostgreSQL' : 'PGlite'})`, async () => {
    for (let round = 0; round < 3; round++) {
      const op = await createTestOperator(ctx);
      const otp = await currentOtp(ctx, op.totpSecret);
      const responses = await Promise.all(Array.from({ length: 6 }, () => operatorLogin(ctx, op, { otp, ip: '192.0.2.30' })));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.every((s) => s === 200 || s === 401 || s === 423)).toBe(true);
      // The next code from the same address is not locked out by the concurrent ones.
      ctx.clock.advance(30_000);
      expect((await operatorLogin(ctx, op, { ip: '192.0.2.30' })).status).toBe(200);
    }
  });
});
