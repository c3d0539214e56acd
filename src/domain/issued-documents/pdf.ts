/**
 * The issued document as a PDF (pdf-lib, the PDF standard fonts, so a fresh clone needs no font file): the form's
 * own layout — a Kartu Keluarga is a landscape sheet with the header, the address block and the two member tables;
 * an akta is the register-style "Kutipan" text; a letter is a header, a title, a number and its fields — then the
 * issuing office's signature block and, at the foot, the QR code of the check URL with the short check code.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import type { IssuingOffice } from './office.js';
import { formatCheckCode } from './check-code.js';

export type FieldValue = string | number | null | Array<Record<string, string | null>>;
export type DocumentFields = Record<string, FieldValue>;

export interface DocumentLayoutInput {
  type: string;
  title: string;
  number: string;
  nik: string;
  holderName: string;
  fields: DocumentFields;
  office: IssuingOffice;
  /** The office's local date of issue, YYYY-MM-DD. */
  issuedOn: string;
  checkCode: string;
  checkUrl: string;
  issuedAt: Date;
}

const A4: [number, number] = [595.28, 841.89];
const A4_LANDSCAPE: [number, number] = [841.89, 595.28];
const MARGIN = 40;
const INK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** "2026-12-02" → "2 Desember 2026" (the akta's spelled-out date); anything else as given. */
export function indonesianDate(value: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value ?? '');
  if (!m) return value ?? '-';
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** "2026-12-02" → "02-12-2026", as the KK prints dates. */
const shortDate = (value: string | null | undefined): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? '');
  return m ? `${m[3]}-${m[2]}-${m[1]}` : (value ?? '-');
};

const LABELS: Record<string, string> = {
  nik: 'NIK',
  name: 'Nama Lengkap',
  kk: 'Nomor KK',
  headName: 'Nama Kepala Keluarga',
  headNik: 'NIK Kepala Keluarga',
  birthPlace: 'Tempat Lahir',
  birthDate: 'Tanggal Lahir',
  sex: 'Jenis Kelamin',
  bloodType: 'Golongan Darah',
  religion: 'Agama',
  street: 'Alamat',
  rt: 'RT',
  rw: 'RW',
  village: 'Desa/Kelurahan',
  district: 'Kecamatan',
  regency: 'Kabupaten/Kota',
  province: 'Provinsi',
  postalCode: 'Kode Pos',
  occupation: 'Pekerjaan',
  maritalStatus: 'Status Perkawinan',
  education: 'Pendidikan',
  citizenship: 'Kewarganegaraan',
  fatherName: 'Nama Ayah',
  motherName: 'Nama Ibu',
  relationship: 'Status Hubungan dalam Keluarga',
  reason: 'Alasan',
  moveReason: 'Alasan Pindah',
  moveType: 'Jenis Kepindahan',
  originAddress: 'Alamat Asal',
  destinationAddress: 'Alamat Tujuan',
  destinationStreet: 'Alamat Tujuan',
  destinationVillage: 'Desa/Kelurahan Tujuan',
  destinationDistrict: 'Kecamatan Tujuan',
  destinationRegency: 'Kabupaten/Kota Tujuan',
  destinationProvince: 'Provinsi Tujuan',
  movingMembers: 'Anggota Keluarga yang Pindah',
  members: 'Anggota Keluarga',
  childName: 'Nama Anak',
  childNik: 'NIK Anak',
  validUntil: 'Berlaku Hingga',
  note: 'Keterangan',
  requestNumber: 'Nomor Permohonan',
  address: 'Alamat',
  purpose: 'Keperluan',
  skpwniNumber: 'Nomor SKPWNI',
  birthOrder: 'Anak ke',
  birthTime: 'Pukul',
  attendant: 'Penolong Kelahiran',
  fatherNik: 'NIK Ayah',
  motherNik: 'NIK Ibu',
  husbandNik: 'NIK Suami',
  wifeNik: 'NIK Istri',
  deceasedNik: 'NIK yang Meninggal',
  deceasedName: 'Nama yang Meninggal',
  dateOfDeath: 'Tanggal Kematian',
  placeOfDeath: 'Tempat Kematian',
  cause: 'Sebab Kematian',
  reporterRelationship: 'Hubungan Pelapor',
  marriageDate: 'Tanggal Perkawinan',
  placeOfMarriage: 'Tempat Perkawinan',
  religiousLeader: 'Pemuka Agama',
  policeReportNumber: 'Nomor Surat Keterangan Hilang',
  changedElements: 'Elemen Data yang Berubah',
  element: 'Elemen Data',
  registryValue: 'Data di Database',
  correctValue: 'Data yang Benar',
  birthCertificateNumber: 'Nomor Akta Kelahiran',
  items: 'Data yang Disinkronkan',
};

