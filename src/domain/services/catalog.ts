/**
 * The catalog of online population-document services (Pelayanan), as data: each type's requirements, details schema
 * (zod; GET /v1/services shows its JSON Schema), output documents, SLA and fulfilment options. Seeds 000, 001, 003.
 */
import { z } from 'zod';

export const FULFILMENTS = ['download', 'pickup', 'delivery'] as const;
export type Fulfilment = (typeof FULFILMENTS)[number];

/** iCore Pangkep promises about 10 minutes and at most one day (seed 000 L223-225). */
export const SLA_HOURS = 24;

export interface Requirement {
  kind: string;
  title: string;
  required: boolean;
}

/** An output document: the type the issued-documents module knows, and the title printed on it. */
export interface OutputDocument {
  type: string;
  title: string;
}

export interface ServiceType {
  type: string;
  title: string;
  description: string;
  requirements: readonly Requirement[];
  details: z.ZodType<Record<string, unknown>>;
  outputs: readonly OutputDocument[];
  slaHours: number;
  fulfilment: readonly Fulfilment[];
}

const nik = z.string().regex(/^\d{16}$/, '16 digits');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date');
const text = (max = 200) => z.string().trim().min(1).max(max);
const sex = z.enum(['LAKI-LAKI', 'PEREMPUAN']);
const address = z.object({
  street: text(),
  rt: z.string().regex(/^\d{1,3}$/),
  rw: z.string().regex(/^\d{1,3}$/),
  village: text(100),
  district: text(100),
  regency: text(100),
  province: text(100),
  postalCode: z.string().regex(/^\d{5}$/).optional(),
});

const req = (kind: string, title: string, required = true): Requirement => ({ kind, title, required });
const KTP = req('ktp_el', 'KTP-el pemohon');
const KK = req('kk', 'Kartu Keluarga (asli)');
const F101 = req('formulir_f1_01', 'Formulir biodata keluarga F-1.01 (diisi dan ditandatangani)');
const F102 = req('formulir_f1_02', 'Formulir pendaftaran peristiwa kependudukan F-1.02');
const F201 = req('formulir_f2_01', 'Formulir pelaporan pencatatan sipil F-2.01');
const F103 = req('formulir_f1_03', 'Formulir pindah F-1.03');
const SPTJM = req('sptjm', 'Surat pernyataan tanggung jawab mutlak (SPTJM)', false);
const SELFIE = req('selfie_ktp', 'Swafoto memegang KTP-el', false);

const FAMILY_DOC: OutputDocument = { type: 'family_card', title: 'Kartu Keluarga' };

