/** GET /v1/me/biodata, /v1/me/family, /v1/me/documents and /v1/me/documents/{type}: happy, error and security. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';
import { asResident, createActiveResident, type ActiveResident } from '../helpers/resident.js';

let ctx: TestContext;
let arif: ActiveResident; // demo head of a Pangkep KK: wife and a child under 17
let hasnawati: ActiveResident; // his wife, same KK
let kadek: ActiveResident; // single, Buleleng
let rahman: ActiveResident; // divorced, Parepare

beforeAll(async () => {
  ctx = await createTestContext();
  arif = await createActiveResident(ctx);
  hasnawati = await createActiveResident(ctx);
  kadek = await createActiveResident(ctx);
  rahman = await createActiveResident(ctx);
});
afterAll(async () => {
  await ctx?.close();
});

const codeOf = async (res: Response) => ((await res.json()) as { code: string }).code;

describe('GET /v1/me/biodata', () => {
  it('has the KTP elements and the civil record, the marriage certificate shared with the spouse', async () => {
    const res = await asResident(ctx, arif, 'GET', '/v1/me/biodata');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ nik: arif.nik, name: 'MUHAMMAD ARIF', kk: '7310041503129001', familyRelationship: 'KEPALA KELUARGA', maritalStatus: 'KAWIN' });
    expect(body.education).toBeTruthy();
    expect(body.fatherName).toBeTruthy();
    expect(body.motherName).toBeTruthy();
    expect(body.marriageCertificateNumber).toMatch(/^7310-KW-/);
    const wife = (await (await asResident(ctx, hasnawati, 'GET', '/v1/me/biodata')).json()) as Record<string, string>;
    expect(wife.marriageCertificateNumber).toBe(body.marriageCertificateNumber);
    expect(wife.marriageDate).toBe(body.marriageDate);
    const single = (await (await asResident(ctx, kadek, 'GET', '/v1/me/biodata')).json()) as Record<string, string>;
    expect(single.marriageCertificateNumber).toBeUndefined();
  });
});

describe('GET /v1/me/family', () => {
  it('is the KK as printed, with every member and the parents of the child on the same card', async () => {
    const res = await asResident(ctx, hasnawati, 'GET', '/v1/me/family');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { kk: string; issuedOn: string; headOfFamily: { nik: string }; members: { nik: string; relationship: string; fatherName: string; motherName: string }[] };
    expect(body.kk).toBe('7310041503129001');
    expect(body.issuedOn).toBe('2012-03-15');
    expect(body.headOfFamily.nik).toBe(arif.nik);
    expect(body.members.map((m) => m.relationship)).toEqual(['KEPALA KELUARGA', 'ISTRI', 'ANAK']);
    expect(body.members[2]).toMatchObject({ fatherName: 'MUHAMMAD ARIF', motherName: 'HASNAWATI' });
  });
});

describe('GET /v1/me/documents', () => {
  it('lists the holder’s documents: KTP, KK and the certificates the registry has', async () => {
    const res = await asResident(ctx, arif, 'GET', '/v1/me/documents');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { type: string; number: string; title: string; issuedOn: string; issuedBy: string }[] };
    const types = items.map((i) => i.type);
    expect(types).toContain('ktp');
    expect(types).toContain('family_card');
    expect(types).toContain('marriage_certificate');
    expect(types).not.toContain('divorce_certificate');
    expect(types).not.toContain('kia');
    expect(items.find((i) => i.type === 'family_card')).toMatchObject({ number: '7310041503129001', title: 'Kartu Keluarga', issuedOn: '2012-03-15' });
    for (const item of items) expect(item.issuedBy).toMatch(/^Dinas Kependudukan dan Pencatatan Sipil /);
    const divorced = (await (await asResident(ctx, rahman, 'GET', '/v1/me/documents')).json()) as { items: { type: string }[] };
    expect(divorced.items.map((i) => i.type)).toContain('divorce_certificate');
  });

  it('titles follow Accept-Language', async () => {
    const res = await ctx.app.request('/v1/me/documents', jsonRequest('GET', undefined, { Authorization: `Bearer ${arif.accessToken}`, 'cf-connecting-ip': arif.ip, 'Accept-Language': 'en' }));
    const { items } = (await res.json()) as { items: { type: string; title: string }[] };
    expect(items.find((i) => i.type === 'family_card')?.title).toBe('Family card');
  });
});

describe('GET /v1/me/documents/{type}', () => {
  it('shows one document with its fields; the KK as GET /v1/me/family', async () => {
    const res = await asResident(ctx, arif, 'GET', '/v1/me/documents/family_card');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { type: string; number: string; fields: unknown };
    expect(doc.type).toBe('family_card');
    expect(doc.fields).toEqual(await (await asResident(ctx, arif, 'GET', '/v1/me/family')).json());
    const marriage = (await (await asResident(ctx, arif, 'GET', '/v1/me/documents/marriage_certificate')).json()) as { fields: { spouses: { nik: string }[] } };
    expect(marriage.fields.spouses.map((s) => s.nik)).toEqual([arif.nik, hasnawati.nik]);
    const ktp = (await (await asResident(ctx, kadek, 'GET', '/v1/me/documents/ktp')).json()) as { number: string; fields: { nik: string } };
    expect(ktp.number).toBe(kadek.nik);
    expect(ktp.fields.nik).toBe(kadek.nik);
  });

  it('is 404 document_not_found for a type the holder does not have and for no such type', async () => {
    for (const type of ['divorce_certificate', 'kia', 'passport', 'KTP', '..%2Fktp']) {
      const res = await asResident(ctx, kadek, 'GET', `/v1/me/documents/${type}`);
      expect(res.status, type).toBe(404);
      expect(await codeOf(res)).toBe('document_not_found');
    }
  });
});

describe('security', () => {
  it('needs a session on every route (401 unauthorized)', async () => {
    for (const path of ['/v1/me/biodata', '/v1/me/family', '/v1/me/documents', '/v1/me/documents/ktp']) {
      const res = await ctx.app.request(path, jsonRequest('GET', undefined, { Authorization: 'Bearer not-a-real-token-at-all-000' }));
      expect(res.status, path).toBe(401);
      expect(await codeOf(res)).toBe('unauthorized');
    }
  });

  it('never shows another holder’s data: no route takes a NIK, and a query or header naming one is ignored', async () => {
    for (const path of [`/v1/me/biodata?nik=${arif.nik}`, `/v1/me/documents/ktp?nik=${arif.nik}`, `/v1/me/family?kk=7310041503129001`]) {
      const res = await asResident(ctx, kadek, 'GET', path);
      const text = await res.text();
      expect(text, path).not.toContain(arif.nik);
      expect(text, path).not.toContain('7310041503129001');
    }
    const ktp = (await (await asResident(ctx, rahman, 'GET', '/v1/me/documents/ktp')).json()) as { number: string };
    expect(ktp.number).toBe(rahman.nik);
  });
});

describe('/app screens (Biodata, Data Keluarga, Dokumen)', () => {
  it('the page has the three tabs and serves their module', async () => {
    const page = await (await ctx.app.request('/app')).text();
    for (const tab of ['biodata', 'family', 'documents']) expect(page).toContain(`data-tab="${tab}"`);
    expect(page).toContain('id="document-qr-form"');
    const asset = await ctx.app.request('/assets/app-documents.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(await asset.text()).toContain('/v1/me/documents/');
  });
});