const PREFIX_LABELS: Record<string, string> = { destination: 'Tujuan', origin: 'Asal', address: '', deliveryAddress: 'Pengiriman' };

const plainLabel = (key: string): string =>
  LABELS[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/** "destination.street" → "Alamat Tujuan": the last part's label, then what the prefix says. */
const humanize = (key: string): string => {
  const parts = key.split('.');
  if (parts.length === 1) return plainLabel(key);
  const last = plainLabel(parts.at(-1)!);
  const prefix = parts.slice(0, -1).map((p) => PREFIX_LABELS[p] ?? plainLabel(p)).filter(Boolean).join(' ');
  return prefix ? `${last} ${prefix}` : last;
};

/** The catalog's enum values (reasons, attendants) as the form prints them. */
const VALUE_LABELS: Record<string, string> = {
  work: 'Pekerjaan',
  education: 'Pendidikan',
  family: 'Keluarga',
  security: 'Keamanan',
  health: 'Kesehatan',
  housing: 'Perumahan',
  other: 'Lainnya',
  lost: 'Hilang',
  damaged: 'Rusak',
  data_change: 'Perubahan data',
  new_family: 'Membentuk keluarga baru',
  add_member: 'Penambahan anggota keluarga',
  remove_member: 'Pengurangan anggota keluarga',
  change_data: 'Perubahan data',
  lost_or_damaged: 'Hilang/rusak',
  doctor: 'Dokter',
  midwife: 'Bidan',
  nurse: 'Perawat',
};

const printedValue = (key: string, value: string): string => {
  if (/date$/i.test(key) || /^dateOf/.test(key)) return indonesianDate(value);
  return VALUE_LABELS[value] ?? value;
};

const str = (fields: DocumentFields, ...keys: string[]): string | null => {
  for (const key of keys) {
    const v = fields[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return null;
};

const rows = (fields: DocumentFields, key: string): Array<Record<string, string | null>> => {
  const v = fields[key];
  return Array.isArray(v) ? v : [];
};

/** Small drawing surface over one page: text that never throws on a glyph the standard font lacks. */
class Sheet {
  constructor(
    readonly page: PDFPage,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    private readonly addPage: () => PDFPage,
  ) {}

  /** A new page of the same size (a long letter or a large family continues there). */
  next(): Sheet {
    return new Sheet(this.addPage(), this.regular, this.bold, this.addPage);
  }

  get width() {
    return this.page.getWidth();
  }

  get height() {
    return this.page.getHeight();
  }

  text(text: string, x: number, y: number, size = 10, opts: { bold?: boolean; color?: typeof INK } = {}) {
    const font = opts.bold ? this.bold : this.regular;
    this.page.drawText(encodable(font, text), { x, y, size, font, color: opts.color ?? INK });
  }

  centered(text: string, y: number, size = 10, bold = false) {
    const font = bold ? this.bold : this.regular;
    const safe = encodable(font, text);
    this.page.drawText(safe, { x: (this.width - font.widthOfTextAtSize(safe, size)) / 2, y, size, font, color: INK });
  }

  widthOf(text: string, size: number, bold = false) {
    const font = bold ? this.bold : this.regular;
    return font.widthOfTextAtSize(encodable(font, text), size);
  }

  /** Words wrapped to maxWidth; returns the y below the last line. */
  paragraph(text: string, x: number, y: number, maxWidth: number, size = 10, leading = 1.45): number {
    for (const line of wrap(this.regular, encodable(this.regular, text), size, maxWidth)) {
      this.page.drawText(line, { x, y, size, font: this.regular, color: INK });
      y -= size * leading;
    }
    return y;
  }

  line(x1: number, y1: number, x2: number, y2: number, thickness = 0.8) {
    this.page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness, color: INK });
  }

  rect(x: number, y: number, w: number, h: number) {
    this.page.drawRectangle({ x, y, width: w, height: h, borderColor: INK, borderWidth: 0.5 });
  }
}

const charsets = new WeakMap<PDFFont, Set<number>>();

/** The text with every character the font cannot encode replaced: its accent-less form, else "?". */
function encodable(font: PDFFont, text: string): string {
  let set = charsets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    charsets.set(font, set);
  }
  let out = '';
  for (const ch of text.normalize('NFC').replace(/[\r\n\t]+/g, ' ')) {
    if (set.has(ch.codePointAt(0)!)) out += ch;
    else {
      const plain = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += [...plain].every((c) => set.has(c.codePointAt(0)!)) && plain !== '' ? plain : '?';
    }
  }
  return out;
}