export const SERVICE_CATALOG: readonly ServiceType[] = [
  {
    type: 'family_card_update',
    title: 'Kartu Keluarga (baru/perubahan)',
    description: 'KK baru, tambah atau kurang anggota, perubahan data, atau KK hilang/rusak.',
    requirements: [KK, F101, KTP, req('buku_nikah', 'Buku nikah / akta perkawinan', false), req('surat_kehilangan', 'Surat keterangan hilang dari kepolisian', false), SPTJM],
    details: z.object({
      reason: z.enum(['new_family', 'add_member', 'remove_member', 'change_data', 'lost_or_damaged']),
      description: text(500).optional(),
      members: z.array(z.object({ nik: nik.optional(), name: text(), relationship: text(40) })).max(20).optional(),
    }),
    outputs: [FAMILY_DOC],
    slaHours: SLA_HOURS,
    fulfilment: FULFILMENTS,
  },
  {
    type: 'birth_certificate',
    title: 'Akta Kelahiran',
    description: 'Pencatatan kelahiran: akta kelahiran, KK yang diperbarui dan KIA dalam satu permohonan.',
    requirements: [req('surat_keterangan_lahir', 'Surat keterangan lahir dari dokter/bidan/kepala desa'), KK, F201, req('buku_nikah', 'Buku nikah / akta perkawinan orang tua'), req('ktp_el_saksi', 'KTP-el dua orang saksi', false), SPTJM],
    details: z.object({
      childName: text(),
      sex,
      birthPlace: text(100),
      birthDate: day,
      birthTime: z.string().regex(/^\d{2}:\d{2}$/).optional(),
      birthOrder: z.number().int().min(1).max(30),
      fatherNik: nik,
      motherNik: nik,
      attendant: z.enum(['doctor', 'midwife', 'nurse', 'other']).optional(),
    }),
    outputs: [{ type: 'birth_certificate', title: 'Kutipan Akta Kelahiran' }, FAMILY_DOC, { type: 'kia', title: 'Kartu Identitas Anak' }],
    slaHours: SLA_HOURS,
    fulfilment: FULFILMENTS,
  },
  {
    type: 'death_certificate',
    title: 'Akta Kematian',
    description: 'Pencatatan kematian: akta kematian dan KK yang diperbarui.',
    requirements: [req('surat_keterangan_kematian', 'Surat keterangan kematian dari dokter/kepala desa'), KK, F201, req('ktp_el_almarhum', 'KTP-el almarhum/almarhumah', false), SPTJM],
    details: z.object({
      deceasedNik: nik,
      deceasedName: text(),
      dateOfDeath: day,
      placeOfDeath: text(100),
      cause: text(200).optional(),
      reporterRelationship: text(40),
    }),
    outputs: [{ type: 'death_certificate', title: 'Kutipan Akta Kematian' }, FAMILY_DOC],
    slaHours: SLA_HOURS,
    fulfilment: FULFILMENTS,
  },
  {
    type: 'move_out',
    title: 'Pindah Keluar (SKPWNI)',
    description: 'Surat Keterangan Pindah WNI bagi penduduk yang pindah ke luar kabupaten/kota.',
    requirements: [KK, F103, KTP, SPTJM],
    details: z.object({
      destination: address,
      reason: z.enum(['work', 'education', 'family', 'security', 'health', 'housing', 'other']),
      movingMembers: z.array(nik).min(1).max(20),
    }),
    outputs: [{ type: 'skpwni', title: 'Surat Keterangan Pindah WNI' }],
    slaHours: SLA_HOURS,
    fulfilment: FULFILMENTS,
  },
  {
    type: 'move_in',
    title: 'Pindah Datang',
    description: 'Kedatangan penduduk dari kabupaten/kota lain: surat keterangan pindah datang dan KK baru.',
    requirements: [req('skpwni', 'Surat Keterangan Pindah WNI dari daerah asal'), F103, KTP, req('kk_tujuan', 'KK yang ditumpangi (bila menumpang)', false)],
    details: z.object({
      skpwniNumber: text(60),
      origin: z.object({ regency: text(100), province: text(100) }),
      address,
      movingMembers: z.array(nik).min(1).max(20),
    }),
    outputs: [{ type: 'move_in_certificate', title: 'Surat Keterangan Pindah Datang' }, FAMILY_DOC],
    slaHours: SLA_HOURS,
    fulfilment: FULFILMENTS,
  },
  {
    type: 'kia',
    title: 'Kartu Identitas Anak (KIA)',
    description: 'KIA untuk anak di bawah 17 tahun yang belum menikah.',
    requirements: [req('akta_kelahiran_anak', 'Kutipan akta kelahiran anak'), KK, req('ktp_el_orang_tua', 'KTP-el kedua orang tua'), req('pas_foto_anak', 'Pas foto anak (usia 5 tahun ke atas)', false)],
    details: z.object({ childNik: nik, childName: text(), birthCertificateNumber: text(60) }),
    outputs: [{ type: 'kia', title: 'Kartu Identitas Anak' }],
    slaHours: SLA_HOURS,
    fulfilment: FULFILMENTS,
  },
  {
    type: 'ktp_el_reprint',
    title: 'KTP-el hilang/rusak/perubahan data',
    description: 'Cetak ulang KTP-el yang sudah direkam; perekaman baru tetap di kantor.',
    requirements: [KK, req('surat_kehilangan', 'Surat keterangan hilang dari kepolisian (bila hilang)', false), req('ktp_el_rusak', 'Foto KTP-el yang rusak (bila rusak)', false), req('dokumen_perubahan', 'Dokumen dasar perubahan data (bila berubah)', false)],
    details: z.object({ reason: z.enum(['lost', 'damaged', 'data_change']), policeReportNumber: text(60).optional(), changedElements: z.array(text(40)).max(10).optional() }),
    outputs: [{ type: 'ktp_el_receipt', title: 'Surat Keterangan Pengganti KTP-el' }],
    slaHours: SLA_HOURS,
    // The card itself is printed at the office: it is picked up or delivered, never downloaded.
    fulfilment: ['pickup', 'delivery'],
  },
  {
    type: 'marriage_certificate',
    title: 'Akta Perkawinan (non-Muslim)',
    description: 'Pencatatan perkawinan bagi penduduk non-Muslim: akta perkawinan dan KK baru.',
    requirements: [req('surat_perkawinan_agama', 'Surat perkawinan dari pemuka agama'), req('ktp_el_pasangan', 'KTP-el kedua mempelai'), KK, req('akta_kelahiran_pasangan', 'Akta kelahiran kedua mempelai'), F201, req('pas_foto_berdua', 'Pas foto berdampingan', false)],
    details: z.object({
      husbandNik: nik,
      wifeNik: nik,
      marriageDate: day,
      religion: z.enum(['KRISTEN', 'KATOLIK', 'HINDU', 'BUDDHA', 'KONGHUCU', 'KEPERCAYAAN']),
      placeOfMarriage: text(100),
      religiousLeader: text().optional(),
    }),
    outputs: [{ type: 'marriage_certificate', title: 'Kutipan Akta Perkawinan' }, FAMILY_DOC],
    slaHours: SLA_HOURS,
    fulfilment: FULFILMENTS,
  },
  {
    type: 'data_sync',
    title: 'Sinkronisasi Data Kependudukan',
    description: 'Menyamakan data kependudukan yang berbeda antara dokumen dan database (mis. untuk BPJS, bank).',
    requirements: [KTP, KK, req('dokumen_pendukung', 'Dokumen yang datanya berbeda (ijazah, akta, dll.)', false), SELFIE],
    details: z.object({
      items: z.array(z.object({ element: text(40), registryValue: text().optional(), correctValue: text() })).min(1).max(10),
      purpose: text(200).optional(),
    }),
    outputs: [{ type: 'data_sync_statement', title: 'Surat Keterangan Sinkronisasi Data Kependudukan' }],
    slaHours: SLA_HOURS,
    fulfilment: FULFILMENTS,
  },
];

export const SERVICE_TYPES = SERVICE_CATALOG.map((s) => s.type) as [string, ...string[]];

export function findServiceType(type: string): ServiceType | undefined {
  return SERVICE_CATALOG.find((s) => s.type === type);
}

/** GET /v1/services: the catalog with each type's details as JSON Schema (the same zod schema validates them). */
export function publicCatalog() {
  return SERVICE_CATALOG.map((s) => ({
    type: s.type,
    title: s.title,
    description: s.description,
    requirements: s.requirements.map((r) => ({ ...r })),
    detailsSchema: z.toJSONSchema(s.details, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>,
    outputs: s.outputs.map((o) => o.type),
    slaHours: s.slaHours,
    fulfilment: [...s.fulfilment],
  }));
}
