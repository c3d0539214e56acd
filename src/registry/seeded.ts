/**
 * The seeded PopulationRegistry: reads the registry_* tables filled by the synthetic generator and the fixed
 * demo residents. It stands where a SIAK Terpusat adapter would stand in production.
 *
 * Photos are rendered on demand from the NIK (portrait.ts) rather than stored: a portrait is a pure function
 * of the NIK, ~1 ms to draw and ~3 KB, so storing 100 000 of them would add ~300 MB and most of the seeding
 * time for no information. Every resident with a KTP-el recording gets one; the others have none on record.
 */
import { asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { registryFamilyCards, registryResidents, type RegistryFamilyCardRow, type RegistryResidentRow } from '../db/schema/registry.js';
import { queryRows, type Db, type DbOrTx } from '../db/types.js';
import type { Address, Certificate, CivilRecord, FamilyCard, FamilyMember, HolderRecords, Photo, PopulationRegistry, RegistryResident } from './port.js';
import { renderPortrait } from './portrait.js';
import { createRandom } from './prng.js';
import { addCivilRecords, ageOn, DEFAULT_AS_OF, DEFAULT_SEED, generateFamilies, type SyntheticOptions } from './synthetic.js';

export type IneligibilityReason = 'deceased' | 'under_17_unmarried' | 'no_ktp_el' | 'duplicate_record';

export interface DemoResident {
  nik: string;
  name: string;
  birthDate: string;
  eligible: boolean;
  reason?: IneligibilityReason;
}

/**
 * Why a registry record cannot get an IKD (SOP: 17+ or married, KTP-el recorded, single record, alive),
 * or null when it can. Checked in this order, so each resident has exactly one reason.
 */
export function ineligibilityReason(
  resident: Pick<RegistryResident, 'birthDate' | 'maritalStatus' | 'deceased' | 'ktpElRecorded' | 'recordStatus'>,
  at: Date,
): IneligibilityReason | null {
  if (resident.deceased) return 'deceased';
  if (resident.recordStatus === 'duplicate') return 'duplicate_record';
  if (resident.maritalStatus === 'BELUM KAWIN' && ageOn(resident.birthDate, at.toISOString().slice(0, 10)) < 17) {
    return 'under_17_unmarried';
  }
  if (!resident.ktpElRecorded) return 'no_ktp_el';
  return null;
}

export function createSeededRegistry(db: Db): PopulationRegistry {
  const residentByNik = db
    .select()
    .from(registryResidents)
    .where(eq(registryResidents.nik, sql.placeholder('nik')))
    .prepare('registry_resident_by_nik');
  const cardByKk = db
    .select()
    .from(registryFamilyCards)
    .where(eq(registryFamilyCards.kk, sql.placeholder('kk')))
    .prepare('registry_card_by_kk');
  const membersByKk = db
    .select()
    .from(registryResidents)
    .where(eq(registryResidents.kk, sql.placeholder('kk')))
    .orderBy(asc(registryResidents.familyOrder))
    .prepare('registry_members_by_kk');

  // The holder's KK members with the card beside each (left join: a resident whose card is missing still has a row):
  // the holder is one of the members, so one statement answers the whole HolderRecords.
  const holderWithFamily = db
    .select({ member: registryResidents, card: registryFamilyCards })
    .from(registryResidents)
    .leftJoin(registryFamilyCards, eq(registryFamilyCards.kk, registryResidents.kk))
    .where(eq(registryResidents.kk, sql`(select ${registryResidents.kk} from ${registryResidents} where ${registryResidents.nik} = ${sql.placeholder('nik')})`))
    .orderBy(asc(registryResidents.familyOrder))
    .prepare('registry_holder_with_family');

  return {
    async holderRecords(nik): Promise<HolderRecords | null> {
      const rows = await holderWithFamily.execute({ nik });
      const self = rows.find((row) => row.member.nik === nik);
      if (!self) return null;
      const card = self.card;
      return {
        resident: toResident(self.member),
        civil: toCivilRecord(self.member),
        family: card
          ? { kk: card.kk, headNik: card.headNik, issuedOn: card.issuedOn, address: addressOf(card), members: rows.map((row) => toFamilyMember(row.member)) }
          : null,
      };
    },
    async findResident(nik) {
      const [row] = await residentByNik.execute({ nik });
      return row ? toResident(row) : null;
    },
    async residentPhoto(nik): Promise<Photo | null> {
      const [row] = await residentByNik.execute({ nik });
      if (!row || !row.ktpElRecorded) return null;
      return { contentType: 'image/png', bytes: renderPortrait(row.nik, portraitOptions(row)) };
    },
    async familyCard(kk): Promise<FamilyCard | null> {
      const [card] = await cardByKk.execute({ kk });
      if (!card) return null;
      const members = await membersByKk.execute({ kk });
      return { kk: card.kk, headNik: card.headNik, issuedOn: card.issuedOn, address: addressOf(card), members: members.map(toFamilyMember) };
    },
    async civilRecord(nik): Promise<CivilRecord | null> {
      const [row] = await residentByNik.execute({ nik });
      return row ? toCivilRecord(row) : null;
    },
  };
}

/** The options the registry draws a resident's portrait with (exported so tests can compare bytes). */
export function portraitOptions(row: Pick<RegistryResidentRow, 'nik' | 'sex' | 'birthDate' | 'religion'>) {
  const female = row.sex === 'PEREMPUAN';
  return {
    sex: row.sex,
    birthYear: Number(row.birthDate.slice(0, 4)),
    headscarf: female && row.religion === 'ISLAM' && createRandom(`headscarf:${row.nik}`).chance(0.7),
  };
}

/** Rows per INSERT statement (one array parameter per column, so no parameter limit applies). */
const BULK_ROWS = 5000;
/** Rows per transaction: large enough to amortise commits; a long seed keeps what it has done if stopped. */
const TRANSACTION_ROWS = 20_000;

/**
 * Inserts `count` synthetic residents (and their family cards) in bulk INSERTs (see insertRows), committed every
 * 20 000 rows. Rows that already exist are left alone (ON CONFLICT DO NOTHING), so running it again with the
 * same seed inserts nothing, a larger count only adds the difference, and an interrupted run can be re-run.
 */
export async function seedRegistry(
  db: Db,
  options: Pick<SyntheticOptions, 'count' | 'seed' | 'asOf' | 'villages' | 'regencies'> & { onProgress?: (generated: number) => void },
): Promise<{ inserted: number }> {
  let inserted = 0;
  let generated = 0;
  let residents: RegistryResidentRow[] = [];
  let cards: RegistryFamilyCardRow[] = [];
  const commit = async () => {
    const batch = { residents, cards };
    residents = [];
    cards = [];
    if (batch.residents.length === 0) return;
    inserted += await db.transaction(async (tx) => {
      await insertCards(tx, batch.cards);
      return insertResidents(tx, batch.residents);
    });
    generated += batch.residents.length;
    options.onProgress?.(generated);
  };
  const { onProgress: _, ...synthetic } = options;
  for (const family of generateFamilies({ ...synthetic, seed: options.seed ?? DEFAULT_SEED })) {
    cards.push(family.card);
    residents.push(...family.members);
    if (residents.length >= TRANSACTION_ROWS) await commit();
  }
  await commit();
  return { inserted };
}

/**
 * Bulk insert as INSERT … SELECT … FROM unnest($1::text[], $2::text[], …): one text-array parameter per column,
 * cast to the column's type in SQL. Building 26 000 separate parameters per 1 000 rows with the query builder
 * cost more than PostgreSQL's own work (~5 s per 30 000 rows); this halves the whole seed and behaves the same
 * on PGlite and postgres.js (both serialise text arrays alike; boolean and date arrays they do not).
 */
async function insertRows(db: DbOrTx, table: typeof registryResidents | typeof registryFamilyCards, rows: readonly object[]): Promise<number> {
  const columns = Object.entries(getTableColumns(table));
  let inserted = 0;
  for (let i = 0; i < rows.length; i += BULK_ROWS) {
    const chunk = rows.slice(i, i + BULK_ROWS) as readonly Record<string, unknown>[];
    const arrays = columns.map(([key]) => sql`${sql.param(chunk.map((row) => asText(row[key])))}::text[]`);
    const aliases = columns.map((_, c) => sql.identifier(`c${c}`));
    const casts = columns.map(([, column], c) => sql`${sql.identifier(`c${c}`)}::${sql.raw(column.getSQLType())}`);
    const names = columns.map(([, column]) => sql.identifier(column.name));
    const result = await queryRows(
      db,
      sql`insert into ${table} (${sql.join(names, sql`, `)})
          select ${sql.join(casts, sql`, `)} from unnest(${sql.join(arrays, sql`, `)}) as t(${sql.join(aliases, sql`, `)})
          on conflict do nothing returning 1 as inserted`,
    );
    inserted += result.length;
  }
  return inserted;
}

const asText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

const insertResidents = (db: DbOrTx, rows: readonly RegistryResidentRow[]) => insertRows(db, registryResidents, rows);
const insertCards = (db: DbOrTx, rows: readonly RegistryFamilyCardRow[]) => insertRows(db, registryFamilyCards, rows);

// --- fixed demo residents ----------------------------------------------------------------------------------------

interface DemoHousehold {
  card: Omit<RegistryFamilyCardRow, 'headNik'>;
  religion: string;
  people: (Pick<RegistryResidentRow, 'nik' | 'name' | 'birthPlace' | 'birthDate' | 'sex' | 'bloodType' | 'maritalStatus' | 'occupation' | 'familyRelationship'> & {
    ktpElRecorded?: boolean;
    recordStatus?: 'single' | 'duplicate';
    deceased?: boolean;
    /** What the demo is for; checked against ineligibilityReason by the tests. */
    expect: IneligibilityReason | 'eligible';
  })[];
}

const SULSEL = { province: 'SULAWESI SELATAN', provinceCode: '73' };
const BALI = { province: 'BALI', provinceCode: '51' };
const PANGKEP = { ...SULSEL, regency: 'KABUPATEN PANGKAJENE DAN KEPULAUAN', regencyCode: '7310' };
const BULELENG = { ...BALI, regency: 'KABUPATEN BULELENG', regencyCode: '5108' };
const PAREPARE = { ...SULSEL, regency: 'KOTA PAREPARE', regencyCode: '7372' };

/** Serials 9001+ are outside what the generator uses (synthetic.ts), so these never collide with synthetic rows. */
const DEMO_HOUSEHOLDS: readonly DemoHousehold[] = [
  {
    card: { ...PANGKEP, kk: '7310041503129001', street: 'JL. SULTAN HASANUDDIN NO. 27', rt: '002', rw: '001', village: 'TUMAMPUA', district: 'PANGKAJENE', districtCode: '731004', issuedOn: '2012-03-15' },
    religion: 'ISLAM',
    people: [
      { nik: '7310041207859001', name: 'MUHAMMAD ARIF', birthPlace: 'PANGKAJENE', birthDate: '1985-07-12', sex: 'LAKI-LAKI', bloodType: 'O', maritalStatus: 'KAWIN', occupation: 'WIRASWASTA', familyRelationship: 'KEPALA KELUARGA', expect: 'eligible' },
      { nik: '7310044901909001', name: 'HASNAWATI', birthPlace: 'PANGKAJENE', birthDate: '1990-01-09', sex: 'PEREMPUAN', bloodType: 'B', maritalStatus: 'KAWIN', occupation: 'GURU', familyRelationship: 'ISTRI', expect: 'eligible' },
      { nik: '7310040209149001', name: 'MUHAMMAD FAHRI', birthPlace: 'PANGKAJENE', birthDate: '2014-09-02', sex: 'LAKI-LAKI', bloodType: '-', maritalStatus: 'BELUM KAWIN', occupation: 'PELAJAR/MAHASISWA', familyRelationship: 'ANAK', ktpElRecorded: false, expect: 'under_17_unmarried' },
    ],
  },
  {
    card: { ...PANGKEP, kk: '7310062208089001', street: 'DUSUN BIRING', rt: '003', rw: '002', village: 'SAMALEWA', district: 'BUNGORO', districtCode: '731006', issuedOn: '2008-08-22' },
    religion: 'ISLAM',
    people: [
      { nik: '7310062005419001', name: 'LA TAHANG', birthPlace: 'PANGKAJENE', birthDate: '1941-05-20', sex: 'LAKI-LAKI', bloodType: 'A', maritalStatus: 'CERAI MATI', occupation: 'PETANI/PEKEBUN', familyRelationship: 'KEPALA KELUARGA', deceased: true, expect: 'deceased' },
    ],
  },
  {
    card: { ...BULELENG, kk: '5108061107199001', street: 'JL. PAHLAWAN NO. 8', rt: '004', rw: '002', village: 'KALIUNTU', district: 'BULELENG', districtCode: '510806', issuedOn: '2019-07-11' },
    religion: 'HINDU',
    people: [
      { nik: '5108064302949001', name: 'NI KADEK AYU LESTARI', birthPlace: 'SINGARAJA', birthDate: '1994-02-03', sex: 'PEREMPUAN', bloodType: 'AB', maritalStatus: 'BELUM KAWIN', occupation: 'KARYAWAN SWASTA', familyRelationship: 'KEPALA KELUARGA', expect: 'eligible' },
    ],
  },
  {
    card: { ...BULELENG, kk: '5108050403219001', street: 'BANJAR DINAS KAJA', rt: '001', rw: '001', village: 'PANJI', district: 'SUKASADA', districtCode: '510805', issuedOn: '2021-03-04' },
    religion: 'HINDU',
    people: [
      { nik: '5108051706999001', name: 'I KOMANG SUARDANA', birthPlace: 'SINGARAJA', birthDate: '1999-06-17', sex: 'LAKI-LAKI', bloodType: '-', maritalStatus: 'BELUM KAWIN', occupation: 'PETANI/PEKEBUN', familyRelationship: 'KEPALA KELUARGA', ktpElRecorded: false, expect: 'no_ktp_el' },
    ],
  },
  {
    card: { ...PAREPARE, kk: '7372031902109001', street: 'JL. BAU MASSEPE NO. 112', rt: '005', rw: '003', village: 'UJUNG BARU', district: 'SOREANG', districtCode: '737203', issuedOn: '2010-02-19' },
    religion: 'ISLAM',
    people: [
      { nik: '7372032511799001', name: 'ABDUL RAHMAN SYAM', birthPlace: 'PAREPARE', birthDate: '1979-11-25', sex: 'LAKI-LAKI', bloodType: 'O', maritalStatus: 'CERAI HIDUP', occupation: 'PEGAWAI NEGERI SIPIL (PNS)', familyRelationship: 'KEPALA KELUARGA', expect: 'eligible' },
    ],
  },
  {
    card: { ...PAREPARE, kk: '7372010605149001', street: 'JL. JEND. SUDIRMAN NO. 41', rt: '002', rw: '004', village: 'LOMPOE', district: 'BACUKIKI', districtCode: '737201', issuedOn: '2014-05-06' },
    religion: 'ISLAM',
    people: [
      { nik: '7372014804729001', name: 'SITTI AMINAH', birthPlace: 'PAREPARE', birthDate: '1972-04-08', sex: 'PEREMPUAN', bloodType: 'A', maritalStatus: 'CERAI MATI', occupation: 'PEDAGANG', familyRelationship: 'KEPALA KELUARGA', recordStatus: 'duplicate', expect: 'duplicate_record' },
    ],
  },
];

const demoParentName = (religion: string, sex: string) =>
  religion === 'HINDU' ? (sex === 'LAKI-LAKI' ? 'I WAYAN SUDARMA' : 'NI NYOMAN SARI') : sex === 'LAKI-LAKI' ? 'LA BECCE' : 'I MANNENG';

/** The demo households as table rows (also used by tests). */
export function demoRegistryRows(): { cards: RegistryFamilyCardRow[]; residents: RegistryResidentRow[] } {
  const demoSerials = new Map<string, number>();
  const cards: RegistryFamilyCardRow[] = [];
  const residents: RegistryResidentRow[] = [];
  for (const h of DEMO_HOUSEHOLDS) {
    cards.push({ ...h.card, headNik: h.people[0]!.nik });
    h.people.forEach(({ expect: _expect, ...p }, i) => {
      residents.push({
        ...p,
        kk: h.card.kk,
        street: h.card.street,
        rt: h.card.rt,
        rw: h.card.rw,
        village: h.card.village,
        district: h.card.district,
        regency: h.card.regency,
        province: h.card.province,
        provinceCode: h.card.provinceCode,
        regencyCode: h.card.regencyCode,
        districtCode: h.card.districtCode,
        religion: h.religion,
        citizenship: 'WNI',
        ktpElRecorded: p.ktpElRecorded ?? true,
        recordStatus: p.recordStatus ?? 'single',
        deceased: p.deceased ?? false,
        familyOrder: i + 1,
      });
    });
    addCivilRecords(
      residents.filter((r) => r.kk === h.card.kk),
      { asOf: DEFAULT_AS_OF, serials: demoSerials, serialBase: 9000, parentName: (_rnd, sex) => demoParentName(h.religion, sex) },
    );
  }
  return { cards, residents };
}

/**
 * Inserts (idempotently) the fixed demo residents: four eligible (Pangkep ×2 incl. a woman, Buleleng, Parepare)
 * and exactly one of each ineligible kind. Returns them in the shape of dev-credentials.json.
 */
export async function seedDemoResidents(db: Db): Promise<DemoResident[]> {
  const { cards, residents } = demoRegistryRows();
  await db.transaction(async (tx) => {
    await insertCards(tx, cards);
    await insertResidents(tx, residents);
  });
  return DEMO_HOUSEHOLDS.flatMap((h) =>
    h.people.map((p) =>
      p.expect === 'eligible'
        ? { nik: p.nik, name: p.name, birthDate: p.birthDate, eligible: true }
        : { nik: p.nik, name: p.name, birthDate: p.birthDate, eligible: false, reason: p.expect },
    ),
  );
}

function toResident(row: typeof registryResidents.$inferSelect): RegistryResident {
  return {
    nik: row.nik,
    kk: row.kk,
    name: row.name,
    birthPlace: row.birthPlace,
    birthDate: row.birthDate,
    sex: row.sex,
    bloodType: row.bloodType,
    address: addressOf(row),
    religion: row.religion,
    maritalStatus: row.maritalStatus,
    occupation: row.occupation,
    citizenship: row.citizenship,
    ktpElRecorded: row.ktpElRecorded,
    recordStatus: row.recordStatus,
    deceased: row.deceased,
    provinceCode: row.provinceCode,
    regencyCode: row.regencyCode,
    districtCode: row.districtCode,
  };
}

type ResidentSelect = typeof registryResidents.$inferSelect;

/** Rows seeded before migration 0006 have no civil facts: shown as "-" (the KK's blank), never as null. */
const orBlank = (value: string | null) => value ?? '-';
const certificate = (number: string | null, issuedOn: string | null): Certificate | null =>
  number && issuedOn ? { number, issuedOn } : null;

function toFamilyMember(row: ResidentSelect): FamilyMember {
  return {
    nik: row.nik,
    name: row.name,
    relationship: row.familyRelationship,
    sex: row.sex,
    birthPlace: row.birthPlace,
    birthDate: row.birthDate,
    religion: row.religion,
    education: orBlank(row.education),
    occupation: row.occupation,
    maritalStatus: row.maritalStatus,
    citizenship: row.citizenship,
    fatherName: orBlank(row.fatherName),
    motherName: orBlank(row.motherName),
    deceased: row.deceased,
  };
}

function toCivilRecord(row: ResidentSelect): CivilRecord {
  return {
    nik: row.nik,
    kk: row.kk,
    familyRelationship: row.familyRelationship,
    education: orBlank(row.education),
    fatherName: orBlank(row.fatherName),
    motherName: orBlank(row.motherName),
    birthCertificate: certificate(row.birthCertificateNumber, row.birthCertificateIssuedOn),
    marriageCertificate: certificate(row.marriageCertificateNumber, row.marriageDate),
    divorceCertificate: certificate(row.divorceCertificateNumber, row.divorceDate),
    deathCertificate: certificate(row.deathCertificateNumber, row.deathDate),
    kia: row.kiaIssuedOn ? { number: row.nik, issuedOn: row.kiaIssuedOn } : null,
  };
}

function addressOf(row: Address): Address {
  return {
    street: row.street,
    rt: row.rt,
    rw: row.rw,
    village: row.village,
    district: row.district,
    regency: row.regency,
    province: row.province,
  };
}