function wrap(font: PDFFont, text: string, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = current ? `${current} ${word}` : word;
    if (current && font.widthOfTextAtSize(next, size) > maxWidth) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  if (current) lines.push(current);
  return lines;
}

/** Cuts a cell's text to its column width with an ellipsis. */
function fit(sheet: Sheet, text: string, size: number, width: number): string {
  const safe = encodable(sheet.regular, text);
  if (sheet.regular.widthOfTextAtSize(safe, size) <= width) return safe;
  let cut = safe;
  while (cut.length > 1 && sheet.regular.widthOfTextAtSize(`${cut}…`, size) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

interface Column {
  title: string;
  width: number;
  value: (row: Record<string, string | null>, index: number) => string;
}

/** A ruled table; returns the y below it. */
function table(sheet: Sheet, columns: Column[], data: Array<Record<string, string | null>>, x: number, y: number, size = 7.5): number {
  const headerHeight = 2 * size + 8;
  const rowHeight = size + 6;
  const totalWidth = columns.reduce((s, c) => s + c.width, 0);
  sheet.rect(x, y - headerHeight, totalWidth, headerHeight);
  let cx = x;
  for (const col of columns) {
    const lines = wrap(sheet.bold, encodable(sheet.bold, col.title), size, col.width - 4).slice(0, 2);
    lines.forEach((line, i) => sheet.text(line, cx + 2, y - size - 2 - i * (size + 1), size, { bold: true }));
    if (cx > x) sheet.line(cx, y, cx, y - headerHeight - rowHeight * data.length, 0.5);
    cx += col.width;
  }
  y -= headerHeight;
  data.forEach((row, i) => {
    sheet.rect(x, y - rowHeight, totalWidth, rowHeight);
    let rx = x;
    for (const col of columns) {
      sheet.page.drawText(fit(sheet, col.value(row, i), size, col.width - 4), { x: rx + 2, y: y - size - 1.5, size, font: sheet.regular });
      rx += col.width;
    }
    y -= rowHeight;
  });
  return y;
}

/** Label : value lines in two aligned columns; returns the y below them. */
function labelled(sheet: Sheet, pairs: Array<[string, string]>, x: number, y: number, labelWidth: number, valueWidth: number, size = 10): number {
  for (const [label, value] of pairs) {
    sheet.text(label, x, y, size);
    sheet.text(':', x + labelWidth, y, size);
    y = sheet.paragraph(value, x + labelWidth + 8, y, valueWidth, size, 1.35) - size * 0.25;
  }
  return y;
}

function drawQr(sheet: Sheet, text: string, x: number, y: number, size: number) {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const n = modules.size;
  const cell = size / (n + 2 * quiet);
  sheet.page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; ) {
      if (!modules.data[r * n + c]) {
        c++;
        continue;
      }
      let end = c + 1;
      while (end < n && modules.data[r * n + end]) end++;
      sheet.page.drawRectangle({
        x: x + (quiet + c) * cell,
        y: y + size - (quiet + r + 1) * cell,
        width: (end - c) * cell,
        height: cell,
        color: INK,
      });
      c = end;
    }
  }
}

/** The office's header, as Dukcapil letters carry it. */
function letterhead(sheet: Sheet, office: IssuingOffice): number {
  let y = sheet.height - MARGIN - 8;
  sheet.centered(office.government, y, 12, true);
  y -= 16;
  sheet.centered('DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL', y, 13, true);
  y -= 8;
  sheet.line(MARGIN, y, sheet.width - MARGIN, y, 1.6);
  sheet.line(MARGIN, y - 2.5, sheet.width - MARGIN, y - 2.5, 0.5);
  return y - 26;
}

