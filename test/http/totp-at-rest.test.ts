/** Issue #15 point 11: operators' TOTP secrets are sealed with AES-256-GCM at rest; login still works; clear rows from before are sealed. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operators } from '../../src/db/schema/index.js';
import { sealPlainTotpSecrets } from '../../src/domain/operators/operators.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createTestOperator, operatorLogin } from '../helpers/operator.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

const storedSecret = async (id: string) => (await ctx.deps.db.select({ s: operators.totpSecret }).from(operators).where(eq(operators.id, id)))[0]!.s;

describe('TOTP secrets at rest', () => {
  it('the row holds a sealed value, not the secret, and login with the TOTP works', async () => {
    const op = await createTestOperator(ctx);
    const stored = await storedSecret(op.id);
    expect(stored).toMatch(/^enc1:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain(op.totpSecret);
    expect((await operatorLogin(ctx, op)).status).toBe(200);
  });

  it('a sealed value copied onto another operator does not open there (bound to its row): no login', async () => {
    const a = await createTestOperator(ctx);
    const b = await createTestOperator(ctx);
    await ctx.deps.db.update(operators).set({ totpSecret: await storedSecret(a.id) }).where(eq(operators.id, b.id));
    const res = await operatorLogin(ctx, { ...b, totpSecret: a.totpSecret });
    expect(res.status).toBe(500); // a row that fails authentication is corruption, never a login
  });

  it('a row from before sealing still logs in and is sealed by that login; sealPlainTotpSecrets seals the rest', async () => {
    const first = await createTestOperator(ctx);
    const second = await createTestOperator(ctx);
    for (const op of [first, second]) await ctx.deps.db.update(operators).set({ totpSecret: op.totpSecret }).where(eq(operators.id, op.id));

    expect((await operatorLogin(ctx, first)).status).toBe(200);
    expect(await storedSecret(first.id)).toMatch(/^enc1:/);

    expect(await sealPlainTotpSecrets(ctx.deps)).toBe(1);
    expect(await storedSecret(second.id)).toMatch(/^enc1:/);
    expect(await sealPlainTotpSecrets(ctx.deps)).toBe(0);
    ctx.clock.advance(31_000);
    expect((await operatorLogin(ctx, second)).status).toBe(200);
  });
});
