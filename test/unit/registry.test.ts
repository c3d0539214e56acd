import { count, eq } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryFamilyCards, registryResidents } from '../../src/db/schema/registry.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createPgliteDatabase } from '../../src/db/pglite.js';
import type { Database } from '../../src/db/types.js';
import { parseNik } from '../../src/domain/enrolment/nik.js';
import { findDistrict, findRegency } from '../../src/registry/regions.js';
import type { PopulationRegistry } from '../../src/registry/port.js';
import { renderPortrait } from '../../src/registry/portrait.js';
import {
  createSeededRegistry,
  demoRegistryRows,
  ineligibilityReason,
  portraitOptions,
  seedDemoResidents,
  seedRegistry,
  type DemoResident,
} from '../../src/registry/seeded.js';
import { ageOn, generateSyntheticRegistry } from '../../src/registry/synthetic.js';

const NOW = new Date('2026-11-23T08:00:00Z');
const SEED = 'registry-test';

let database: Database;
let registry: PopulationRegistry;
let demo: DemoResident[];

beforeAll(async () => {
  database = await createPgliteDatabase();
  await applyMigrations(database);
  registry = createSeededRegistry(database.db);
});

afterAll(async () => {
  await database.close();
});

const residentCount = async () => (await database.db.select({ n: count() }).from(registryResidents))[0]!.n;

describe('seedRegistry', () => {
  it('inserts the requested residents and their family cards', async () => {
    const { inserted } = await seedRegistry(database.db, { count: 1500, seed: SEED });
    expect(inserted).toBe(1500);
    expect(await residentCount()).toBe(1500);
    const families = generateSyntheticRegistry({ count: 1500, seed: SEED });
    const [cards] = await database.db.select({ n: count() }).from(registryFamilyCards);
    expect(cards!.n).toBe(families.length);
  });

  it('is idempotent, and a larger count only adds the difference', async () => {
    expect(await seedRegistry(database.db, { count: 1500, seed: SEED })).toEqual({ inserted: 0 });
    expect(await seedRegistry(database.db, { count: 1700, seed: SEED })).toEqual({ inserted: 200 });
    expect(await residentCount()).toBe(1700);
    expect(await seedRegistry(database.db, { count: 0 })).toEqual({ inserted: 0 });
  });
});

describe('seedDemoResidents', () => {
  beforeAll(async () => {
    demo = await seedDemoResidents(database.db);
  });

  it('has at least three eligible residents from Pangkep, Buleleng and Parepare, one of them a woman', () => {
    const eligible = demo.filter((d) => d.eligible);
    expect(eligible.length).toBeGreaterThanOrEqual(3);
    const regencies = new Set(eligible.map((d) => d.nik.slice(0, 4)));
    expect(regencies).toEqual(new Set(['7310', '5108', '7372']));
    const sexOf = (nik: string) => {
      const parsed = parseNik(nik, NOW);
      return parsed.ok ? parsed.value.sex : null;
    };
    expect(eligible.some((d) => sexOf(d.nik) === 'PEREMPUAN')).toBe(true);
    for (const d of eligible) expect(d.reason).toBeUndefined();
  });

  it('has exactly one resident of each ineligible kind', () => {
    const reasons = demo.filter((d) => !d.eligible).map((d) => d.reason);
    expect(reasons.sort()).toEqual(['deceased', 'duplicate_record', 'no_ktp_el', 'under_17_unmarried']);
  });

  it('uses NIKs that validate and match the stated birth dates', () => {
    for (const d of demo) {
      const parsed = parseNik(d.nik, NOW);
      expect(parsed.ok, d.nik).toBe(true);
      expect(parsed.ok && parsed.value.birthDate).toBe(d.birthDate);
    }
  });

  it('stores each demo resident so that the registry agrees with the stated eligibility', async () => {
    for (const d of demo) {
      const resident = await registry.findResident(d.nik);
      expect(resident?.name).toBe(d.name);
      expect(resident?.birthDate).toBe(d.birthDate);
      expect(ineligibilityReason(resident!, NOW)).toBe(d.eligible ? null : d.reason);
    }
  });

  it('is idempotent and returns the same list', async () => {
    const before = await residentCount();
    expect(await seedDemoResidents(database.db)).toEqual(demo);
    expect(await residentCount()).toBe(before);
  });
});