/** "Pangkajene, 2 Desember 2026" and the head of office, right-aligned from x. */
function signatureBlock(sheet: Sheet, input: DocumentLayoutInput, x: number, y: number, size = 9): number {
  const seat = input.office.seat.replace(/^KOTA /, '');
  const lines = [
    `${titleCase(seat)}, ${indonesianDate(input.issuedOn)}`,
    'KEPALA DINAS KEPENDUDUKAN',
    'DAN PENCATATAN SIPIL',
    input.office.regencyName,
  ];
  for (const [i, line] of lines.entries()) sheet.text(line, x, y - i * (size + 3), size, { bold: i > 0 });
  y -= lines.length * (size + 3) + 4;
  sheet.text('Ditandatangani secara elektronik', x, y, size - 1, { color: GREY });
  return y - size;
}

const titleCase = (s: string) =>
  s.toLowerCase().replace(/(^|[\s(/-])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase()).replace(/ Dan /g, ' dan ');

/** The foot of every document: QR of the check URL, the check code and what they are for. */
function checkFooter(sheet: Sheet, input: DocumentLayoutInput, qrSize = 92, reserveRight = 0) {
  const x = MARGIN;
  const y = MARGIN;
  drawQr(sheet, input.checkUrl, x, y, qrSize);
  const tx = x + qrSize + 10;
  const maxWidth = sheet.width - tx - MARGIN - reserveRight;
  let ty = y + qrSize - 12;
  sheet.text(`Kode periksa: ${formatCheckCode(input.checkCode)}`, tx, ty, 10, { bold: true });
  ty -= 14;
  ty = sheet.paragraph(`Periksa keaslian dokumen ini di ${input.checkUrl} atau pindai kode QR.`, tx, ty, maxWidth, 8, 1.35);
  ty = sheet.paragraph(
    `Dokumen ini diterbitkan secara elektronik oleh ${input.office.name.toUpperCase()} melalui layanan IKD dan ditandatangani dengan kunci elektronik (Ed25519); salinan yang diubah tidak akan lolos pemeriksaan.`,
    tx,
    ty,
    maxWidth,
    7,
    1.35,
  );
}

/** The head's name: given, or the member whose NIK is the head's, or the member marked KEPALA KELUARGA. */
function headOfFamilyName(f: DocumentFields): string | null {
  const given = str(f, 'headName', 'headOfFamilyName');
  if (given) return given;
  const members = rows(f, 'members');
  const headNik = str(f, 'headNik', 'headOfFamilyNik');
  const head = members.find((m) => headNik && m.nik === headNik) ?? members.find((m) => (m.relationship ?? '').toUpperCase() === 'KEPALA KELUARGA');
  return head?.name ?? null;
}

/** As many members per sheet as both tables fit above the foot (QR, signature); the rest continue on the next. */
function familyCard(first: Sheet, input: DocumentLayoutInput) {
  const members = rows(input.fields, 'members');
  let sheet = first;
  let offset = 0;
  let page = 1;
  do {
    if (page > 1) sheet = sheet.next();
    offset += familyCardPage(sheet, input, members, offset);
    page++;
  } while (offset < members.length);
  if (page > 2) {
    // "Lembar 1/2": only known once every sheet is laid out.
    const sheets = page - 1;
    sheet.page.doc.getPages().forEach((p, i) =>
      p.drawText(`Lembar ${i + 1}/${sheets}`, { x: p.getWidth() - MARGIN - 60, y: p.getHeight() - MARGIN - 6, size: 8, font: sheet.regular }),
    );
  }
}

/** One sheet of the KK from member `offset` on; returns how many members it printed. */
function familyCardPage(sheet: Sheet, input: DocumentLayoutInput, allMembers: Array<Record<string, string | null>>, offset: number): number {
  const f = input.fields;
  let y = sheet.height - MARGIN - 6;
  sheet.text(input.office.government, MARGIN, y, 8, { bold: true });
  sheet.text('DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL', MARGIN, y - 10, 8, { bold: true });
  sheet.centered('KARTU KELUARGA', y - 10, 16, true);
  y -= 28;
  sheet.centered(`No. ${input.number}`, y, 12, true);
  y -= 22;
  const left: Array<[string, string]> = [
    ['Nama Kepala Keluarga', headOfFamilyName(f) ?? input.holderName],
    ['Alamat', str(f, 'street', 'address') ?? '-'],
    ['RT/RW', `${str(f, 'rt') ?? '-'}/${str(f, 'rw') ?? '-'}`],
    ['Desa/Kelurahan', str(f, 'village') ?? '-'],
  ];
  const right: Array<[string, string]> = [
    ['Kecamatan', str(f, 'district') ?? '-'],
    ['Kabupaten/Kota', str(f, 'regency') ?? input.office.regencyName],
    ['Kode Pos', str(f, 'postalCode') ?? '-'],
    ['Provinsi', str(f, 'province') ?? '-'],
  ];
  const yLeft = labelled(sheet, left, MARGIN, y, 100, 260, 9);
  const yRight = labelled(sheet, right, sheet.width / 2 + 60, y, 80, 220, 9);
  y = Math.min(yLeft, yRight) - 6;
  // Two tables (header 23, row 13.5 each), their gaps and the issue line, above the foot's 80-pt QR.
  const footTop = MARGIN + 80 + 8;
  const fits = Math.max(1, Math.floor((y - footTop - 2 * 23 - 10 - 14 - 8) / (2 * 13.5)));
  const members = allMembers.slice(offset, offset + fits);
  const last = offset + members.length >= allMembers.length;

  const no = (i: number) => String(offset + i + 1);
  const firstTable: Column[] = [
    { title: 'No', width: 22, value: (_r, i) => no(i) },
    { title: 'Nama Lengkap', width: 130, value: (r) => r.name ?? '-' },
    { title: 'NIK', width: 92, value: (r) => r.nik ?? '-' },
    { title: 'Jenis Kelamin', width: 62, value: (r) => r.sex ?? '-' },
    { title: 'Tempat Lahir', width: 88, value: (r) => r.birthPlace ?? '-' },
    { title: 'Tanggal Lahir', width: 58, value: (r) => shortDate(r.birthDate) },
    { title: 'Agama', width: 60, value: (r) => r.religion ?? '-' },
    { title: 'Pendidikan', width: 118, value: (r) => r.education ?? '-' },
    { title: 'Jenis Pekerjaan', width: 131.89, value: (r) => r.occupation ?? '-' },
  ];
  y = table(sheet, firstTable, members, MARGIN, y) - 10;
  const secondTable: Column[] = [
    { title: 'No', width: 22, value: (_r, i) => no(i) },
    { title: 'Status Perkawinan', width: 90, value: (r) => r.maritalStatus ?? '-' },
    { title: 'Status Hubungan Dalam Keluarga', width: 120, value: (r) => r.relationship ?? '-' },
    { title: 'Kewarganegaraan', width: 80, value: (r) => r.citizenship ?? '-' },
    { title: 'Nama Ayah', width: 225, value: (r) => r.fatherName ?? '-' },
    { title: 'Nama Ibu', width: 224.89, value: (r) => r.motherName ?? '-' },
  ];
  y = table(sheet, secondTable, members, MARGIN, y) - 14;
  sheet.text(`Dikeluarkan Tanggal: ${shortDate(input.issuedOn)}`, MARGIN, y, 8);
  if (last) signatureBlock(sheet, input, sheet.width - MARGIN - 200, Math.min(y, MARGIN + 70), 8);
  checkFooter(sheet, input, 80, 230);
  return Math.max(members.length, 1);
}

/** The register-style text of a Kutipan Akta. */
function aktaText(input: DocumentLayoutInput): { heading: string; body: string[] } {
  const f = input.fields;
  const upper = (v: string | null) => (v ?? '-').toUpperCase();
  switch (input.type) {
    case 'birth_certificate': {
      const name = str(f, 'childName') ?? input.holderName;
      const order = str(f, 'childOrder', 'birthOrder');
      const childNik = str(f, 'childNik');
      const parent = (nameKey: string, nikKey: string) => {
        const parentName = str(f, nameKey);
        const parentNik = str(f, nikKey);
        return parentName ? upper(parentName) + (parentNik ? ` (NIK ${parentNik})` : '') : parentNik ? `NIK ${parentNik}` : '-';
      };
      return {
        heading: 'KUTIPAN AKTA KELAHIRAN',
        body: [
          `Berdasarkan Akta Kelahiran Nomor ${input.number}`,
          `bahwa di ${upper(str(f, 'birthPlace'))} pada tanggal ${indonesianDate(str(f, 'birthDate'))}${str(f, 'birthTime') ? ` pukul ${str(f, 'birthTime')}` : ''} telah lahir`,
          `${upper(name)}`,
          [childNik ? `NIK ${childNik}` : null, str(f, 'sex'), order ? `anak ke-${order}` : null].filter(Boolean).join(', ') || '-',
          `dari ayah ${parent('fatherName', 'fatherNik')} dan ibu ${parent('motherName', 'motherNik')}.`,
        ],
      };
    }
    case 'death_certificate': {
      const name = str(f, 'deceasedName') ?? input.holderName;
      const born = str(f, 'deceasedBirthPlace') || str(f, 'deceasedBirthDate');
      return {
        heading: 'KUTIPAN AKTA KEMATIAN',
        body: [
          `Berdasarkan Akta Kematian Nomor ${input.number}`,
          `bahwa di ${upper(str(f, 'deathPlace', 'placeOfDeath'))} pada tanggal ${indonesianDate(str(f, 'deathDate', 'dateOfDeath'))} telah meninggal dunia`,
          `${upper(name)}`,
          [
            `NIK ${str(f, 'deceasedNik') ?? '-'}`,
            born ? `lahir di ${upper(str(f, 'deceasedBirthPlace'))} pada tanggal ${indonesianDate(str(f, 'deceasedBirthDate'))}` : null,
            str(f, 'deceasedSex'),
          ]
            .filter(Boolean)
            .join(', ') + '.',
        ],
      };
    }
    case 'marriage_certificate': {
      const spouse = (nameKey: string, nikKey: string) => {
        const spouseName = str(f, nameKey);
        const spouseNik = str(f, nikKey) ?? '-';
        return spouseName ? `${upper(spouseName)} (NIK ${spouseNik})` : `NIK ${spouseNik}`;
      };
      return {
        heading: 'KUTIPAN AKTA PERKAWINAN',
        body: [
          `Berdasarkan Akta Perkawinan Nomor ${input.number}`,
          `bahwa di ${upper(str(f, 'marriagePlace', 'placeOfMarriage', 'place'))} pada tanggal ${indonesianDate(str(f, 'marriageDate', 'date'))} telah dilangsungkan perkawinan antara`,
          spouse('husbandName', 'husbandNik'),
          'dan',
          spouse('wifeName', 'wifeNik'),
          `menurut agama/kepercayaan ${upper(str(f, 'religion'))}${str(f, 'religiousLeader') ? ` di hadapan pemuka agama ${upper(str(f, 'religiousLeader'))}` : ''}.`,
        ],
      };
    }
    default:
      return { heading: input.title.toUpperCase(), body: [`Nomor ${input.number}`] };
  }
}

const AKTA_TYPES = new Set(['birth_certificate', 'death_certificate', 'marriage_certificate']);

function akta(sheet: Sheet, input: DocumentLayoutInput) {
  let y = sheet.height - MARGIN - 10;
  sheet.centered('REPUBLIK INDONESIA', y, 11, true);
  y -= 18;
  sheet.centered('PENCATATAN SIPIL', y, 14, true);
  y -= 16;
  sheet.centered(input.office.government, y, 9);
  y -= 28;
  sheet.text('WARGA NEGARA', MARGIN + 20, y, 10);
  sheet.text(`: ${str(input.fields, 'citizenship') ?? 'INDONESIA'}`, MARGIN + 130, y, 10, { bold: true });
  y -= 32;
  const { heading, body } = aktaText(input);
  sheet.centered(heading, y, 16, true);
  y -= 36;
  const width = sheet.width - 2 * (MARGIN + 20);
  for (const [i, line] of body.entries()) {
    if (i === 2 || (input.type === 'marriage_certificate' && i === 4)) {
      sheet.centered(line, y, 14, true);
      y -= 26;
    } else if (input.type === 'marriage_certificate' && i === 3) {
      sheet.centered(line, y, 11);
      y -= 22;
    } else {
      y = sheet.paragraph(line, MARGIN + 20, y, width, 11, 1.5) - 10;
    }
  }
  y -= 10;
  y = sheet.paragraph(
    `Kutipan ini dikeluarkan di ${titleCase(input.office.seat)}, pada tanggal ${indonesianDate(input.issuedOn)}.`,
    MARGIN + 20,
    y,
    width,
    11,
  );
  signatureBlock(sheet, input, sheet.width - MARGIN - 220, y - 30, 10);
  checkFooter(sheet, input);
}

/** Below this the foot (QR, check code) and the signature need the room: a letter continues on a new page. */
const LETTER_BOTTOM = MARGIN + 130;

function letter(first: Sheet, input: DocumentLayoutInput) {
  let sheet = first;
  const sheets = [first];
  const top = () => sheet.height - MARGIN - 20;
  const room = (y: number, needed: number): number => {
    if (y - needed >= LETTER_BOTTOM) return y;
    sheet = sheet.next();
    sheets.push(sheet);
    return top();
  };
  let y = letterhead(sheet, input.office);
  sheet.centered(input.title.toUpperCase(), y, 13, true);
  y -= 16;
  sheet.centered(`Nomor: ${input.number}`, y, 10);
  y -= 30;
  y = sheet.paragraph(`Kepala ${titleCase(input.office.name)} menerangkan bahwa:`, MARGIN, y, sheet.width - 2 * MARGIN, 10) - 6;
  const scalars = Object.entries(input.fields).filter(([, v]) => v !== null && !Array.isArray(v)) as Array<[string, string | number]>;
  const pairs: Array<[string, string]> = [];
  if (!scalars.some(([k]) => k === 'name')) pairs.push(['Nama Lengkap', input.holderName]);
  if (!scalars.some(([k]) => k === 'nik')) pairs.push(['NIK', input.nik]);
  for (const [k, v] of scalars) pairs.push([humanize(k), printedValue(k, String(v))]);
  const valueWidth = sheet.width - 2 * MARGIN - 180;
  for (const pair of pairs) {
    y = room(y, 10 * 1.35 * wrap(sheet.regular, encodable(sheet.regular, pair[1]), 10, valueWidth).length);
    y = labelled(sheet, [pair], MARGIN + 10, y, 150, valueWidth);
  }
  y -= 8;
  for (const [key, value] of Object.entries(input.fields)) {
    if (!Array.isArray(value) || value.length === 0) continue;
    const keys = [...new Set(value.flatMap((r) => Object.keys(r)))];
    const width = (sheet.width - 2 * MARGIN - 22) / Math.max(keys.length, 1);
    const rowHeight = 7.5 + 6;
    let done = 0;
    while (done < value.length) {
      y = room(y, 40 + rowHeight);
      sheet.text(humanize(key), MARGIN, y, 10, { bold: true });
      y -= 8;
      const fits = Math.max(1, Math.floor((y - LETTER_BOTTOM - 23) / rowHeight));
      const chunk = value.slice(done, done + fits);
      const offset = done;
      const columns: Column[] = [
        { title: 'No', width: 22, value: (_r, i) => String(offset + i + 1) },
        ...keys.map((k) => ({ title: humanize(k), width, value: (r: Record<string, string | null>) => printedValue(k, r[k] ?? '-') })),
      ];
      y = table(sheet, columns, chunk, MARGIN, y) - 14;
      done += chunk.length;
    }
  }
  y = room(y, 30);
  y = sheet.paragraph('Demikian surat keterangan ini dibuat untuk dapat dipergunakan sebagaimana mestinya.', MARGIN, y - 4, sheet.width - 2 * MARGIN, 10);
  // The signature block sits above the foot: on this page when it fits, else on its own page.
  y = room(y, 90);
  signatureBlock(sheet, input, sheet.width - MARGIN - 220, y - 24, 10);
  for (const [i, s] of sheets.entries()) {
    checkFooter(s, input);
    if (sheets.length > 1) s.text(`Halaman ${i + 1}/${sheets.length}`, s.width - MARGIN - 60, s.height - MARGIN + 10, 8);
  }
}

/** The PDF bytes. Deterministic for the same input (dates come from issuedAt, no random ids). */
export async function renderDocumentPdf(input: DocumentLayoutInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`${input.title} ${input.number}`);
  doc.setAuthor(input.office.name);
  doc.setSubject(`Kode periksa ${formatCheckCode(input.checkCode)}: ${input.checkUrl}`);
  doc.setCreator('IKD');
  doc.setProducer('IKD (pdf-lib)');
  doc.setCreationDate(input.issuedAt);
  doc.setModificationDate(input.issuedAt);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const isFamilyCard = input.type === 'family_card';
  const addPage = () => doc.addPage(isFamilyCard ? A4_LANDSCAPE : A4);
  const sheet = new Sheet(addPage(), regular, bold, addPage);
  if (isFamilyCard) familyCard(sheet, input);
  else if (AKTA_TYPES.has(input.type)) akta(sheet, input);
  else letter(sheet, input);
  return doc.save();
}
