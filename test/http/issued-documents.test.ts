/**
 * Issued documents (issue #13 point 4): issueDocument in a transaction makes a PDF a real PDF tool reads (poppler),
 * whose QR decodes to the check URL; the public check answers for the code and for the file, and an altered file fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp } from '../../src/app.js';
import { KeyRing, rotateKeyRing } from '../../src/crypto/keyring.js';
import { issueDocument, issuedDocumentPdf, type IssueDocumentInput } from '../../src/domain/issued-documents/issue.js';
import { normalizeCheckCode } from '../../src/domain/issued-documents/check-code.js';
import { maskName } from '../../src/domain/issued-documents/check.js';
import { DOCUMENT_CHECK_LIMIT } from '../../src/http/routes/document-check.js';
import { purgeExpiredRows } from '../../src/domain/maintenance/purge.js';
import { queryRows } from '../../src/db/types.js';
import { createTestContext, usingPostgres, type TestContext } from '../helpers/context.js';
import { asResident, createActiveResident, type ActiveResident } from '../helpers/resident.js';
import { createOperatorSession, operatorAuth } from '../helpers/operator.js';
import { jsonRequest } from '../helpers/context.js';

let ctx: TestContext;
let holder: ActiveResident;
const work = mkdtempSync(join(tmpdir(), 'ikd-issued-'));

beforeAll(async () => {
  ctx = await createTestContext();
  holder = await createActiveResident(ctx);
});
afterAll(async () => {
  await ctx?.close();
});

function familyCardInput(overrides: Partial<IssueDocumentInput> = {}): IssueDocumentInput {
  return {
    accountId: holder.accountId,
    nik: holder.nik,
    holderName: holder.name,
    type: 'family_card',
    title: 'Kartu Keluarga',
    fields: {
      kk: '7310041203150007',
      headName: holder.name,
      street: 'JL. POROS PANGKEP NO. 12',
      rt: '002',
      rw: '001',
      village: 'MAPPASAILE',
      district: 'PANGKAJENE',
      regency: 'KABUPATEN PANGKAJENE DAN KEPULAUAN',
      province: 'SULAWESI SELATAN',
      postalCode: '90611',
      members: [
        { nik: holder.nik, name: holder.name, sex: 'LAKI-LAKI', birthPlace: 'PANGKAJENE', birthDate: '1990-04-12', religion: 'ISLAM', education: 'SLTA/SEDERAJAT', occupation: 'NELAYAN/PERIKANAN', maritalStatus: 'KAWIN', relationship: 'KEPALA KELUARGA', citizenship: 'WNI', fatherName: 'ABDUL RAHMAN', motherName: 'SITTI AMINAH' },
        { nik: '7310045504920002', name: 'NURHAYATI', sex: 'PEREMPUAN', birthPlace: 'MAROS', birthDate: '1992-04-15', religion: 'ISLAM', education: 'DIPLOMA III', occupation: 'MENGURUS RUMAH TANGGA', maritalStatus: 'KAWIN', relationship: 'ISTRI', citizenship: 'WNI', fatherName: 'MUHAMMAD YUSUF', motherName: 'HASNAH' },
      ],
    },
    officeCode: '7310',
    serviceRequestId: null,
    issuedAt: ctx.clock.now(),
    ...overrides,
  };
}

const issue = (input: IssueDocumentInput) => ctx.deps.db.transaction((tx) => issueDocument(ctx.deps, tx, input));

function pdftotext(pdf: Uint8Array): string {
  const file = join(work, `doc-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function qrOfPage1(pdf: Uint8Array): string | null {
  const base = join(work, `page-${Math.random().toString(36).slice(2)}`);
  writeFileSync(`${base}.pdf`, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', '-singlefile', `${base}.pdf`, base]);
  const png = PNG.sync.read(readFileSync(`${base}.png`));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data ?? null;
}

describe('issueDocument', () => {
  it('stores a family card PDF that pdftotext reads and whose QR is the check URL', async () => {
    const ref = await issue(familyCardInput());
    expect(ref.type).toBe('family_card');
    expect(ref.number).toBe('7310041203150007');
    expect(ref.checkCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    const pdf = await issuedDocumentPdf(ctx.deps, holder.accountId, ref.id);
    expect(pdf).not.toBeNull();
    expect(Buffer.from(pdf!.subarray(0, 5)).toString()).toBe('%PDF-');
    const text = pdftotext(pdf!);
    expect(text).toContain('KARTU KELUARGA');
    expect(text).toContain('7310041203150007');
    expect(text).toContain(holder.name);
    expect(text).toContain(holder.nik);
    expect(text).toContain('NURHAYATI');
    expect(text).toContain('DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL');
    expect(text).toContain('KABUPATEN PANGKAJENE DAN KEPULAUAN');
    expect(text).toContain(`${ref.checkCode.slice(0, 5)}-${ref.checkCode.slice(5)}`);
    expect(qrOfPage1(pdf!)).toBe(`https://ikd.test/cek/${ref.checkCode}`);
  });
});

function birthCertificateInput(overrides: Partial<IssueDocumentInput> = {}): IssueDocumentInput {
  return familyCardInput({
    type: 'birth_certificate',
    title: 'Akta Kelahiran',
    fields: {
      childName: 'MUHAMMAD FAJAR',
      childNik: '7310041211260001',
      sex: 'LAKI-LAKI',
      birthPlace: 'PANGKAJENE',
      birthDate: '2026-11-12',
      childOrder: 2,
      fatherName: holder.name,
      motherName: 'NURHAYATI',
    },
    ...overrides,
  });
}

const pdfRequest = (body: Uint8Array, ip = '198.51.100.20'): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/pdf', 'CF-Connecting-IP': ip },
  body: new Uint8Array(body),
});
const get = (path: string, ip = '198.51.100.21') => ctx.app.request(path, { headers: { 'CF-Connecting-IP': ip } });

async function issuedPdf(input: IssueDocumentInput) {
  const ref = await issue(input);
  const pdf = await issuedDocumentPdf(ctx.deps, input.accountId, ref.id);
  return { ref, pdf: pdf! };
}

describe('akta and register numbers', () => {
  it('prints a birth certificate in the register style with a per-office, per-day running number', async () => {
    const first = await issuedPdf(birthCertificateInput());
    const second = await issue(birthCertificateInput());
    expect(first.ref.number).toMatch(/^7310-LT-\d{8}-\d{4}$/);
    const n = Number(first.ref.number.slice(-4));
    expect(second.number).toBe(`${first.ref.number.slice(0, -4)}${String(n + 1).padStart(4, '0')}`);
    const text = pdftotext(first.pdf);
    expect(text).toContain('KUTIPAN AKTA KELAHIRAN');
    expect(text).toContain(first.ref.number);
    expect(text).toContain('MUHAMMAD FAJAR');
    expect(text).toContain('7310041211260001');
    expect(text).toContain('DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL');
    expect(qrOfPage1(first.pdf)).toBe(`https://ikd.test/cek/${first.ref.checkCode}`);
  });

  it('prints a letter (SKPWNI) with the holder’s name, NIK and the office', async () => {
    const { ref, pdf } = await issuedPdf(
      familyCardInput({ type: 'skpwni', title: 'Surat Keterangan Pindah WNI', fields: { destinationAddress: 'JL. SUDIRMAN 5, KOTA PAREPARE', moveReason: 'PEKERJAAN' } }),
    );
    expect(ref.number).toMatch(/^SKPWNI\/7310\/\d{8}\/\d{4}$/);
    const text = pdftotext(pdf);
    expect(text).toContain(ref.number);
    expect(text).toContain(holder.name);
    expect(text).toContain(holder.nik);
    expect(text).toContain('JL. SUDIRMAN 5, KOTA PAREPARE');
    expect(text).toContain('KABUPATEN PANGKAJENE DAN KEPULAUAN');
  });
});

describe('long documents', () => {
  it('continues a large family on a second KK sheet, every sheet with the QR', async () => {
    const members = Array.from({ length: 14 }, (_, i) => ({ nik: `73100412049000${String(i + 1).padStart(2, '0')}`, name: `ANGGOTA KE ${i + 1}`, relationship: i === 0 ? 'KEPALA KELUARGA' : 'ANAK' }));
    const { ref, pdf } = await issuedPdf(familyCardInput({ fields: { kk: '7310041203150099', headOfFamilyNik: members[0]!.nik, members } }));
    const file = join(work, 'big-kk.pdf');
    writeFileSync(file, pdf);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBe(2);
    const text = pdftotext(pdf);
    for (const m of members) expect(text).toContain(m.name);
    expect(text).toContain('Lembar 2/2');
    expect(text.match(new RegExp(`${ref.checkCode.slice(0, 5)}-${ref.checkCode.slice(5)}`, 'g'))).toHaveLength(2);
  });
});

describe('GET /v1/documents/check/{code}', () => {
  it('answers valid with the document, the office and a masked holder name; the code may be typed loosely', async () => {
    const { ref } = await issuedPdf(familyCardInput());
    const res = await get(`/v1/documents/check/${ref.checkCode}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      valid: true,
      type: 'family_card',
      number: '7310041203150007',
      checkCode: ref.checkCode,
      issuedBy: 'Dinas Kependudukan dan Pencatatan Sipil KABUPATEN PANGKAJENE DAN KEPULAUAN',
      sha256: ref.sha256,
      holder: { name: maskName(holder.name) },
    });
    expect(body.issuedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.holder.name).not.toBe(holder.name);
    expect(JSON.stringify(body)).not.toContain(holder.nik);
    const typed = `${ref.checkCode.slice(0, 5)}-${ref.checkCode.slice(5)}`.toLowerCase();
    expect((await get(`/v1/documents/check/${typed}`)).status).toBe(200);
  });

  it('answers 404 not_found for an unknown or malformed code', async () => {
    for (const code of ['ZZZZZZZZZZ', 'abc', 'UUUUUUUUUU', '%27%20OR%201%3D1']) {
      const res = await get(`/v1/documents/check/${code}`);
      expect(res.status).toBe(404);
      expect((await res.json()).code).toBe('not_found');
    }
  });

  it('answers valid: false when the stored issuing data was changed after signing', async () => {
    const { ref } = await issuedPdf(familyCardInput());
    await ctx.deps.db.execute(sql`UPDATE issued_documents SET holder_name = 'SOMEONE ELSE' WHERE id = ${ref.id}`);
    const body = await (await get(`/v1/documents/check/${ref.checkCode}`)).json();
    expect(body.valid).toBe(false);
  });

  it('still verifies a document signed under a key that was rotated out of current', async () => {
    const { ref, pdf } = await issuedPdf(familyCardInput());
    const oldKid = ctx.deps.keys.currentKid;
    const rotated = new KeyRing(rotateKeyRing(ctx.deps.keys.stored));
    expect(rotated.currentKid).not.toBe(oldKid);
    const app = createApp({ ...ctx.deps, keys: rotated });
    const byCode = await app.request(`/v1/documents/check/${ref.checkCode}`, { headers: { 'CF-Connecting-IP': '198.51.100.30' } });
    expect((await byCode.json()).valid).toBe(true);
    const byFile = await app.request('/v1/documents/check', pdfRequest(pdf, '198.51.100.30'));
    expect((await byFile.json()).valid).toBe(true);
    // A ring that no longer holds the signing key (rotated twice) cannot vouch for it.
    const twice = new KeyRing(rotateKeyRing(rotated.stored));
    const stale = createApp({ ...ctx.deps, keys: twice });
    const res = await stale.request(`/v1/documents/check/${ref.checkCode}`, { headers: { 'CF-Connecting-IP': '198.51.100.30' } });
    expect((await res.json()).valid).toBe(false);
  });

  it(`is rate-limited per IP (${DOCUMENT_CHECK_LIMIT.limit} a minute)`, async () => {
    const ip = '198.51.100.99';
    let last = 0;
    for (let i = 0; i <= DOCUMENT_CHECK_LIMIT.limit; i++) last = (await get('/v1/documents/check/ZZZZZZZZZZ', ip)).status;
    expect(last).toBe(429);
    expect((await get('/v1/documents/check/ZZZZZZZZZZ', '198.51.100.98')).status).toBe(404);
  });
});

describe('POST /v1/documents/check', () => {
  it('answers the same as the code for the genuine file, valid: false for one byte changed', async () => {
    const { ref, pdf } = await issuedPdf(familyCardInput());
    const byCode = await (await get(`/v1/documents/check/${ref.checkCode}`)).json();
    const res = await ctx.app.request('/v1/documents/check', pdfRequest(pdf));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(byCode);

    const altered = new Uint8Array(pdf);
    const at = Math.floor(altered.length / 2);
    altered[at] = altered[at]! ^ 0x01;
    const bad = await ctx.app.request('/v1/documents/check', pdfRequest(altered));
    expect(bad.status).toBe(200);
    const body = await bad.json();
    expect(body.valid).toBe(false);
    expect(body.sha256).not.toBe(ref.sha256);
    expect(body.holder).toBeUndefined();
  });

  it('refuses another content type (415) and an empty body (400); a body over 5 MB is 413', async () => {
    const wrong = await ctx.app.request('/v1/documents/check', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(wrong.status).toBe(415);
    expect((await wrong.json()).code).toBe('unsupported_media_type');
    const empty = await ctx.app.request('/v1/documents/check', pdfRequest(new Uint8Array(0)));
    expect(empty.status).toBe(400);
    const big = await ctx.app.request('/v1/documents/check', pdfRequest(new Uint8Array(5 * 1024 * 1024 + 1)));
    expect(big.status).toBe(413);
    expect((await big.json()).code).toBe('payload_too_large');
    // 5 MB exactly is accepted by the limit (and is no issued document).
    const max = await ctx.app.request('/v1/documents/check', pdfRequest(new Uint8Array(5 * 1024 * 1024)));
    expect(max.status).toBe(200);
    expect((await max.json()).valid).toBe(false);
  });
});

describe('OpenAPI', () => {
  it('documents the check routes, the file route with its application/pdf body', async () => {
    const doc = (await (await ctx.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }>> };
    expect(doc.paths['/v1/documents/check/{code}']?.get?.responses).toHaveProperty('404');
    expect(Object.keys(doc.paths['/v1/documents/check']?.post?.requestBody?.content ?? {})).toEqual(['application/pdf']);
    expect(doc.paths['/cek/{code}']?.get).toBeDefined();
  });
});

describe('/cek/{code}', () => {
  it('shows a genuine document in Indonesian, with its masked holder and the upload form', async () => {
    const { ref } = await issuedPdf(familyCardInput());
    const res = await get(`/cek/${ref.checkCode}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('lang="id"');
    expect(html).toContain('data-state="genuine"');
    expect(html).toContain('Dokumen dengan kode ini asli');
    expect(html).toContain(ref.number);
    expect(html).toContain(maskName(holder.name));
    expect(html).not.toContain(holder.nik);
    expect(html).toContain('enctype="multipart/form-data"');
    const en = await (await get(`/cek/${ref.checkCode}?lang=en`)).text();
    expect(en).toContain('The document with this code is genuine');
  });

  it('answers 404 with a page for an unknown code', async () => {
    const res = await get('/cek/ZZZZZZZZZZ');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('data-state="unknown"');
  });

  it('checks an uploaded file: genuine for the issued PDF, altered for one byte changed', async () => {
    const { ref, pdf } = await issuedPdf(familyCardInput());
    const upload = (bytes: Uint8Array) => {
      const form = new FormData();
      form.set('file', new File([new Uint8Array(bytes)], 'kk.pdf', { type: 'application/pdf' }));
      return ctx.app.request(`/cek/${ref.checkCode}`, { method: 'POST', body: form, headers: { 'CF-Connecting-IP': '198.51.100.40' } });
    };
    const good = await upload(pdf);
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('id="cek-file-result" data-state="genuine"');
    const altered = new Uint8Array(pdf);
    altered[altered.length - 40] = altered[altered.length - 40]! ^ 0x20;
    const bad = await upload(altered);
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain('id="cek-file-result" data-state="altered"');
  });
});

describe('check codes', () => {
  it('normalizes what people type and refuses what cannot be a code', () => {
    expect(normalizeCheckCode('ab12c-d34ef')).toBe('AB12CD34EF');
    expect(normalizeCheckCode('AB1IC D34EF')).toBe('AB11CD34EF');
    expect(normalizeCheckCode('0O0O0-LLLLL')).toBe('0000011111');
    expect(normalizeCheckCode('AB12CD34E')).toBeNull();
    expect(normalizeCheckCode('AB12CD34EU')).toBeNull();
    expect(maskName('ANDI MAPPASESSU')).toBe('AN** MA********');
    expect(maskName('LA ODE')).toBe('L* OD*');
  });
});

describe('GET /v1/me/documents', () => {
  it('lists the documents issued to the holder after the registry’s, and not another holder’s', async () => {
    const other = await createActiveResident(ctx);
    const before = (await (await asResident(ctx, other, 'GET', '/v1/me/documents')).json()) as { items: Array<Record<string, unknown>> };
    const ref = await issue(familyCardInput({ accountId: other.accountId, nik: other.nik, holderName: other.name, type: 'skpwni', title: 'Surat Keterangan Pindah WNI', fields: { moveReason: 'PEKERJAAN' } }));
    const res = await asResident(ctx, other, 'GET', '/v1/me/documents');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Array<Record<string, unknown>> };
    expect(items).toHaveLength(before.items.length + 1);
    expect(items.at(-1)).toMatchObject({
      type: 'skpwni',
      number: ref.number,
      title: 'Surat Keterangan Pindah WNI',
      issuedBy: 'Dinas Kependudukan dan Pencatatan Sipil KABUPATEN PANGKAJENE DAN KEPULAUAN',
      id: ref.id,
      checkCode: ref.checkCode,
      source: 'issued',
    });
    const mine = (await (await asResident(ctx, holder, 'GET', '/v1/me/documents')).json()) as { items: Array<Record<string, unknown>> };
    expect(mine.items.some((i) => i.id === ref.id)).toBe(false);
    expect(await issuedDocumentPdf(ctx.deps, holder.accountId, ref.id)).toBeNull();
    expect(await issuedDocumentPdf(ctx.deps, other.accountId, ref.id)).not.toBeNull();
  });
});

describe('retention', () => {
  it('purges a day’s running-number counter two days after that day, never the issued documents', async () => {
    const { ref } = await issuedPdf(birthCertificateInput());
    await ctx.deps.db.execute(sql`INSERT INTO issued_document_counters (office_code, prefix, day, last) VALUES ('7310', 'LT', '01012020', 7)`);
    await purgeExpiredRows(ctx.deps);
    const days = await queryRows<{ day: string }>(ctx.deps.db, sql`SELECT day FROM issued_document_counters WHERE office_code = '7310'`);
    expect(days.map((d) => d.day)).not.toContain('01012020');
    expect(days.length).toBeGreaterThan(0);
    expect((await get(`/v1/documents/check/${ref.checkCode}`)).status).toBe(200);
  });
});

describe('through a service request (move_out, download)', () => {
  // On PGlite (one connection) `completed` hangs today: services/transitions.ts issueOutputs reads the registry
  // through deps.db while the transition's transaction holds the connection. Runs on PostgreSQL until that is fixed.
  it.skipIf(!usingPostgres())('completing the request issues an SKPWNI the holder downloads, pdftotext reads, its QR and the check confirm', async () => {
    const pdfDataUrl = `data:application/pdf;base64,${Buffer.from('%PDF-1.4\n% scan\n%%EOF\n').toString('base64')}`;
    const attachments = ['kk', 'formulir_f1_03', 'ktp_el'].map((kind) => ({ kind, filename: `${kind}.pdf`, dataUrl: pdfDataUrl }));
    const created = await asResident(ctx, holder, 'POST', '/v1/me/service-requests', {
      type: 'move_out',
      details: {
        destination: { street: 'JL. SUDIRMAN NO. 5', rt: '003', rw: '002', village: 'UJUNG BULU', district: 'UJUNG', regency: 'KOTA PAREPARE', province: 'SULAWESI SELATAN' },
        reason: 'work',
        movingMembers: [holder.nik],
      },
      attachments,
      fulfilment: 'download',
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const op = await createOperatorSession(ctx, 'operator', { officeCode: holder.nik.slice(0, 4) });
    for (const to of ['in_review', 'processing', 'completed']) {
      const res = await ctx.app.request(`/v1/operator/service-requests/${id}/transition`, jsonRequest('POST', { to }, operatorAuth(op.token)));
      expect(res.status, `→ ${to}`).toBe(200);
    }
    const request = (await (await asResident(ctx, holder, 'GET', `/v1/me/service-requests/${id}`)).json()) as { documents: Array<{ id: string; type: string; number: string; checkCode: string; sha256: string }> };
    const doc = request.documents.find((d) => d.type === 'skpwni')!;
    expect(doc.number).toMatch(/^SKPWNI\/\d{4}\/\d{8}\/\d{4}$/);
    const download = await asResident(ctx, holder, 'GET', `/v1/me/service-requests/${id}/documents/${doc.id}.pdf`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('application/pdf');
    const pdf = new Uint8Array(await download.arrayBuffer());
    const text = pdftotext(pdf);
    for (const expected of [doc.number, holder.name, holder.nik, 'JL. SUDIRMAN NO. 5', 'KOTA PAREPARE', 'Pekerjaan', 'DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL']) {
      expect(text, expected).toContain(expected);
    }
    expect(qrOfPage1(pdf)).toBe(`https://ikd.test/cek/${doc.checkCode}`);
    const check = (await (await ctx.app.request('/v1/documents/check', pdfRequest(pdf, '198.51.100.50'))).json()) as { valid: boolean; number: string; sha256: string };
    expect(check).toMatchObject({ valid: true, number: doc.number, sha256: doc.sha256 });
    const altered = new Uint8Array(pdf);
    altered[altered.length >> 1] = altered[altered.length >> 1]! ^ 0x04;
    expect((await (await ctx.app.request('/v1/documents/check', pdfRequest(altered, '198.51.100.50'))).json()).valid).toBe(false);
    const listed = (await (await asResident(ctx, holder, 'GET', '/v1/me/documents')).json()) as { items: Array<{ id?: string; serviceRequestId?: string }> };
    expect(listed.items.find((i) => i.id === doc.id)?.serviceRequestId).toBe(id);
  });
});
