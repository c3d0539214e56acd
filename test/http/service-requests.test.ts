/** Pelayanan over HTTP: the catalog, the whole path for each fulfilment, corrections, cancel, rating, and who sees what. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serviceRequestAttachments, serviceRequests } from '../../src/db/schema/index.js';
import { SERVICE_REQUEST_RATE_LIMIT } from '../../src/domain/services/requests.js';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { createOperatorSession, type OperatorSession } from '../helpers/operator.js';
import { asResident, createActiveResident, type ActiveResident } from '../helpers/resident.js';
import {
  asOperator,
  auditActions,
  dataUrl,
  forgetRequestRateLimit,
  JPEG_BYTES,
  jpeg,
  pdf,
  REQUESTS,
  statusMails,
  submitRequest,
  transition,
  walk,
} from '../helpers/services.js';

let ctx: TestContext;
let arif: ActiveResident; // Pangkep (7310)
let kadek: ActiveResident; // Buleleng (5108)
let pangkep: OperatorSession;
let buleleng: OperatorSession;
let supervisor: OperatorSession;
let courier: OperatorSession;
let bulelengCourier: OperatorSession;

beforeAll(async () => {
  ctx = await createTestContext();
  arif = await createActiveResident(ctx);
  await createActiveResident(ctx); // his wife, same KK
  kadek = await createActiveResident(ctx);
  pangkep = await createOperatorSession(ctx, 'operator', { officeCode: '7310' });
  buleleng = await createOperatorSession(ctx, 'operator', { officeCode: '5108' });
  supervisor = await createOperatorSession(ctx, 'supervisor', { officeCode: '5108' });
  courier = await createOperatorSession(ctx, 'courier', { officeCode: '7310' });
  bulelengCourier = await createOperatorSession(ctx, 'courier', { officeCode: '5108' });
});
afterAll(async () => {
  await ctx?.close();
});

const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;
const codeOf = async (res: Response) => (await json<{ code: string }>(res)).code;

type Detail = {
  status: string;
  number: string;
  history: { status: string; by: string; corrections?: string[]; note?: string }[];
  attachments: { id: string; kind: string; contentType: string; size: number }[];
  documents?: { id: string; type: string; number: string; checkCode: string; sha256: string }[];
  delivery?: { status: string; receivedBy?: string };
  corrections?: string[];
};

describe('GET /v1/services', () => {
  it('lists the nine types with requirements, a JSON Schema of their details, outputs, a 24 h SLA and fulfilment', async () => {
    const res = await ctx.app.request('/v1/services');
    expect(res.status).toBe(200);
    const { items } = await json<{ items: { type: string; requirements: { kind: string; required: boolean }[]; detailsSchema: { type: string; properties: Record<string, unknown> }; outputs: string[]; slaHours: number; fulfilment: string[] }[] }>(res);
    expect(items.map((i) => i.type)).toEqual(
      expect.arrayContaining(['family_card_update', 'birth_certificate', 'death_certificate', 'move_out', 'move_in', 'kia', 'ktp_el_reprint', 'marriage_certificate', 'data_sync']),
    );
    for (const item of items) {
      expect(item.requirements.some((r) => r.required)).toBe(true);
      expect(item.detailsSchema.type).toBe('object');
      expect(item.outputs.length).toBeGreaterThan(0);
      expect(item.slaHours).toBe(24);
    }
    const birth = items.find((i) => i.type === 'birth_certificate')!;
    expect(birth.outputs).toEqual(['birth_certificate', 'family_card', 'kia']);
    expect(Object.keys(birth.detailsSchema.properties)).toContain('childName');
    expect(items.find((i) => i.type === 'ktp_el_reprint')!.fulfilment).toEqual(['pickup', 'delivery']);
  });

  it('appears in /openapi.json', async () => {
    const doc = await json<{ paths: Record<string, unknown> }>(await ctx.app.request('/openapi.json'));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/services', '/v1/me/service-requests', '/v1/operator/service-requests/{id}/transition']));
  });
});

describe('the whole path, one type per fulfilment', () => {
  it('download (data_sync): submitted → in_review → processing → completed; the PDF downloads; each step mailed and audited', async () => {
    const created = await submitRequest(ctx, arif, REQUESTS.data_sync);
    expect(created.status).toBe('submitted');
    expect(created.number).toMatch(/^7310-\d{8}-\d{6}$/);
    expect(Date.parse(created.slaDueAt) - ctx.clock.now().getTime()).toBe(24 * 3600_000);

    await walk(ctx, pangkep.token, created.id, [{ to: 'in_review' }, { to: 'processing' }, { to: 'completed', note: 'Selesai' }]);

    const detail = await json<Detail>(await asResident(ctx, arif, 'GET', `/v1/me/service-requests/${created.id}`));
    expect(detail.status).toBe('completed');
    expect(detail.history.map((h) => `${h.status}:${h.by}`)).toEqual(['submitted:resident', 'in_review:operator', 'processing:operator', 'completed:operator']);
    expect(detail.attachments.map((a) => [a.kind, a.contentType]).sort()).toEqual([['kk', 'application/pdf'], ['ktp_el', 'image/jpeg']]);
    expect(detail.documents).toHaveLength(1);
    const doc = detail.documents![0]!;
    expect(doc.type).toBe('data_sync_statement');

    const file = await asResident(ctx, arif, 'GET', `/v1/me/service-requests/${created.id}/documents/${doc.id}.pdf`);
    expect(file.status).toBe(200);
    expect(file.headers.get('Content-Type')).toBe('application/pdf');
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(doc.sha256);

    const mails = await statusMails(ctx, arif.email);
    expect(mails.filter((m) => m.subject.includes(created.number))).toHaveLength(4);
    expect(await auditActions(ctx, created.id)).toEqual(['service_request.create', 'in_review', 'processing', 'completed']);

    const list = await json<{ items: { id: string; status: string }[] }>(await asResident(ctx, arif, 'GET', '/v1/me/service-requests'));
    expect(list.items.find((i) => i.id === created.id)?.status).toBe('completed');
  });

  it('pickup (family_card_update): completed → picked_up, and not out_for_delivery', async () => {
    const created = await submitRequest(ctx, arif, REQUESTS.family_card_update);
    await walk(ctx, pangkep.token, created.id, [{ to: 'in_review' }, { to: 'processing' }, { to: 'completed' }]);
    const wrong = await transition(ctx, pangkep.token, created.id, { to: 'out_for_delivery' });
    expect(wrong.status).toBe(409);
    expect(await codeOf(wrong)).toBe('invalid_transition');
    await walk(ctx, pangkep.token, created.id, [{ to: 'picked_up' }]);
    const detail = await json<Detail>(await asResident(ctx, arif, 'GET', `/v1/me/service-requests/${created.id}`));
    expect(detail.status).toBe('picked_up');
    expect(detail.documents?.map((d) => d.type)).toEqual(['family_card']);
  });

  it('delivery (ktp_el_reprint): the courier takes it out, fails once with a reason, goes again, delivers with receivedBy', async () => {
    const created = await submitRequest(ctx, arif, REQUESTS.ktp_el_reprint);
    // Before completion the courier does not see it at all.
    expect((await asOperator(ctx, courier.token, 'GET', `/v1/operator/service-requests/${created.id}`)).status).toBe(404);
    await walk(ctx, pangkep.token, created.id, [{ to: 'in_review' }, { to: 'processing' }, { to: 'completed' }]);

    const queue = await json<{ items: { id: string }[] }>(await asOperator(ctx, courier.token, 'GET', '/v1/operator/service-requests'));
    expect(queue.items.map((i) => i.id)).toContain(created.id);
    const other = await json<{ items: { id: string }[] }>(await asOperator(ctx, bulelengCourier.token, 'GET', '/v1/operator/service-requests'));
    expect(other.items.map((i) => i.id)).not.toContain(created.id);
    expect((await transition(ctx, bulelengCourier.token, created.id, { to: 'out_for_delivery' })).status).toBe(404);

    // The courier's view offers the courier's steps only, from the state machine.
    const steps = async () => (await json<{ allowedSteps: string[] }>(await asOperator(ctx, courier.token, 'GET', `/v1/operator/service-requests/${created.id}`))).allowedSteps;
    expect(await steps()).toEqual(['out_for_delivery']);
    const out = await transition(ctx, courier.token, created.id, { to: 'out_for_delivery' });
    expect(out.status).toBe(200);
    // The answer carries the steps from the new status, so the page needs no second read.
    expect(((await out.json()) as { allowedSteps: string[] }).allowedSteps.sort()).toEqual(['delivered', 'delivery_failed']);
    expect((await steps()).sort()).toEqual(['delivered', 'delivery_failed']);
    const noReason = await transition(ctx, courier.token, created.id, { to: 'delivery_failed' });
    expect(noReason.status).toBe(400);
    await walk(ctx, courier.token, created.id, [{ to: 'delivery_failed', reason: 'Rumah kosong' }, { to: 'out_for_delivery' }]);
    const noName = await transition(ctx, courier.token, created.id, { to: 'delivered' });
    expect(noName.status).toBe(400);
    await walk(ctx, courier.token, created.id, [{ to: 'delivered', receivedBy: 'HASNAWATI (istri)' }]);

    const detail = await json<Detail>(await asResident(ctx, arif, 'GET', `/v1/me/service-requests/${created.id}`));
    expect(detail.status).toBe('delivered');
    expect(detail.delivery).toMatchObject({ status: 'delivered', receivedBy: 'HASNAWATI (istri)' });
    expect(detail.history.map((h) => `${h.status}:${h.by}`).slice(-4)).toEqual([
      'out_for_delivery:courier',
      'delivery_failed:courier',
      'out_for_delivery:courier',
      'delivered:courier',
    ]);
    // A delivered request leaves the courier's list.
    const after = await json<{ items: { id: string }[] }>(await asOperator(ctx, courier.token, 'GET', '/v1/operator/service-requests'));
    expect(after.items.map((i) => i.id)).not.toContain(created.id);
  });

  it('a courier cannot take an office step, nor reach the registration console', async () => {
    const created = await submitRequest(ctx, arif, REQUESTS.ktp_el_reprint);
    await walk(ctx, pangkep.token, created.id, [{ to: 'in_review' }, { to: 'processing' }]);
    expect((await transition(ctx, courier.token, created.id, { to: 'completed' })).status).toBe(404);
    const lookup = await asOperator(ctx, courier.token, 'POST', '/v1/operator/registrations/lookup', { qr: 'x' });
    expect(lookup.status).toBe(403);
    expect((await asOperator(ctx, courier.token, 'GET', '/v1/operator/me')).status).toBe(200);
  });
});

describe('creating a request', () => {
  // The refusals below count toward arif's hourly limit too; each test starts with a fresh window.
  beforeEach(() => forgetRequestRateLimit(ctx, arif));

  it('ten requests an hour per account: the eleventh is 429 rate_limited with Retry-After, and stores nothing', async () => {
    const busy = await createActiveResident(ctx);
    for (let i = 0; i < SERVICE_REQUEST_RATE_LIMIT.limit; i++) {
      expect((await asResident(ctx, busy, 'POST', '/v1/me/service-requests', REQUESTS.data_sync)).status).toBe(201);
    }
    const refused = await asResident(ctx, busy, 'POST', '/v1/me/service-requests', REQUESTS.data_sync);
    expect(refused.status).toBe(429);
    expect(await codeOf(refused)).toBe('rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const stored = await ctx.deps.db.select({ id: serviceRequests.id }).from(serviceRequests).where(eq(serviceRequests.accountId, busy.accountId));
    expect(stored).toHaveLength(SERVICE_REQUEST_RATE_LIMIT.limit);
    // Another holder is not affected.
    expect((await asResident(ctx, kadek, 'POST', '/v1/me/service-requests', REQUESTS.data_sync)).status).toBe(201);
  });
  it('a missing required attachment is 422 requirements_missing, listing the kinds', async () => {
    const res = await asResident(ctx, arif, 'POST', '/v1/me/service-requests', { ...REQUESTS.data_sync, attachments: [jpeg('ktp_el')] });
    expect(res.status).toBe(422);
    const body = await json<{ code: string; missing: string[] }>(res);
    expect(body.code).toBe('requirements_missing');
    expect(body.missing).toEqual(['kk']);
  });

  it('JPEG bytes named .pdf are refused, and so are bytes that are no PDF, JPEG or PNG', async () => {
    const fake = { kind: 'kk', filename: 'kk.pdf', dataUrl: dataUrl(JPEG_BYTES, 'application/pdf') };
    const res = await asResident(ctx, arif, 'POST', '/v1/me/service-requests', { ...REQUESTS.data_sync, attachments: [jpeg('ktp_el'), fake] });
    expect(res.status).toBe(415);
    expect(await codeOf(res)).toBe('unsupported_media_type');
    const named = { kind: 'kk', filename: 'kk.pdf', dataUrl: dataUrl(JPEG_BYTES, 'image/jpeg') };
    expect((await asResident(ctx, arif, 'POST', '/v1/me/service-requests', { ...REQUESTS.data_sync, attachments: [jpeg('ktp_el'), named] })).status).toBe(415);
    const html = { kind: 'kk', filename: 'kk.jpg', dataUrl: dataUrl(new Uint8Array(Buffer.from('<html><script>alert(1)</script>')), 'image/jpeg') };
    expect((await asResident(ctx, arif, 'POST', '/v1/me/service-requests', { ...REQUESTS.data_sync, attachments: [jpeg('ktp_el'), html] })).status).toBe(415);
  });

  it('a file over 2 MB is 413; more than 8 is 400; bodies up to 20 MiB are taken here but not elsewhere', async () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(JPEG_BYTES);
    const tooBig = await asResident(ctx, arif, 'POST', '/v1/me/service-requests', { ...REQUESTS.data_sync, attachments: [jpeg('ktp_el'), { kind: 'kk', filename: 'kk.jpg', dataUrl: dataUrl(big, 'image/jpeg') }] });
    expect(tooBig.status).toBe(413);
    expect(await codeOf(tooBig)).toBe('payload_too_large');

    const nine = Array.from({ length: 9 }, () => jpeg('kk'));
    const many = await asResident(ctx, arif, 'POST', '/v1/me/service-requests', { ...REQUESTS.data_sync, attachments: nine });
    expect(many.status).toBe(400);

    // Three 1.9 MB files: ~7.6 MB of JSON, over the 1 MiB default.
    const large = new Uint8Array(1_900_000);
    large.set(JPEG_BYTES);
    const body = { ...REQUESTS.data_sync, attachments: [jpeg('ktp_el'), { kind: 'kk', filename: 'kk.jpg', dataUrl: dataUrl(large, 'image/jpeg') }, { kind: 'selfie_ktp', filename: 's.jpg', dataUrl: dataUrl(large, 'image/jpeg') }] };
    const ok = await asResident(ctx, arif, 'POST', '/v1/me/service-requests', body);
    expect(ok.status).toBe(201);
    const elsewhere = await asResident(ctx, arif, 'PUT', '/v1/me/pin', { currentPin: 'x'.repeat(2 * 1024 * 1024), newPin: '1' });
    expect(elsewhere.status).toBe(413);
  });

  it('details are validated per type (400 with the field), the type and fulfilment too; delivery needs an address', async () => {
    const bad = await asResident(ctx, arif, 'POST', '/v1/me/service-requests', { ...REQUESTS.data_sync, details: { items: [] } });
    expect(bad.status).toBe(400);
    const body = await json<{ code: string; errors: { path: string }[] }>(bad);
    expect(body.code).toBe('invalid_request');
    expect(body.errors.map((e) => e.path)).toContain('details.items');
    expect((await asResident(ctx, arif, 'POST', '/v1/me/service-requests', { ...REQUESTS.data_sync, type: 'passport' })).status).toBe(400);
    expect((await asResident(ctx, arif, 'POST', '/v1/me/service-requests', { ...REQUESTS.ktp_el_reprint, fulfilment: 'download' })).status).toBe(400);
    const { deliveryAddress: _, ...noAddress } = REQUESTS.ktp_el_reprint;
    expect((await asResident(ctx, arif, 'POST', '/v1/me/service-requests', noAddress)).status).toBe(400);
    expect((await asResident(ctx, arif, 'POST', '/v1/me/service-requests', { ...REQUESTS.data_sync, attachments: [...REQUESTS.data_sync.attachments, jpeg('passport')] })).status).toBe(400);
  });

  it('needs a resident session', async () => {
    expect((await ctx.app.request('/v1/me/service-requests', jsonRequest('POST', REQUESTS.data_sync))).status).toBe(401);
  });
});

describe('corrections, cancel, rating', () => {
  it('corrections loop: needs_correction lists kinds; without them 422; with them back to submitted with a fresh SLA', async () => {
    const created = await submitRequest(ctx, arif);
    await walk(ctx, pangkep.token, created.id, [{ to: 'in_review' }]);
    expect((await transition(ctx, pangkep.token, created.id, { to: 'needs_correction' })).status).toBe(400);
    expect((await transition(ctx, pangkep.token, created.id, { to: 'needs_correction', corrections: ['passport'] })).status).toBe(400);
    await walk(ctx, pangkep.token, created.id, [{ to: 'needs_correction', corrections: ['kk'], note: 'Foto KK buram' }]);

    const asked = await json<Detail>(await asResident(ctx, arif, 'GET', `/v1/me/service-requests/${created.id}`));
    expect(asked.corrections).toEqual(['kk']);
    expect(asked.history.at(-1)).toMatchObject({ status: 'needs_correction', corrections: ['kk'], note: 'Foto KK buram', by: 'operator' });
    const mail = (await statusMails(ctx, arif.email)).find((m) => m.subject.includes(created.number) && m.text.includes('perlu dilengkapi'));
    expect(mail?.text).toContain('Yang perlu diperbaiki: kk');

    const without = await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${created.id}/corrections`, { attachments: [jpeg('ktp_el')] });
    expect(without.status).toBe(422);
    expect(await codeOf(without)).toBe('requirements_missing');

    ctx.clock.advance(10 * 60_000);
    const fixed = await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${created.id}/corrections`, { attachments: [pdf('kk', 'kk-baru.pdf')], note: 'Sudah difoto ulang' });
    expect(fixed.status).toBe(200);
    const again = await json<{ status: string; slaDueAt: string }>(fixed);
    expect(again.status).toBe('submitted');
    expect(Date.parse(again.slaDueAt)).toBe(ctx.clock.now().getTime() + 24 * 3600_000);
    const detail = await json<Detail>(await asResident(ctx, arif, 'GET', `/v1/me/service-requests/${created.id}`));
    // The new KK replaced the old one.
    expect(detail.attachments.filter((a) => a.kind === 'kk')).toHaveLength(1);
    expect(detail.history.map((h) => h.status)).toEqual(['submitted', 'in_review', 'needs_correction', 'submitted']);

    const twice = await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${created.id}/corrections`, { attachments: [pdf('kk')] });
    expect(twice.status).toBe(409);
    expect(await codeOf(twice)).toBe('invalid_transition');
  });

  it('cancel works before processing and is 409 invalid_transition from processing on', async () => {
    const early = await submitRequest(ctx, arif);
    const cancelled = await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${early.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect((await json<{ status: string }>(cancelled)).status).toBe('cancelled');

    const reviewing = await submitRequest(ctx, arif);
    await walk(ctx, pangkep.token, reviewing.id, [{ to: 'in_review' }]);
    expect((await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${reviewing.id}/cancel`)).status).toBe(200);

    const late = await submitRequest(ctx, arif);
    await walk(ctx, pangkep.token, late.id, [{ to: 'in_review' }, { to: 'processing' }]);
    const refused = await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${late.id}/cancel`);
    expect(refused.status).toBe(409);
    expect(await codeOf(refused)).toBe('invalid_transition');
    // The office cannot cancel on the holder's behalf either.
    expect((await transition(ctx, pangkep.token, late.id, { to: 'cancelled' })).status).toBe(409);
  });

  it('rating: only once, only after completion, 1..4', async () => {
    const created = await submitRequest(ctx, arif);
    const early = await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${created.id}/rating`, { score: 4 });
    expect(early.status).toBe(409);
    await walk(ctx, pangkep.token, created.id, [{ to: 'in_review' }, { to: 'processing' }, { to: 'completed' }]);
    expect((await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${created.id}/rating`, { score: 5 })).status).toBe(400);
    expect((await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${created.id}/rating`, { score: 0 })).status).toBe(400);
    const first = await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${created.id}/rating`, { score: 3, comment: 'Cepat' });
    expect(first.status).toBe(201);
    const second = await asResident(ctx, arif, 'POST', `/v1/me/service-requests/${created.id}/rating`, { score: 4 });
    expect(second.status).toBe(409);
    expect(await codeOf(second)).toBe('already_rated');
    const detail = await json<{ rating: { score: number } }>(await asResident(ctx, arif, 'GET', `/v1/me/service-requests/${created.id}`));
    expect(detail.rating.score).toBe(3);
  });
});

describe('a request is only its holder’s and its office’s', () => {
  it('another resident gets 404 on every route of it', async () => {
    const created = await submitRequest(ctx, arif);
    await walk(ctx, pangkep.token, created.id, [{ to: 'in_review' }, { to: 'processing' }, { to: 'completed' }]);
    const detail = await json<Detail>(await asResident(ctx, arif, 'GET', `/v1/me/service-requests/${created.id}`));
    const docId = detail.documents![0]!.id;
    for (const [method, path, body] of [
      ['GET', `/v1/me/service-requests/${created.id}`],
      ['POST', `/v1/me/service-requests/${created.id}/corrections`, { attachments: [jpeg('kk')] }],
      ['POST', `/v1/me/service-requests/${created.id}/cancel`],
      ['POST', `/v1/me/service-requests/${created.id}/rating`, { score: 4 }],
      ['GET', `/v1/me/service-requests/${created.id}/documents/${docId}.pdf`],
    ] as const) {
      const res = await asResident(ctx, kadek, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await codeOf(res)).toBe('not_found');
    }
    const mine = await json<{ items: { id: string }[] }>(await asResident(ctx, kadek, 'GET', '/v1/me/service-requests'));
    expect(mine.items.map((i) => i.id)).not.toContain(created.id);
  });

  it('an operator of another office gets 404 and does not see it in the queue; a supervisor of any office does', async () => {
    const created = await submitRequest(ctx, arif);
    const detail = await json<Detail>(await asResident(ctx, arif, 'GET', `/v1/me/service-requests/${created.id}`));
    const attachmentId = detail.attachments[0]!.id;
    for (const [method, path, body] of [
      ['GET', `/v1/operator/service-requests/${created.id}`],
      ['GET', `/v1/operator/service-requests/${created.id}/attachments/${attachmentId}`],
      ['POST', `/v1/operator/service-requests/${created.id}/transition`, { to: 'in_review' }],
    ] as const) {
      const res = await asOperator(ctx, buleleng.token, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await codeOf(res)).toBe('not_found');
    }
    const theirs = await json<{ items: { id: string }[] }>(await asOperator(ctx, buleleng.token, 'GET', '/v1/operator/service-requests'));
    expect(theirs.items.map((i) => i.id)).not.toContain(created.id);
    const all = await json<{ items: { id: string }[] }>(await asOperator(ctx, supervisor.token, 'GET', '/v1/operator/service-requests?status=submitted'));
    expect(all.items.map((i) => i.id)).toContain(created.id);
    expect((await asOperator(ctx, supervisor.token, 'GET', `/v1/operator/service-requests/${created.id}`)).status).toBe(200);
  });

  it('the office reads the request beside the registry record; attachments come as downloads of their own type, nosniff', async () => {
    const created = await submitRequest(ctx, arif);
    const res = await asOperator(ctx, pangkep.token, 'GET', `/v1/operator/service-requests/${created.id}`);
    expect(res.status).toBe(200);
    const body = await json<Detail & { resident: { nik: string; name: string }; overdue: boolean }>(res);
    expect(body.resident).toMatchObject({ nik: arif.nik, name: arif.name });
    expect(body.overdue).toBe(false);
    const jpg = body.attachments.find((a) => a.kind === 'ktp_el')!;
    const file = await asOperator(ctx, pangkep.token, 'GET', `/v1/operator/service-requests/${created.id}/attachments/${jpg.id}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('Content-Type')).toBe('image/jpeg');
    expect(file.headers.get('Content-Disposition')).toMatch(/^attachment;/);
    expect(file.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(JPEG_BYTES);
    const [stored] = await ctx.deps.db.select({ size: serviceRequestAttachments.size }).from(serviceRequestAttachments).where(eq(serviceRequestAttachments.id, jpg.id));
    expect(stored!.size).toBe(JPEG_BYTES.length);
    expect((await asOperator(ctx, pangkep.token, 'GET', `/v1/operator/service-requests/${created.id}/attachments/att_nope`)).status).toBe(404);
  });

  it('the queue is oldest first, flags overdue past the SLA, filters by overdue, status and type', async () => {
    const older = await submitRequest(ctx, arif);
    ctx.clock.advance(60_000);
    const newer = await submitRequest(ctx, arif, REQUESTS.family_card_update);
    const queue = await json<{ items: { id: string; overdue: boolean; slaDueAt: string }[] }>(await asOperator(ctx, pangkep.token, 'GET', '/v1/operator/service-requests?status=submitted'));
    const ids = queue.items.map((i) => i.id);
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));
    expect(queue.items.find((i) => i.id === older.id)?.overdue).toBe(false);

    ctx.clock.advance(24 * 3600_000);
    const fresh = (await createOperatorSession(ctx, 'operator', { officeCode: '7310' })).token; // sessions end after 12 h
    const late = await json<{ items: { id: string; overdue: boolean }[] }>(await asOperator(ctx, fresh, 'GET', '/v1/operator/service-requests?overdue=true'));
    expect(late.items.find((i) => i.id === older.id)?.overdue).toBe(true);
    expect(late.items.every((i) => i.overdue)).toBe(true);
    const typed = await json<{ items: { id: string }[] }>(await asOperator(ctx, fresh, 'GET', '/v1/operator/service-requests?type=family_card_update'));
    expect(typed.items.map((i) => i.id)).toContain(newer.id);
    expect(typed.items.map((i) => i.id)).not.toContain(older.id);
    expect((await asOperator(ctx, fresh, 'GET', '/v1/operator/service-requests?status=nonsense')).status).toBe(400);
    expect((await ctx.app.request('/v1/operator/service-requests')).status).toBe(401);
  });
});
