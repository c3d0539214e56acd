/** My data (API.md Part 2): GET /v1/me/export is a JSON attachment of everything held about the holder, no secrets. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrations } from '../../src/db/schema/index.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { asResident, createActiveResident, createTestVerifier, issueQr, postVerify } from '../helpers/resident.js';
import { JPEG_BYTES, PDF_BYTES, REQUESTS, submitRequest } from '../helpers/services.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

describe('GET /v1/me/export', () => {
  it('a JSON attachment: account, registrations with the selfie, devices, sessions, history, blocks; no hashes', async () => {
    const resident = await createActiveResident(ctx, { email: 'ekspor@example.id', phone: '+6281299990001' });
    const selfie = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3, 4, 5]);
    await ctx.deps.db.update(registrations).set({ selfie, selfieType: 'image/jpeg' }).where(eq(registrations.accountId, resident.accountId));
    const verifier = await createTestVerifier(ctx, { name: 'Bank Ekspor' });
    await postVerify(ctx, verifier.apiKey, { token: (await issueQr(ctx, resident)).token });
    await asResident(ctx, resident, 'PUT', `/v1/me/data-users/${verifier.id}`, { blocked: true });

    const res = await asResident(ctx, resident, 'GET', '/v1/me/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="ikd-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(res.headers.get('content-type')).toContain('application/json');
    const text = await res.text();
    const data = JSON.parse(text) as Record<string, any>;
    expect(data.account).toMatchObject({ id: resident.accountId, nik: resident.nik, email: 'ekspor@example.id', phone: '+6281299990001', status: 'active' });
    expect(data.registrations).toHaveLength(1);
    expect(data.registrations[0].selfie).toBe(`data:image/jpeg;base64,${Buffer.from(selfie).toString('base64')}`);
    expect(data.devices).toEqual([expect.objectContaining({ id: resident.deviceId, status: 'active' })]);
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.accessHistory).toEqual([expect.objectContaining({ verifier: { id: verifier.id, name: 'Bank Ekspor' }, outcome: 'verified' })]);
    expect(data.dataUserBlocks).toEqual([expect.objectContaining({ verifierId: verifier.id })]);
    for (const key of ['dataBalikan', 'authorizations']) expect(data[key]).toEqual([]);
    expect(data.serviceRequests).toEqual([]);
    expect(text).not.toMatch(/\$argon2|token_?hash|pinHash/i);
  });

  it('carries the holder’s service requests: details, delivery address, history, attachments’ metadata — not their bytes', async () => {
    const resident = await createActiveResident(ctx);
    const other = await createActiveResident(ctx);
    const created = await submitRequest(ctx, resident, REQUESTS.ktp_el_reprint);
    await submitRequest(ctx, other, REQUESTS.data_sync);
    expect((await asResident(ctx, resident, 'POST', `/v1/me/service-requests/${created.id}/cancel`)).status).toBe(200);

    const res = await asResident(ctx, resident, 'GET', '/v1/me/export');
    expect(res.status).toBe(200);
    const text = await res.text();
    const data = JSON.parse(text) as { serviceRequests: Array<Record<string, any>> };
    expect(data.serviceRequests).toHaveLength(1);
    const [request] = data.serviceRequests;
    expect(request).toMatchObject({
      id: created.id,
      number: created.number,
      type: 'ktp_el_reprint',
      status: 'cancelled',
      fulfilment: 'delivery',
      details: REQUESTS.ktp_el_reprint.details,
      deliveryAddress: REQUESTS.ktp_el_reprint.deliveryAddress,
    });
    expect(request!.history.map((h: { status: string; by: string }) => `${h.status}:${h.by}`)).toEqual(['submitted:resident', 'cancelled:resident']);
    expect(request!.attachments.map((a: { kind: string; contentType: string; size: number }) => [a.kind, a.contentType, a.size]).sort()).toEqual([
      ['kk', 'image/jpeg', JPEG_BYTES.length],
      ['surat_kehilangan', 'application/pdf', PDF_BYTES.length],
    ]);
    expect(text).not.toContain(Buffer.from(PDF_BYTES).toString('base64'));
  });

  it('needs a session', async () => {
    expect((await ctx.app.request('/v1/me/export')).status).toBe(401);
  });
});
