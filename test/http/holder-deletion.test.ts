/** Deletion deletes (API.md Part 2): after DELETE /v1/me no column of any table holds the e-mail, phone or selfie. */
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrations, serviceRequestAttachments, serviceRequestHistory, serviceRequests } from '../../src/db/schema/index.js';
import { createOperatorSession } from '../helpers/operator.js';
import { REQUESTS, submitRequest, walk } from '../helpers/services.js';
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

  it('Pelayanan: attachments go at once, unstarted requests are cancelled, closed ones lose the person; an in-flight one keeps what the office needs until it closes', async () => {
    const resident = await createActiveResident(ctx);
    const operator = await createOperatorSession(ctx, 'operator', { officeCode: resident.nik.slice(0, 4) });
    const street = 'JL. HAPUS SAYA NO. 77';
    const delivery = { ...REQUESTS.ktp_el_reprint, deliveryAddress: { ...REQUESTS.ktp_el_reprint.deliveryAddress, street } };
    const waiting = await submitRequest(ctx, resident, delivery);
    const inFlight = await submitRequest(ctx, resident, delivery);
    await walk(ctx, operator.token, inFlight.id, [{ to: 'in_review' }, { to: 'processing' }]);
    const done = await submitRequest(ctx, resident, REQUESTS.data_sync);
    await walk(ctx, operator.token, done.id, [{ to: 'in_review' }, { to: 'processing' }, { to: 'completed' }]);
    const comment = 'Petugas ramah sekali, terima kasih';
    expect((await asResident(ctx, resident, 'POST', `/v1/me/service-requests/${done.id}/rating`, { score: 4, comment })).status).toBe(201);
    const own = [waiting.id, inFlight.id, done.id];
    expect(await ctx.deps.db.select({ id: serviceRequestAttachments.id }).from(serviceRequestAttachments).where(inArray(serviceRequestAttachments.requestId, own))).toHaveLength(6);

    expect((await asResident(ctx, resident, 'DELETE', '/v1/me', { pin: resident.pin })).status).toBe(204);

    expect(await ctx.deps.db.select({ id: serviceRequestAttachments.id }).from(serviceRequestAttachments).where(inArray(serviceRequestAttachments.requestId, own))).toEqual([]);
    const rows = async () => {
      const list = await ctx.deps.db.select().from(serviceRequests).where(inArray(serviceRequests.id, own));
      return Object.fromEntries(list.map((r) => [r.id, r]));
    };
    let after = await rows();
    expect(after[waiting.id]).toMatchObject({ status: 'cancelled', details: {}, deliveryAddress: null });
    expect(after[waiting.id]!.closedAt).not.toBeNull();
    const history = await ctx.deps.db.select().from(serviceRequestHistory).where(eq(serviceRequestHistory.requestId, waiting.id)).orderBy(serviceRequestHistory.seq);
    expect(history.at(-1)).toMatchObject({ status: 'cancelled', note: 'account_deleted', by: 'resident' });
    expect(after[done.id]).toMatchObject({ status: 'completed', details: {}, ratingScore: 4, ratingComment: null });
    // The office is still issuing this one: its details and the address it goes to stay until it is handed over.
    expect(after[inFlight.id]).toMatchObject({ status: 'processing', details: REQUESTS.ktp_el_reprint.details });
    expect(after[inFlight.id]!.deliveryAddress).toMatchObject({ street });
    expect(await columnsHolding({ text: comment })).toEqual([]);

    await walk(ctx, operator.token, inFlight.id, [{ to: 'completed' }, { to: 'out_for_delivery' }, { to: 'delivered', receivedBy: 'TETANGGA SEBELAH' }]);
    after = await rows();
    expect(after[inFlight.id]).toMatchObject({ status: 'delivered', details: {}, deliveryAddress: null, deliveryReceivedBy: null });
    expect(await columnsHolding({ text: street })).toEqual([]);
    // Who signed for a delivered document stays in the append-only audit log: the office's proof of handover.
    expect(await columnsHolding({ text: 'TETANGGA SEBELAH' })).toEqual(['audit_log.details']);
  });
});
