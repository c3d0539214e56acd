/**
 * Demo and development only: three user institutions (BPJS Kesehatan, BPJS Ketenagakerjaan, Ditjen Pajak) as
 * verifiers granted their data-balikan kinds, and example records of theirs about the eligible demo residents, so
 * "Data dari instansi" has something to show. Idempotent: an institution is found by its name and seed actor.
 */
import { and, eq } from 'drizzle-orm';
import type { KtpElement, TokenDocument } from '../crypto/token-codec.js';
import { verifiers } from '../db/schema/index.js';
import type { Deps } from '../deps.js';
import { seedDataBalikanRecord, type DataBalikanField } from '../domain/holder/data-balikan.js';
import { createVerifier, rotateVerifierKey } from '../domain/verifiers/verifiers.js';
import { demoRegistryRows, type DemoResident } from '../registry/seeded.js';

const SEED_ACTOR = 'demo-seed';

type DemoRow = ReturnType<typeof demoRegistryRows>['residents'][number];

interface DemoInstitution {
  name: string;
  kind: string;
  allowedElements: KtpElement[];
  allowedDocuments: TokenDocument[];
  /** The example record for a demo resident, or null when this institution would hold none. */
  record(resident: DemoRow, age: number): DataBalikanField[] | null;
}

/** A stable number of `digits` digits from the NIK, so each resident's example numbers stay the same across seeds. */
function numberFrom(nik: string, salt: number, digits: number): string {
  let n = BigInt(nik) * 7919n + BigInt(salt);
  let out = '';
  while (out.length < digits) {
    out += String(n % 10n);
    n = n / 10n + BigInt(salt) * 31n;
  }
  return out;
}

const regencyName = (r: DemoRow) => r.regency.replace(/^KABUPATEN |^KOTA /, '');
const titleCase = (s: string) => s.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase());

export const DEMO_INSTITUTIONS: readonly DemoInstitution[] = [
  {
    name: 'BPJS Kesehatan',
    kind: 'bpjs_kesehatan',
    allowedElements: ['nik', 'name', 'birthDate', 'sex', 'address', 'photo'],
    allowedDocuments: ['ktp', 'family_card'],
    record: (r, age) => [
      { label: 'Nomor Kartu JKN', value: `000${numberFrom(r.nik, 1, 10)}` },
      { label: 'Segmen Peserta', value: age < 18 ? 'Anggota keluarga' : /GURU|PEGAWAI|KARYAWAN/.test(r.occupation) ? 'Pekerja Penerima Upah' : 'Pekerja Bukan Penerima Upah' },
      { label: 'Kelas Rawat', value: `Kelas ${1 + (Number(r.nik.slice(-1)) % 3)}` },
      { label: 'Faskes Tingkat I', value: `Puskesmas ${titleCase(r.district)}` },
      { label: 'Status', value: 'Aktif' },
    ],
  },
  {
    name: 'BPJS Ketenagakerjaan',
    kind: 'bpjs_ketenagakerjaan',
    allowedElements: ['nik', 'name', 'birthDate', 'occupation'],
    allowedDocuments: ['ktp'],
    record: (r, age) =>
      age < 18 || /PELAJAR|BELUM\/TIDAK BEKERJA|MENGURUS RUMAH TANGGA/.test(r.occupation)
        ? null
        : [
            { label: 'Nomor KPJ', value: numberFrom(r.nik, 2, 11) },
            { label: 'Program', value: 'JHT, JKK, JKM' },
            { label: 'Kantor Cabang', value: `${titleCase(regencyName(r))}` },
            { label: 'Status', value: 'Aktif' },
          ],
  },
  {
    name: 'Direktorat Jenderal Pajak',
    kind: 'npwp',
    allowedElements: ['nik', 'name', 'address'],
    allowedDocuments: ['ktp'],
    // Since 2024 the NIK is the NPWP of a resident taxpayer (PMK 112/2022).
    record: (r, age) =>
      age < 18
        ? null
        : [
            { label: 'NPWP', value: r.nik },
            { label: 'Status', value: 'Aktif' },
            { label: 'KPP', value: `KPP Pratama ${titleCase(regencyName(r))}` },
          ],
  },
];

export interface DemoInstitutionKey {
  name: string;
  id: string;
  dataBalikanKinds: string[];
  /** Only when a key was made in this run (a new institution, or a rotated key when `keys: 'rotate'`). */
  apiKey?: string;
}

const ageOn = (birthDate: string, at: Date) => {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const age = at.getUTCFullYear() - y;
  return at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d) ? age - 1 : age;
};

/**
 * Ensures the demo institutions and their records about the eligible, living demo residents. With `keys: 'rotate'`
 * an institution that already existed gets a fresh key (its old one stops working), for dev-credentials.json.
 */
export async function seedDemoInstitutions(
  deps: Pick<Deps, 'db' | 'clock' | 'logger'>,
  input: { residents: readonly DemoResident[]; keys?: 'rotate' | 'keep' },
): Promise<{ institutions: DemoInstitutionKey[]; records: number }> {
  const now = deps.clock.now();
  const actor = { actorType: 'system' as const, actorId: SEED_ACTOR };
  const rows = new Map(demoRegistryRows().residents.map((r) => [r.nik, r]));
  const institutions: DemoInstitutionKey[] = [];
  let records = 0;
  for (const institution of DEMO_INSTITUTIONS) {
    const [existing] = await deps.db
      .select({ id: verifiers.id })
      .from(verifiers)
      .where(and(eq(verifiers.name, institution.name), eq(verifiers.createdBy, SEED_ACTOR), eq(verifiers.status, 'active')));
    let key: DemoInstitutionKey;
    if (existing) {
      const rotated = input.keys === 'rotate' ? await rotateVerifierKey(deps, { id: existing.id, actor }) : null;
      key = { name: institution.name, id: existing.id, dataBalikanKinds: [institution.kind], ...(rotated ? { apiKey: rotated.apiKey } : {}) };
    } else {
      const created = await createVerifier(deps, {
        name: institution.name,
        allowedElements: institution.allowedElements,
        allowedDocuments: institution.allowedDocuments,
        dataBalikanKinds: [institution.kind],
        actor,
      });
      key = { name: institution.name, id: created.id, dataBalikanKinds: [institution.kind], apiKey: created.apiKey };
    }
    institutions.push(key);
    for (const resident of input.residents) {
      const row = rows.get(resident.nik);
      if (!resident.eligible || !row || row.deceased) continue;
      const fields = institution.record(row, ageOn(row.birthDate, now));
      if (!fields) continue;
      await seedDataBalikanRecord(deps.db, { nik: row.nik, verifierId: key.id, kind: institution.kind, fields, at: now });
      records += 1;
    }
  }
  return { institutions, records };
}
