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
};

const humanize = (key: string): string =>
  LABELS[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

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
  ) {}

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

function familyCard(sheet: Sheet, input: DocumentLayoutInput) {
  const f = input.fields;
  let y = sheet.height - MARGIN - 6;
  sheet.text(input.office.government, MARGIN, y, 8, { bold: true });
  sheet.text('DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL', MARGIN, y - 10, 8, { bold: true });
  sheet.centered('KARTU KELUARGA', y - 10, 16, true);
  y -= 28;
  sheet.centered(`No. ${input.number}`, y, 12, true);
  y -= 22;
  const left: Array<[string, string]> = [
    ['Nama Kepala Keluarga', str(f, 'headName') ?? input.holderName],
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

  const members = rows(f, 'members');
  const first: Column[] = [
    { title: 'No', width: 22, value: (_r, i) => String(i + 1) },
    { title: 'Nama Lengkap', width: 130, value: (r) => r.name ?? '-' },
    { title: 'NIK', width: 92, value: (r) => r.nik ?? '-' },
    { title: 'Jenis Kelamin', width: 62, value: (r) => r.sex ?? '-' },
    { title: 'Tempat Lahir', width: 88, value: (r) => r.birthPlace ?? '-' },
    { title: 'Tanggal Lahir', width: 58, value: (r) => shortDate(r.birthDate) },
    { title: 'Agama', width: 60, value: (r) => r.religion ?? '-' },
    { title: 'Pendidikan', width: 118, value: (r) => r.education ?? '-' },
    { title: 'Jenis Pekerjaan', width: 131.89, value: (r) => r.occupation ?? '-' },
  ];
  y = table(sheet, first, members, MARGIN, y) - 10;
  const second: Column[] = [
    { title: 'No', width: 22, value: (_r, i) => String(i + 1) },
    { title: 'Status Perkawinan', width: 90, value: (r) => r.maritalStatus ?? '-' },
    { title: 'Status Hubungan Dalam Keluarga', width: 120, value: (r) => r.relationship ?? '-' },
    { title: 'Kewarganegaraan', width: 80, value: (r) => r.citizenship ?? '-' },
    { title: 'Nama Ayah', width: 225, value: (r) => r.fatherName ?? '-' },
    { title: 'Nama Ibu', width: 224.89, value: (r) => r.motherName ?? '-' },
  ];
  y = table(sheet, second, members, MARGIN, y) - 14;
  sheet.text(`Dikeluarkan Tanggal: ${shortDate(input.issuedOn)}`, MARGIN, y, 8);
  signatureBlock(sheet, input, sheet.width - MARGIN - 200, Math.min(y, MARGIN + 70), 8);
  checkFooter(sheet, input, 80, 230);
}

/** The register-style text of a Kutipan Akta. */
function aktaText(input: DocumentLayoutInput): { heading: string; body: string[] } {
  const f = input.fields;
  const upper = (v: string | null) => (v ?? '-').toUpperCase();
  switch (input.type) {
    case 'birth_certificate': {
      const name = str(f, 'childName', 'name') ?? input.holderName;
      const order = str(f, 'childOrder', 'birthOrder');
      return {
        heading: 'KUTIPAN AKTA KELAHIRAN',
        body: [
          `Berdasarkan Akta Kelahiran Nomor ${input.number}`,
          `bahwa di ${upper(str(f, 'birthPlace'))} pada tanggal ${indonesianDate(str(f, 'birthDate'))} telah lahir`,
          `${upper(name)}`,
          `NIK ${str(f, 'childNik', 'nik') ?? input.nik}, ${str(f, 'sex') ?? '-'}${order ? `, anak ke-${order}` : ''}`,
          `dari ayah ${upper(str(f, 'fatherName'))} dan ibu ${upper(str(f, 'motherName'))}.`,
        ],
      };
    }
    case 'death_certificate': {
      const name = str(f, 'deceasedName', 'name') ?? input.holderName;
      return {
        heading: 'KUTIPAN AKTA KEMATIAN',
        body: [
          `Berdasarkan Akta Kematian Nomor ${input.number}`,
          `bahwa di ${upper(str(f, 'deathPlace'))} pada tanggal ${indonesianDate(str(f, 'deathDate'))} telah meninggal dunia`,
          `${upper(name)}`,
          `NIK ${str(f, 'deceasedNik', 'nik') ?? input.nik}, lahir di ${upper(str(f, 'birthPlace'))} pada tanggal ${indonesianDate(str(f, 'birthDate'))}, ${str(f, 'sex') ?? '-'}.`,
        ],
      };
    }
    case 'marriage_certificate':
      return {
        heading: 'KUTIPAN AKTA PERKAWINAN',
        body: [
          `Berdasarkan Akta Perkawinan Nomor ${input.number}`,
          `bahwa di ${upper(str(f, 'marriagePlace', 'place'))} pada tanggal ${indonesianDate(str(f, 'marriageDate', 'date'))} telah dilangsungkan perkawinan antara`,
          `${upper(str(f, 'husbandName'))} (NIK ${str(f, 'husbandNik') ?? '-'})`,
          'dan',
          `${upper(str(f, 'wifeName'))} (NIK ${str(f, 'wifeNik') ?? '-'})`,
          `menurut agama/kepercayaan ${upper(str(f, 'religion'))}${str(f, 'religiousLeader') ? ` di hadapan pemuka agama ${upper(str(f, 'religiousLeader'))}` : ''}.`,
        ],
      };
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

function letter(sheet: Sheet, input: DocumentLayoutInput) {
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
  for (const [k, v] of scalars) pairs.push([humanize(k), k.endsWith('Date') ? indonesianDate(String(v)) : String(v)]);
  y = labelled(sheet, pairs, MARGIN + 10, y, 150, sheet.width - 2 * MARGIN - 180) - 8;
  for (const [key, value] of Object.entries(input.fields)) {
    if (!Array.isArray(value) || value.length === 0) continue;
    sheet.text(humanize(key), MARGIN, y, 10, { bold: true });
    y -= 8;
    const keys = [...new Set(value.flatMap((r) => Object.keys(r)))];
    const width = (sheet.width - 2 * MARGIN - 22) / Math.max(keys.length, 1);
    const columns: Column[] = [
      { title: 'No', width: 22, value: (_r, i) => String(i + 1) },
      ...keys.map((k) => ({ title: humanize(k), width, value: (r: Record<string, string | null>) => r[k] ?? '-' })),
    ];
    y = table(sheet, columns, value, MARGIN, y) - 14;
  }
  y = sheet.paragraph(
    'Demikian surat keterangan ini dibuat untuk dapat dipergunakan sebagaimana mestinya.',
    MARGIN,
    y - 4,
    sheet.width - 2 * MARGIN,
    10,
  );
  signatureBlock(sheet, input, sheet.width - MARGIN - 220, Math.max(y - 24, MARGIN + 190), 10);
  checkFooter(sheet, input);
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
  const sheet = new Sheet(doc.addPage(isFamilyCard ? A4_LANDSCAPE : A4), regular, bold);
  if (isFamilyCard) familyCard(sheet, input);
  else if (AKTA_TYPES.has(input.type)) akta(sheet, input);
  else letter(sheet, input);
  return doc.save();
}