describe('createSeededRegistry', () => {
  it('finds a synthetic resident with every KTP element', async () => {
    const row = generateSyntheticRegistry({ count: 1700, seed: SEED }).flatMap((f) => f.members)[1234]!;
    const resident = await registry.findResident(row.nik);
    expect(resident).toEqual({
      nik: row.nik,
      kk: row.kk,
      name: row.name,
      birthPlace: row.birthPlace,
      birthDate: row.birthDate,
      sex: row.sex,
      bloodType: row.bloodType,
      address: { street: row.street, rt: row.rt, rw: row.rw, village: row.village, district: row.district, regency: row.regency, province: row.province },
      religion: row.religion,
      maritalStatus: row.maritalStatus,
      occupation: row.occupation,
      citizenship: 'WNI',
      ktpElRecorded: row.ktpElRecorded,
      recordStatus: row.recordStatus,
      deceased: row.deceased,
      provinceCode: row.provinceCode,
      regencyCode: row.regencyCode,
      districtCode: row.districtCode,
    });
  });

  it('returns null for an unknown NIK, and for input that is not a NIK', async () => {
    expect(await registry.findResident('7310041207850001')).toBeNull();
    expect(await registry.findResident("' OR 1=1 --")).toBeNull();
    expect(await registry.residentPhoto('7310041207850001')).toBeNull();
  });

  it('returns a PNG portrait for a resident with a KTP-el recording, the same bytes every time', async () => {
    const nik = '5108064302949001';
    const photo = await registry.residentPhoto(nik);
    expect(photo?.contentType).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(photo!.bytes));
    expect([png.width, png.height]).toEqual([120, 160]);
    const [row] = await database.db.select().from(registryResidents).where(eq(registryResidents.nik, nik));
    expect(Buffer.from(photo!.bytes).equals(Buffer.from(renderPortrait(nik, portraitOptions(row!))))).toBe(true);
    expect(Buffer.from((await registry.residentPhoto(nik))!.bytes).equals(Buffer.from(photo!.bytes))).toBe(true);
  });

  it('has a photo for every resident with a KTP-el recording and none for those without', async () => {
    const rows = await database.db
      .select({ nik: registryResidents.nik, ktpElRecorded: registryResidents.ktpElRecorded })
      .from(registryResidents)
      .limit(120);
    expect(rows.some((r) => r.ktpElRecorded)).toBe(true);
    expect(rows.some((r) => !r.ktpElRecorded)).toBe(true);
    for (const r of rows) {
      const photo = await registry.residentPhoto(r.nik);
      expect(photo !== null, r.nik).toBe(r.ktpElRecorded);
    }
    expect(await registry.residentPhoto('5108051706999001')).toBeNull(); // the demo resident without a recording
  });

  it('returns a family card with its members in KK order', async () => {
    const card = await registry.familyCard('7310041503129001');
    expect(card).toMatchObject({
      kk: '7310041503129001',
      headNik: '7310041207859001',
      issuedOn: '2012-03-15',
      address: {
        street: 'JL. SULTAN HASANUDDIN NO. 27',
        rt: '002',
        rw: '001',
        village: 'TUMAMPUA',
        district: 'PANGKAJENE',
        regency: 'KABUPATEN PANGKAJENE DAN KEPULAUAN',
        province: 'SULAWESI SELATAN',
      },
      members: [
        { nik: '7310041207859001', name: 'MUHAMMAD ARIF', relationship: 'KEPALA KELUARGA', sex: 'LAKI-LAKI' },
        { nik: '7310044901909001', name: 'HASNAWATI', relationship: 'ISTRI' },
        { nik: '7310040209149001', name: 'MUHAMMAD FAHRI', relationship: 'ANAK', fatherName: 'MUHAMMAD ARIF', motherName: 'HASNAWATI' },
      ],
    });
    expect(await registry.familyCard('0000000000000000')).toBeNull();
  });

  it('returns synthetic family cards that list every member of the family', async () => {
    const family = generateSyntheticRegistry({ count: 1700, seed: SEED }).find((f) => f.members.length >= 4)!;
    const card = await registry.familyCard(family.card.kk);
    expect(card?.headNik).toBe(family.members[0]!.nik);
    expect(card?.members.map((m) => m.nik)).toEqual(family.members.map((m) => m.nik));
  });

  it('gives every family consistent civil records (shared marriage certificate, parents on the KK, KIA, death, divorce)', () => {
    const families = generateSyntheticRegistry({ count: 3000, seed: SEED });
    let couples = 0;
    let divorced = 0;
    let deceased = 0;
    let kia = 0;
    for (const { members } of families) {
      const [head, ...rest] = members;
      const spouse = rest.find((m) => m.familyRelationship === 'ISTRI' || m.familyRelationship === 'SUAMI');
      if (spouse) {
        couples++;
        expect(spouse.marriageCertificateNumber).toBeTruthy();
        expect(spouse.marriageCertificateNumber).toBe(head!.marriageCertificateNumber);
        expect(spouse.marriageDate).toBe(head!.marriageDate);
      }
      for (const m of members) {
        expect(m.education).toBeTruthy();
        expect(m.fatherName).toBeTruthy();
        expect(m.motherName).toBeTruthy();
        expect(Boolean(m.marriageCertificateNumber), m.nik).toBe(m.familyRelationship === 'KEPALA KELUARGA' ? m.maritalStatus !== 'BELUM KAWIN' : Boolean(spouse && m === spouse));
        expect(Boolean(m.divorceCertificateNumber)).toBe(m.maritalStatus === 'CERAI HIDUP' && m.familyRelationship === 'KEPALA KELUARGA');
        expect(Boolean(m.deathCertificateNumber)).toBe(m.deceased);
        const minor = ageOn(m.birthDate, '2025-12-31') < 17 && m.maritalStatus === 'BELUM KAWIN';
        expect(Boolean(m.kiaIssuedOn)).toBe(minor);
        if (m.divorceCertificateNumber) divorced++;
        if (m.deceased) deceased++;
        if (m.kiaIssuedOn) kia++;
        if (m.familyRelationship === 'ANAK') {
          const parents = [head!, spouse].filter(Boolean).map((p) => p!.name);
          expect(parents.some((p) => p === m.fatherName || p === m.motherName), m.nik).toBe(true);
          if (head!.marriageDate && spouse) expect(head!.marriageDate < m.birthDate).toBe(true);
        }
      }
    }
    expect(couples).toBeGreaterThan(100);
    expect(divorced).toBeGreaterThan(5);
    expect(deceased).toBeGreaterThan(5);
    expect(kia).toBeGreaterThan(100);
    // Deterministic: the same seed gives the same certificate numbers.
    const again = generateSyntheticRegistry({ count: 3000, seed: SEED });
    expect(again.at(-1)!.members.map((m) => m.marriageCertificateNumber)).toEqual(families.at(-1)!.members.map((m) => m.marriageCertificateNumber));
  });

  it('reads a resident\'s civil record and the demo family\'s documents', async () => {
    const husband = await registry.civilRecord('7310041207859001');
    const wife = await registry.civilRecord('7310044901909001');
    const child = await registry.civilRecord('7310040209149001');
    expect(husband?.marriageCertificate?.number).toMatch(/^7310-KW-\d{8}-9\d{3}$/);
    expect(wife?.marriageCertificate).toEqual(husband?.marriageCertificate);
    expect(child?.kia).toEqual({ number: '7310040209149001', issuedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(child?.fatherName).toBe('MUHAMMAD ARIF');
    expect((await registry.civilRecord('7310062005419001'))?.deathCertificate?.number).toMatch(/-KM-/);
    expect((await registry.civilRecord('7372032511799001'))?.divorceCertificate?.number).toMatch(/-CR-/);
    expect(await registry.civilRecord('0000000000000000')).toBeNull();
  });

  it('keeps the demo rows consistent with the demo list and the region table', () => {
    const { residents } = demoRegistryRows();
    for (const d of demo) expect(residents.some((r) => r.nik === d.nik && r.name === d.name)).toBe(true);
    for (const r of residents) {
      const district = findDistrict(r.districtCode);
      expect(district?.name).toBe(r.district);
      expect(district?.villages).toContain(r.village);
      expect(findRegency(r.regencyCode)?.name).toBe(r.regency);
      expect(findRegency(r.regencyCode)?.seat).toBe(r.birthPlace);
    }
  });
});

describe('holderRecords', () => {
  it('answers in one read what findResident, civilRecord and familyCard answer in three', async () => {
    await seedRegistry(database.db, { count: 1500, seed: SEED });
    const niks = (await database.db.select({ nik: registryResidents.nik }).from(registryResidents).limit(40)).map((r) => r.nik);
    expect(niks.length).toBe(40);
    for (const nik of niks) {
      const resident = await registry.findResident(nik);
      const expected = { resident, civil: await registry.civilRecord(nik), family: await registry.familyCard(resident!.kk) };
      expect(await registry.holderRecords(nik)).toEqual(expected);
    }
  });

  it('gives null for an unknown NIK, and family null when the card row is missing', async () => {
    expect(await registry.holderRecords('9999999999999999')).toBeNull();
    const [someone] = await database.db.select().from(registryResidents).limit(1);
    const orphan = { ...someone!, nik: '9999990101019999', kk: '9999990101010000', familyOrder: 1 };
    await database.db.insert(registryResidents).values(orphan);
    const records = await registry.holderRecords(orphan.nik);
    expect(records?.resident.nik).toBe(orphan.nik);
    expect(records?.civil.kk).toBe(orphan.kk);
    expect(records?.family).toBeNull();
    await database.db.delete(registryResidents).where(eq(registryResidents.nik, orphan.nik));
  });
});
