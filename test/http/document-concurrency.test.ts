/**
 * Single use of a document QR under contention: 50 counters allowed the KK redeem one KK token at the same instant;
 * exactly one wins. On PGlite always, and on a real PostgreSQL too when DATABASE_URL is set.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { decodeKtpToken } from '../../src/crypto/token-codec.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createPgliteDatabase } from '../../src/db/pglite.js';
import { accessLog, ktpTokens } from '../../src/db/schema/index.js';
import { asResident, createActiveResident, createTestVerifier, postVerify } from '../helpers/resident.js';
import { createTestContext, createTestDatabase, usingPostgres, type TestContext } from '../helpers/context.js';

const databases = [
  {
    name: 'PGlite',
    open: async () => {
      const database = await createPgliteDatabase();
      await applyMigrations(database);
      return database;
    },
  },
  ...(usingPostgres() ? [{ name: 'PostgreSQL', open: createTestDatabase }] : []),
];

describe.each(databases)('50 parallel redemptions of one KK QR on $name', ({ open }) => {
  it('gives exactly one 200 (with the KK); the other 49 are 409 token_already_used, each logged', async () => {
    const ctx: TestContext = await createTestContext({ database: await open() });
    try {
      const resident = await createActiveResident(ctx);
      const counters = await Promise.all(
        Array.from({ length: 10 }, (_, i) => createTestVerifier(ctx, { name: `Loket ${i + 1}`, allowedDocuments: ['family_card'] })),
      );
      const issued = await asResident(ctx, resident, 'POST', '/v1/me/documents/family_card/qr', { pin: resident.pin, format: 'none' });
      expect(issued.status).toBe(201);
      const { token } = (await issued.json()) as { token: string };
      const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => postVerify(ctx, counters[i % counters.length]!.apiKey, { token })));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(49);
      const winner = (await responses.find((r) => r.status === 200)!.json()) as { document: { type: string } };
      expect(winner.document.type).toBe('family_card');
      const codes = await Promise.all(responses.filter((r) => r.status === 409).map(async (r) => ((await r.json()) as { code: string }).code));
      expect(new Set(codes)).toEqual(new Set(['token_already_used']));

      const decoded = decodeKtpToken(ctx.deps.keys, token);
      const tokenId = decoded.ok ? decoded.tokenId : '';
      const log = await ctx.deps.db.select().from(accessLog).where(eq(accessLog.tokenId, tokenId));
      expect(log.filter((r) => r.outcome === 'verified')).toHaveLength(1);
      expect(log.filter((r) => r.outcome === 'already_used')).toHaveLength(49);
      const [row] = await ctx.deps.db.select().from(ktpTokens).where(eq(ktpTokens.id, tokenId));
      expect(row!.usedBy).toBe(log.find((r) => r.outcome === 'verified')!.verifierId);
    } finally {
      await ctx.close();
    }
  });
});
