/** Pelayanan test helpers: small real files (PDF, JPEG, PNG magic bytes), data URLs, and request/transition calls. */
import { and, eq } from 'drizzle-orm';
import { auditLog, outbox, rateLimits, serviceRequests } from '../../src/db/schema/index.js';
import { jsonRequest, type TestContext } from './context.js';
import { operatorAuth } from './operator.js';
import { asResident, type ActiveResident } from './resident.js';

export const PDF_BYTES = new Uint8Array(Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1'));
export const JPEG_BYTES = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]);
export const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);

export const dataUrl = (bytes: Uint8Array, type: string) => `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;

export const jpeg = (kind: string, filename = `${kind}.jpg`) => ({ kind, filename, dataUrl: dataUrl(JPEG_BYTES, 'image/jpeg') });
export const pdf = (kind: string, filename = `${kind}.pdf`) => ({ kind, filename, dataUrl: dataUrl(PDF_BYTES, 'application/pdf') });
export const png = (kind: string, filename = `${kind}.png`) => ({ kind, filename, dataUrl: dataUrl(PNG_BYTES, 'image/png') });

export const DELIVERY_ADDRESS = {
  street: 'JL. SULTAN HASANUDDIN NO. 27',
  rt: '002',
  rw: '001',
  village: 'TUMAMPUA',
  district: 'PANGKAJENE',
  regency: 'KABUPATEN PANGKAJENE DAN KEPULAUAN',
  province: 'SULAWESI SELATAN',
  postalCode: '90611',
  phone: '+6281234567890',
};

/** A valid body for each fulfilment example type. */
export const REQUESTS = {
  data_sync: {
    type: 'data_sync',
    details: { items: [{ element: 'birthPlace', registryValue: 'PANGKEP', correctValue: 'PANGKAJENE' }], purpose: 'BPJS Kesehatan' },
    attachments: [jpeg('ktp_el'), pdf('kk')],
    fulfilment: 'download',
  },
  family_card_update: {
    type: 'family_card_update',
    details: { reason: 'change_data', description: 'Pendidikan anak berubah' },
    attachments: [jpeg('kk'), pdf('formulir_f1_01'), png('ktp_el')],
    fulfilment: 'pickup',
  },
  ktp_el_reprint: {
    type: 'ktp_el_reprint',
    details: { reason: 'lost', policeReportNumber: 'LP/123/XI/2026' },
    attachments: [jpeg('kk'), pdf('surat_kehilangan')],
    fulfilment: 'delivery',
    deliveryAddress: DELIVERY_ADDRESS,
  },
} as const;

export interface Created {
  id: string;
  number: string;
  status: string;
  slaDueAt: string;
}

export async function submitRequest(ctx: TestContext, resident: ActiveResident, body: unknown = REQUESTS.data_sync): Promise<Created> {
  // Fixtures, not a resident's pace: the table-driven tests create hundreds of requests for one holder in one test
  // hour. The per-account limit itself is tested with direct POSTs (service-requests.test.ts).
  await forgetRequestRateLimit(ctx, resident);
  const res = await asResident(ctx, resident, 'POST', '/v1/me/service-requests', body);
  if (res.status !== 201) throw new Error(`service request failed in test helper: ${res.status} ${await res.text()}`);
  return (await res.json()) as Created;
}

export async function forgetRequestRateLimit(ctx: TestContext, resident: ActiveResident): Promise<void> {
  await ctx.deps.db.delete(rateLimits).where(eq(rateLimits.key, `service-request:account:${resident.accountId}`));
}

export const asOperator = (ctx: TestContext, token: string, method: string, path: string, body?: unknown) =>
  ctx.app.request(path, jsonRequest(method, body, operatorAuth(token)));

export const transition = (ctx: TestContext, token: string, id: string, body: Record<string, unknown>) =>
  asOperator(ctx, token, 'POST', `/v1/operator/service-requests/${id}/transition`, body);

/** Takes the steps in order, failing the test on anything but 200. */
export async function walk(ctx: TestContext, token: string, id: string, steps: Array<Record<string, unknown>>): Promise<void> {
  for (const step of steps) {
    const res = await transition(ctx, token, id, step);
    if (res.status !== 200) throw new Error(`transition ${JSON.stringify(step)} failed: ${res.status} ${await res.text()}`);
  }
}

/** Forces a request into a status (test setup only: what the table-driven tests start from). */
export async function forceStatus(ctx: TestContext, id: string, status: string, fulfilment?: string): Promise<void> {
  await ctx.deps.db
    .update(serviceRequests)
    .set({ status, ...(fulfilment ? { fulfilment: fulfilment as 'download' } : {}), ...(status === 'needs_correction' ? { corrections: ['kk'] } : {}) })
    .where(eq(serviceRequests.id, id));
}

export async function statusMails(ctx: TestContext, to: string) {
  return ctx.deps.db
    .select({ subject: outbox.subject, text: outbox.text })
    .from(outbox)
    .where(and(eq(outbox.to, to), eq(outbox.template, 'service_request_status')))
    .orderBy(outbox.createdAt);
}

export async function auditActions(ctx: TestContext, requestId: string): Promise<string[]> {
  const rows = await ctx.deps.db
    .select({ action: auditLog.action, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'service_request'), eq(auditLog.targetId, requestId)))
    .orderBy(auditLog.seq);
  return rows.map((r) => (r.action === 'service_request.transition' ? `${(r.details as { to: string }).to}` : r.action));
}

