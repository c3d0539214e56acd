/** Deletion deletes (API.md Part 2): after DELETE /v1/me no column of any table holds the e-mail, phone or selfie. */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrations } from '../../src/db/schema/index.js';
import { queryRows } from '../../src/db/types.js';
import { createOutboxWorker } from '../../src/email/worker.js';
import { devMailboxTransport } from '../../src/email/transports.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { accountRow, asResident, createActiveResident, createTestVerifier, issueQr, postVerify } from '../helpers/resident.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

/** Every (table, column) of a text-like or bytea type in the public schema holding `needle`. */
async function columnsHolding(needle: { text?: string; bytes?: Uint8Array }): Promise<string[]> {
  const columns = await queryRows<{ table_name: string; column_name: string; data_type: string }>(
    ctx.deps.db,
    sql`select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'character varying', 'bytea', 'jsonb', 'ARRAY')`,
  );
  const found: string[] = [];
  for (const c of columns) {
    const col = sql.identifier(c.column_name);
    const table = sql.identifier(c.table_name);
    const condition =
      c.data_type === 'bytea'
        ? needle.bytes ? sql`position(${Buffer.from(needle.bytes)}::bytea in ${col}) > 0` : null
        : needle.text ? sql`${col}::text like ${`%${needle.text}%`}` : null;
    if (!condition) continue;
    const rows = await queryRows(ctx.deps.db, sql`select 1 from ${table} where ${condition} limit 1`);
    if (rows.length > 0) found.push(`${c.table_name}.${c.column_name}`);
  }
  return found;
}

describe('DELETE /v1/me', () => {
  it('erases e-mail, phone and selfie from every table; the access log keeps the account id', async () => {
    const email = 'hapus.saya@example.id';
    const phone = '+6281377778888';
    const resident = await createActiveResident(ctx, { email, phone });
    const selfie = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x13, 0x37, 0x42, 0x99, 0x01, 0x02]);
    await ctx.deps.db.update(registrations).set({ selfie, selfieType: 'image/jpeg' }).where(eq(registrations.accountId, resident.accountId));
    const verifier = await createTestVerifier(ctx);
    await postVerify(ctx, verifier.apiKey, { token: (await issueQr(ctx, resident)).token });
    await asResident(ctx, resident, 'PUT', `/v1/me/data-users/${verifier.id}`, { blocked: true });
    const worker = createOutboxWorker(ctx.deps, devMailboxTransport(ctx.deps.logger));
    await worker.deliverDue();
    expect(await columnsHolding({ text: email })).not.toEqual([]);

    const res = await asResident(ctx, resident, 'DELETE', '/v1/me', { pin: resident.pin });
    expect(res.status).toBe(204);
    await worker.deliverDue(); // the goodbye goes out, then is blanked

    expect(await columnsHolding({ text: email })).toEqual([]);
    expect(await columnsHolding({ text: phone })).toEqual([]);
    expect(await columnsHolding({ text: phone.slice(1) })).toEqual([]);
    expect(await columnsHolding({ bytes: selfie, text: Buffer.from(selfie).toString('base64') })).toEqual([]);
    expect((await accountRow(ctx, resident.accountId)).status).toBe('deleted');
    const logged = await queryRows(ctx.deps.db, sql`select 1 from access_log where account_id = ${resident.accountId}`);
    expect(logged.length).toBeGreaterThan(0);
  });
});
