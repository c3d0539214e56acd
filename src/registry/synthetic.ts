/**
 * A deterministic generator of synthetic registry data: families (Kartu Keluarga) with their members and every
 * KTP element. Same count, seed and as-of date → the same rows, and a larger count extends a smaller one.
 *
 * Most households live in Pangkajene dan Kepulauan, Buleleng and Parepare (the regions of the seeds); the rest
 * rotate through the 34 provinces of the registration table, in the regencies the hand-written detail of regions.ts
 * covers. Given the package's villages (`villages`, villages.ts; Node), the rest rotate through all 38 provinces and
 * 514 regencies, and `regencies` puts every household in the regencies named. NIKs are structurally valid (domain/enrolment/nik.ts) and unique: the serial counts
 * up per district + birth digits. Ineligible residents occur in small, realistic proportions: the deceased
 * (mostly elderly), minors (under 17, never married), adults without a KTP-el recording, duplicate records.
 */
import type { RegistryFamilyCardRow, RegistryResidentRow } from '../db/schema/registry.js';
import { composeNik } from '../domain/enrolment/nik.js';
import type { MaritalStatus, Sex } from './port.js';
import { createRandom, type Random } from './prng.js';
import { PROVINCES, REGENCIES, REGISTRATION_TABLE_PROVINCES, findProvince, findRegency, regenciesOfProvince, type District, type Regency } from './regions.js';
import { nameStyleFor, personName, surnamePool, type NameStyle } from './synthetic-names.js';

export const DEFAULT_SEED = 'ikd-synthetic-v1';
/** Ages are computed against this date, not the wall clock, so the data never drifts between runs. */
export const DEFAULT_AS_OF = '2025-12-31';
/** NIK and KK serials from 9000 up are reserved for the fixed demo residents (seeded.ts). */
export const SYNTHETIC_SERIAL_LIMIT = 8999;

export interface SyntheticFamily {
  card: RegistryFamilyCardRow;
  members: RegistryResidentRow[];
}

export interface SyntheticOptions {
  /** Number of residents to produce (the last family may be cut short). */
  count: number;
  seed?: string;
  /** YYYY-MM-DD */
  asOf?: string;
  /** Every village of a district (six digits), e.g. from loadVillages() in villages.ts: opens all 514 regencies. */
  villages?: (districtCode: string) => readonly string[];
  /** Four-digit regency codes: every household lives in one of these (any regency; needs `villages` outside the detail). */
  regencies?: readonly string[];
}

/** Yields families until `count` residents have been produced. */
export function* generateFamilies(options: SyntheticOptions): Generator<SyntheticFamily> {
  const generator = new SyntheticRegistry(options.seed ?? DEFAULT_SEED, options.asOf ?? DEFAULT_AS_OF, options);
  let remaining = options.count;
  while (remaining > 0) {
    const family = generator.nextFamily();
    if (family.members.length > remaining) family.members = family.members.slice(0, remaining);
    remaining -= family.members.length;
    yield family;
  }
}

export function generateSyntheticRegistry(options: SyntheticOptions): SyntheticFamily[] {
  return [...generateFamilies(options)];
}

// --- reference distributions --------------------------------------------------------------------------------

type Weighted<T> = readonly (readonly [T, number])[];

const RELIGION_BY_PROVINCE: Record<string, Weighted<string>> = {
  '12': [['ISLAM', 63], ['KRISTEN', 27], ['KATHOLIK', 7], ['BUDHA', 3]],
  '31': [['ISLAM', 84], ['KRISTEN', 8], ['KATHOLIK', 4], ['BUDHA', 3], ['KHONGHUCU', 1]],
  '51': [['HINDU', 86], ['ISLAM', 10], ['KRISTEN', 2], ['KATHOLIK', 1], ['BUDHA', 1]],
  '52': [['ISLAM', 96], ['HINDU', 3], ['BUDHA', 1]],
  '53': [['KATHOLIK', 54], ['KRISTEN', 36], ['ISLAM', 10]],
  '61': [['ISLAM', 60], ['KATHOLIK', 22], ['KRISTEN', 11], ['BUDHA', 6], ['KHONGHUCU', 1]],
  '62': [['ISLAM', 74], ['KRISTEN', 17], ['HINDU', 5], ['KATHOLIK', 4]],
  '64': [['ISLAM', 86], ['KRISTEN', 9], ['KATHOLIK', 5]],
  '65': [['ISLAM', 72], ['KRISTEN', 20], ['KATHOLIK', 8]],
  '71': [['KRISTEN', 64], ['ISLAM', 31], ['KATHOLIK', 5]],
  '72': [['ISLAM', 79], ['KRISTEN', 17], ['HINDU', 4]],
  '73': [['ISLAM', 92], ['KRISTEN', 6], ['KATHOLIK', 2]],
  '76': [['ISLAM', 83], ['KRISTEN', 17]],
  '81': [['ISLAM', 52], ['KRISTEN', 41], ['KATHOLIK', 7]],
  '82': [['ISLAM', 75], ['KRISTEN', 25]],
  '91': [['KRISTEN', 65], ['KATHOLIK', 18], ['ISLAM', 17]],
  '92': [['KRISTEN', 54], ['ISLAM', 38], ['KATHOLIK', 8]],
};
const DEFAULT_RELIGION: Weighted<string> = [['ISLAM', 97], ['KRISTEN', 2], ['KATHOLIK', 1]];

const BLOOD: Weighted<string> = [['-', 35], ['O', 27], ['B', 17], ['A', 16], ['AB', 5]];

const OCCUPATION_URBAN: Weighted<string> = [
  ['WIRASWASTA', 24], ['KARYAWAN SWASTA', 20], ['PEDAGANG', 10], ['PEGAWAI NEGERI SIPIL (PNS)', 8],
  ['BURUH HARIAN LEPAS', 8], ['GURU', 4], ['SOPIR', 4], ['KARYAWAN HONORER', 4], ['TRANSPORTASI', 3],
  ['KEPOLISIAN RI (POLRI)', 2], ['TENTARA NASIONAL INDONESIA (TNI)', 2], ['PERAWAT', 2], ['BIDAN', 1],
  ['DOSEN', 1], ['DOKTER', 1], ['PENJAHIT', 2], ['KONSTRUKSI', 2], ['BELUM/TIDAK BEKERJA', 2],
];
const OCCUPATION_RURAL: Weighted<string> = [
  ['PETANI/PEKEBUN', 34], ['BURUH TANI/PERKEBUNAN', 10], ['WIRASWASTA', 14], ['NELAYAN/PERIKANAN', 8],
  ['PEDAGANG', 6], ['PETERNAK', 4], ['BURUH HARIAN LEPAS', 8], ['PEGAWAI NEGERI SIPIL (PNS)', 3],
  ['GURU', 3], ['TUKANG BATU', 3], ['TUKANG KAYU', 2], ['SOPIR', 2], ['KARYAWAN SWASTA', 3],
];
const OCCUPATION_ISLAND: Weighted<string> = [
  ['NELAYAN/PERIKANAN', 62], ['WIRASWASTA', 12], ['PEDAGANG', 8], ['BURUH HARIAN LEPAS', 8],
  ['GURU', 3], ['TUKANG KAYU', 4], ['PEGAWAI NEGERI SIPIL (PNS)', 3],
];
/** Pangkep's island districts: Liukang Tangaya, Liukang Kalmas, Liukang Tupabbiring (Utara). */
const ISLAND_DISTRICTS = new Set(['731001', '731002', '731003', '731013']);
/** Semen Tonasa's districts in Pangkep. */
const CEMENT_DISTRICTS = new Set(['731005', '731006']);
/** Kabupaten districts that are really the seat town. */
const TOWN_DISTRICTS = new Set(['731004', '510806']);

const URBAN_STREETS = [
  'JEND. SUDIRMAN', 'AHMAD YANI', 'DIPONEGORO', 'GATOT SUBROTO', 'PAHLAWAN', 'MERDEKA', 'KARTINI', 'VETERAN',
  'PATTIMURA', 'GAJAH MADA', 'IMAM BONJOL', 'TEUKU UMAR', 'MH. THAMRIN', 'DR. WAHIDIN', 'MELATI', 'MAWAR',
  'ANGGREK', 'KENANGA', 'CENDANA', 'PERINTIS KEMERDEKAAN',
];
const STREETS_BY_REGENCY: Record<string, readonly string[]> = {
  '7310': ['SULTAN HASANUDDIN', 'POROS MAKASSAR-PAREPARE', 'AHMAD YANI', 'KEMAKMURAN', 'MATAHARI', 'SAMBUNG JAWA', 'BADAK'],
  '7372': ['BAU MASSEPE', 'ANDI MAKKASAU', 'LASINRANG', 'JEND. SUDIRMAN', 'BJ HABIBIE', 'MATTIROTASI', 'LAHALEDE', 'KESATRIA'],
  '5108': ['NGURAH RAI', 'UDAYANA', 'SURAPATI', 'PAHLAWAN', 'DEWI SARTIKA', 'JELANTIK GINGSIR', 'GAJAH MADA', 'PULAU MENJANGAN'],
};
const HAMLETS_BUGIS = ['BONTO', 'KAMPUNG BARU', 'LEANG', 'BIRING', 'TALLASA', 'PARANG', 'TANETE', 'BORONG', 'SALO', 'TAMARUNANG', 'LAPPA'];
const HAMLETS_BALI = ['KAJA', 'KELOD', 'TENGAH', 'KANGIN', 'KAUH', 'DESA', 'DANGIN PANGKUNG', 'BABAKAN'];
const HAMLETS_OTHER = ['I', 'II', 'III', 'IV', 'SUKAMAJU', 'KRAJAN', 'MEKAR SARI', 'SUKA DAMAI', 'TANJUNG', 'HARAPAN'];

const FOCUS_WEIGHTS: Weighted<string> = [
  ['7310', 25],
  ['5108', 25],
  ['7372', 15],
  ['other', 35],
];

// --- the generator ----------------------------------------------------------------------------------------------

interface Household {
  regency: Regency;
  district: District;
  village: string;
  street: string;
  rt: string;
  rw: string;
  religion: string;
  style: NameStyle;
  surname: string | undefined;
  /** ANDI for the head's line (Bugis households). */
  noble: boolean;
  urban: boolean;
  island: boolean;
}

interface PersonSpec {
  sex: Sex;
  birthDate: string;
  relationship: string;
  maritalStatus: MaritalStatus;
  deceased?: boolean;
  /** Where the NIK was first issued; defaults to the household's district. */
  nikDistrict?: District;
  birthOrder?: number;
  surname?: string | null;
  name?: string;
  occupation?: string;
}

const HEAD = 'KEPALA KELUARGA';

class SyntheticRegistry {
  private readonly rnd: Random;
  private readonly asOfDay: number;
  private readonly nikSerials = new Map<string, number>();
  private readonly kkSerials = new Map<string, number>();
  private readonly certificateSerials = new Map<string, number>();
  private provinceTurn = 0;

  private readonly villages: ((districtCode: string) => readonly string[]) | undefined;
  private readonly only: Regency[] | undefined;
  /** Without the package's villages: the registration table's provinces and the regencies with hand-written villages. */
  private readonly provinces = REGISTRATION_TABLE_PROVINCES;
  private readonly regencies: readonly Regency[];

  constructor(
    seed: string,
    private readonly asOf: string,
    options: Pick<SyntheticOptions, 'villages' | 'regencies'> = {},
  ) {
    this.rnd = createRandom(`synthetic:${seed}`);
    this.asOfDay = toDay(asOf);
    this.villages = options.villages;
    if (this.villages) this.provinces = PROVINCES;
    this.regencies = this.villages ? REGENCIES : REGENCIES.filter((r) => r.detailed);
    if (options.regencies) {
      this.only = options.regencies.map((code) => {
        const regency = findRegency(code);
        if (!regency) throw new Error(`unknown regency code: ${code}`);
        if (!this.villages && !regency.detailed) throw new Error(`regency ${code} needs the package's villages (villages option)`);
        return regency;
      });
      if (this.only.length === 0) throw new Error('regencies: at least one code');
    }
  }

  /** The districts households may live in: all of them with the package's villages, else those with detail. */
  private districtsOf(regency: Regency): readonly District[] {
    return this.villages ? regency.districts : regency.districts.filter((d) => d.villages.length > 0);
  }

  private villagesOf(district: District): readonly string[] {
    if (district.villages.length > 0) return district.villages;
    const all = this.villages?.(district.code) ?? [];
    return all.length > 0 ? all : [district.name];
  }

  nextFamily(): SyntheticFamily {
    const rnd = this.rnd;
    const household = this.household();
    const kind = rnd.weighted([['couple', 70], ['single', 10], ['widowed', 8], ['divorced', 5], ['elder', 7]] as const);
    const specs: PersonSpec[] = [];

    let motherAge: number | null = null;
    let headAge: number;
    switch (kind) {
      case 'couple': {
        const headSex: Sex = rnd.chance(0.96) ? 'LAKI-LAKI' : 'PEREMPUAN';
        headAge = rnd.int(22, 72);
        const spouseAge = Math.max(19, headAge - rnd.int(-2, 8));
        specs.push({ sex: headSex, birthDate: this.birthDateForAge(headAge), relationship: HEAD, maritalStatus: 'KAWIN', nikDistrict: this.maybeMigrant(household, 0.08) });
        specs.push({
          sex: headSex === 'LAKI-LAKI' ? 'PEREMPUAN' : 'LAKI-LAKI',
          birthDate: this.birthDateForAge(spouseAge),
          relationship: headSex === 'LAKI-LAKI' ? 'ISTRI' : 'SUAMI',
          maritalStatus: 'KAWIN',
          nikDistrict: this.maybeMigrant(household, 0.2),
          surname: null,
        });
        motherAge = headSex === 'LAKI-LAKI' ? spouseAge : headAge;
        break;
      }
      case 'single':
        headAge = rnd.int(20, 45);
        specs.push({ sex: rnd.chance(0.6) ? 'LAKI-LAKI' : 'PEREMPUAN', birthDate: this.birthDateForAge(headAge), relationship: HEAD, maritalStatus: 'BELUM KAWIN' });
        break;
      case 'widowed':
      case 'divorced': {
        const sex: Sex = rnd.chance(kind === 'widowed' ? 0.7 : 0.5) ? 'PEREMPUAN' : 'LAKI-LAKI';
        headAge = kind === 'widowed' ? rnd.int(35, 80) : rnd.int(25, 60);
        specs.push({ sex, birthDate: this.birthDateForAge(headAge), relationship: HEAD, maritalStatus: kind === 'widowed' ? 'CERAI MATI' : 'CERAI HIDUP' });
        motherAge = sex === 'PEREMPUAN' ? headAge : headAge - rnd.int(0, 6);
        break;
      }
      case 'elder':
        headAge = rnd.int(65, 88);
        specs.push({ sex: rnd.chance(0.65) ? 'PEREMPUAN' : 'LAKI-LAKI', birthDate: this.birthDateForAge(headAge), relationship: HEAD, maritalStatus: 'CERAI MATI', deceased: rnd.chance(0.2) });
        break;
    }

    if (motherAge !== null) {
      const maxChildren = kind === 'couple' ? 5 : kind === 'widowed' ? 3 : 2;
      const wanted = Math.min(maxChildren, rnd.weighted([[0, 12], [1, 20], [2, 30], [3, 22], [4, 12], [5, 4]] as const));
      for (const { age, birthOrder } of this.children(motherAge, wanted)) {
        specs.push({ sex: rnd.chance(0.51) ? 'LAKI-LAKI' : 'PEREMPUAN', birthDate: this.birthDateForAge(age), relationship: 'ANAK', maritalStatus: 'BELUM KAWIN', birthOrder });
      }
    }
    if (kind === 'couple' && rnd.chance(0.12)) {
      const parentAge = headAge + rnd.int(22, 32);
      if (parentAge <= 88) {
        specs.push({
          sex: rnd.chance(0.7) ? 'PEREMPUAN' : 'LAKI-LAKI',
          birthDate: this.birthDateForAge(parentAge),
          relationship: 'ORANG TUA',
          maritalStatus: 'CERAI MATI',
          deceased: rnd.chance(0.3),
          nikDistrict: this.maybeMigrant(household, 0.3),
          surname: household.surname,
        });
      }
    }

    const card = this.familyCard(household, specs[0]!.birthDate);
    const members = specs.map((spec, i) => this.person(household, card.kk, spec, i + 1));
    card.headNik = members[0]!.nik;
    addCivilRecords(members, { asOf: this.asOf, serials: this.certificateSerials, parentName: (rnd, sex) => this.parentName(household, rnd, sex) });
    return { card, members };
  }

  /** A parent who is not on the card: named in the household's style from the documents' own PRNG stream. */
  private parentName(h: Household, rnd: Random, sex: Sex): string {
    return personName(rnd, { style: h.style, sex, surname: h.surname, provinceCode: h.regency.provinceCode, noble: h.noble, generation: 'elder' });
  }

  private household(): Household {
    const rnd = this.rnd;
    let regency: Regency;
    if (this.only) {
      regency = rnd.pick(this.only);
    } else {
      const choice = rnd.weighted(FOCUS_WEIGHTS);
      if (choice === 'other') {
        // Round-robin over the provinces so that every province appears early, then any regency in it.
        const province = this.provinces[this.provinceTurn++ % this.provinces.length]!;
        regency = rnd.pick(regenciesOfProvince(province.code).filter((r) => this.villages || r.detailed));
      } else {
        regency = findRegency(choice)!;
      }
    }
    const district = rnd.pick(this.districtsOf(regency));
    const religion = rnd.weighted(RELIGION_BY_PROVINCE[regency.provinceCode] ?? DEFAULT_RELIGION);
    const style = nameStyleFor(regency.provinceCode, religion, rnd);
    const pool = surnamePool(style, regency.provinceCode, religion);
    const urban = regency.name.startsWith('KOTA') || TOWN_DISTRICTS.has(district.code);
    const island = ISLAND_DISTRICTS.has(district.code);
    let street: string;
    if (urban) {
      street = `JL. ${rnd.pick(STREETS_BY_REGENCY[regency.code] ?? URBAN_STREETS)} NO. ${rnd.int(1, 180)}`;
    } else if (regency.provinceCode === '51') {
      street = `BANJAR DINAS ${rnd.pick(HAMLETS_BALI)}`;
    } else if (regency.provinceCode === '73' || regency.provinceCode === '76') {
      street = rnd.chance(0.3) ? `JL. POROS ${rnd.pick(this.villagesOf(district))}` : `DUSUN ${rnd.pick(HAMLETS_BUGIS)}`;
    } else {
      street = `DUSUN ${rnd.pick(HAMLETS_OTHER)}`;
    }
    return {
      regency,
      district,
      village: rnd.pick(this.villagesOf(district)),
      street,
      rt: pad3(rnd.int(1, urban ? 12 : 6)),
      rw: pad3(rnd.int(1, urban ? 9 : 4)),
      religion,
      style,
      surname: pool ? rnd.pick(pool) : undefined,
      noble: style === 'bugis' && rnd.chance(0.08),
      urban,
      island,
    };
  }

  private person(h: Household, kk: string, spec: PersonSpec, order: number): RegistryResidentRow {
    const rnd = this.rnd;
    const nikDistrict = spec.nikDistrict ?? h.district;
    const nikRegency = findRegency(nikDistrict.regencyCode)!;
    const age = this.ageOf(spec.birthDate);
    const minor = age < 17 && spec.maritalStatus === 'BELUM KAWIN';
    const surname = spec.surname === null ? (h.surname ? this.otherSurname(h) : undefined) : (spec.surname ?? h.surname);
    const bloodline = spec.relationship === 'KEPALA KELUARGA' || spec.relationship === 'ANAK';
    const name =
      spec.name ??
      personName(rnd, {
        style: h.style,
        sex: spec.sex,
        birthOrder: spec.birthOrder,
        surname,
        provinceCode: h.regency.provinceCode,
        noble: bloodline ? h.noble : rnd.chance(0.05),
        generation: age < 17 ? 'child' : age >= 60 ? 'elder' : 'adult',
      });
    const province = findProvince(h.regency.provinceCode)!;
    return {
      nik: this.nextNik(nikDistrict.code, spec.birthDate, spec.sex),
      kk,
      name,
      birthPlace: nikRegency.seat,
      birthDate: spec.birthDate,
      sex: spec.sex,
      bloodType: rnd.weighted(BLOOD),
      street: h.street,
      rt: h.rt,
      rw: h.rw,
      village: h.village,
      district: h.district.name,
      regency: h.regency.name,
      province: province.name,
      provinceCode: h.regency.provinceCode,
      regencyCode: h.regency.code,
      districtCode: h.district.code,
      religion: h.religion,
      maritalStatus: spec.maritalStatus,
      occupation: spec.occupation ?? this.occupation(h, spec, age),
      citizenship: 'WNI',
      // Minors are not recorded yet; a few adults never came for the KTP-el recording.
      ktpElRecorded: !minor && !rnd.chance(0.03),
      recordStatus: !minor && rnd.chance(0.006) ? 'duplicate' : 'single',
      deceased: spec.deceased ?? false,
      familyRelationship: spec.relationship,
      familyOrder: order,
    };
  }

  private occupation(h: Household, spec: PersonSpec, age: number): string {
    const rnd = this.rnd;
    if (age < 5) return 'BELUM/TIDAK BEKERJA';
    if (age < 19) return 'PELAJAR/MAHASISWA';
    if (age < 24 && spec.relationship === 'ANAK' && rnd.chance(0.6)) return 'PELAJAR/MAHASISWA';
    if (age >= 62 && rnd.chance(0.5)) return rnd.chance(0.3) ? 'PENSIUNAN' : 'BELUM/TIDAK BEKERJA';
    if (spec.sex === 'PEREMPUAN' && spec.relationship !== 'KEPALA KELUARGA' && rnd.chance(0.55)) return 'MENGURUS RUMAH TANGGA';
    if (CEMENT_DISTRICTS.has(h.district.code) && rnd.chance(0.15)) return 'KARYAWAN BUMN';
    if (h.regency.code === '5108' && rnd.chance(0.08)) return 'PEMANDU WISATA';
    return rnd.weighted(h.island ? OCCUPATION_ISLAND : h.urban ? OCCUPATION_URBAN : OCCUPATION_RURAL);
  }

  private familyCard(h: Household, headBirthDate: string): RegistryFamilyCardRow {
    // Issued after the head turned 17, and not before the KK format of 2005.
    const earliest = Math.max(toDay('2005-01-01'), toDay(headBirthDate) + 17 * 365);
    const issuedOn = fromDay(this.rnd.int(Math.min(earliest, this.asOfDay), this.asOfDay));
    const key = h.district.code + ddmmyy(issuedOn);
    const serial = (this.kkSerials.get(key) ?? 0) + 1;
    if (serial > SYNTHETIC_SERIAL_LIMIT) throw new Error(`KK serials exhausted for ${key}`);
    this.kkSerials.set(key, serial);
    const province = findProvince(h.regency.provinceCode)!;
    return {
      kk: key + String(serial).padStart(4, '0'),
      headNik: '',
      street: h.street,
      rt: h.rt,
      rw: h.rw,
      village: h.village,
      district: h.district.name,
      regency: h.regency.name,
      province: province.name,
      provinceCode: h.regency.provinceCode,
      regencyCode: h.regency.code,
      districtCode: h.district.code,
      issuedOn,
    };
  }

  private nextNik(districtCode: string, birthDate: string, sex: Sex): string {
    const key = `${districtCode}|${birthDate}|${sex}`;
    const serial = (this.nikSerials.get(key) ?? 0) + 1;
    if (serial > SYNTHETIC_SERIAL_LIMIT) throw new Error(`NIK serials exhausted for ${key}`);
    this.nikSerials.set(key, serial);
    return composeNik(districtCode, birthDate, sex, serial);
  }

  /** The household's district, or (with probability p) a district elsewhere where the NIK was first issued. */
  private maybeMigrant(h: Household, p: number): District | undefined {
    if (!this.rnd.chance(p)) return undefined;
    const sameProvince = regenciesOfProvince(h.regency.provinceCode).filter((r) => this.villages || r.detailed);
    const regency = sameProvince.length > 1 && this.rnd.chance(0.6) ? this.rnd.pick(sameProvince) : this.rnd.pick(this.regencies);
    return this.rnd.pick(this.districtsOf(regency));
  }

  private otherSurname(h: Household): string | undefined {
    const pool = surnamePool(h.style, h.regency.provinceCode, h.religion);
    return pool ? this.rnd.pick(pool) : undefined;
  }

  /**
   * Ages of the children still on the family card, oldest first: the first born when the mother was 19–30,
   * then every 1–5 years until she was 42. Children over 32 have left for a card of their own.
   */
  private children(motherAge: number, wanted: number): { age: number; birthOrder: number }[] {
    const children: { age: number; birthOrder: number }[] = [];
    let motherAtBirth = this.rnd.int(19, 30);
    for (let birthOrder = 0; birthOrder < wanted && motherAtBirth <= 42 && motherAtBirth <= motherAge; birthOrder++) {
      const age = motherAge - motherAtBirth;
      if (age <= 32) children.push({ age, birthOrder });
      motherAtBirth += this.rnd.int(1, 5);
    }
    return children;
  }

  /** A birth date giving exactly `age` whole years on the as-of date. */
  private birthDateForAge(age: number): string {
    const asOfYear = Number(this.asOf.slice(0, 4));
    const monthDay = this.asOf.slice(5) === '02-29' ? '02-28' : this.asOf.slice(5);
    const latest = toDay(`${asOfYear - age}-${monthDay}`);
    const earliest = latest - 364;
    return fromDay(this.rnd.int(earliest, Math.min(latest, this.asOfDay)));
  }

  private ageOf(birthDate: string): number {
    return ageOn(birthDate, this.asOf);
  }
}

// --- civil records (issue #11) ------------------------------------------------------------------------------------

const EDUCATION_ADULT: Weighted<string> = [
  ['TAMAT SD/SEDERAJAT', 24], ['SLTP/SEDERAJAT', 20], ['SLTA/SEDERAJAT', 34], ['DIPLOMA I/II', 3],
  ['AKADEMI/DIPLOMA III/S. MUDA', 5], ['DIPLOMA IV/STRATA I', 11], ['STRATA II', 2], ['TIDAK/BELUM SEKOLAH', 1],
];
const GRADUATE_OCCUPATIONS = new Set(['GURU', 'DOSEN', 'DOKTER', 'BIDAN', 'PERAWAT', 'PEGAWAI NEGERI SIPIL (PNS)']);
const SPOUSES = new Set(['ISTRI', 'SUAMI']);

export interface CivilRecordOptions {
  asOf: string;
  /** Per certificate kind, regency and day: keeps numbers unique within one generator. */
  serials: Map<string, number>;
  /** The name of a parent who is not on the card. */
  parentName: (rnd: Random, sex: Sex) => string;
  /** Added to every serial (the demo residents use 9000 + n so they never collide with the generator's). */
  serialBase?: number;
}

/**
 * Fills a family's civil-registry facts consistently, from a PRNG of its own (seeded by the KK number), so the
 * rest of the synthetic stream is unchanged: the couple shares one marriage certificate dated before their first
 * child; children name the head and spouse as their parents; CERAI HIDUP has a divorce after the marriage; the
 * deceased have a death certificate; children under 17 a KIA; most of those born since 1970 a birth certificate.
 */
export function addCivilRecords(members: RegistryResidentRow[], options: CivilRecordOptions): void {
  if (members.length === 0) return;
  const { asOf } = options;
  const rnd = createRandom(`civil:${members[0]!.kk}`);
  const asOfDay = toDay(asOf);
  const regency = members[0]!.regencyCode;
  const number = (kind: string, day: string) => {
    const key = `${kind}|${regency}|${day}`;
    const serial = (options.serials.get(key) ?? 0) + 1;
    options.serials.set(key, serial);
    return `${regency}-${kind}-${day.slice(8, 10)}${day.slice(5, 7)}${day.slice(0, 4)}-${String((options.serialBase ?? 0) + serial).padStart(4, '0')}`;
  };
  const head = members[0]!;
  const spouse = members.find((m) => SPOUSES.has(m.familyRelationship));
  const children = members.filter((m) => m.familyRelationship === 'ANAK');
  const firstChild = children.reduce<string | null>((min, c) => (min === null || c.birthDate < min ? c.birthDate : min), null);
  const father = head.sex === 'LAKI-LAKI' ? head : spouse?.sex === 'LAKI-LAKI' ? spouse : undefined;
  const mother = head.sex === 'PEREMPUAN' ? head : spouse?.sex === 'PEREMPUAN' ? spouse : undefined;

  // The marriage of the head (with the spouse on the card, or a former/late spouse).
  if (head.maritalStatus !== 'BELUM KAWIN') {
    const adult = Math.max(...[head, spouse].filter((m) => m).map((m) => toDay(m!.birthDate) + 19 * 365));
    const before = (firstChild ? toDay(firstChild) - 300 : asOfDay - (head.maritalStatus === 'CERAI HIDUP' ? 400 : 0));
    const day = fromDay(before <= adult ? before : rnd.int(adult, before));
    const marriageNumber = number('KW', day);
    for (const m of [head, spouse]) {
      if (!m) continue;
      m.marriageCertificateNumber = marriageNumber;
      m.marriageDate = day;
    }
    if (head.maritalStatus === 'CERAI HIDUP') {
      const divorced = fromDay(rnd.int(Math.min(toDay(day) + 365, asOfDay), asOfDay));
      head.divorceCertificateNumber = number('CR', divorced);
      head.divorceDate = divorced;
    }
  }

  for (const m of members) {
    const age = ageOn(m.birthDate, asOf);
    m.education = education(rnd, age, m.occupation);
    if (m.familyRelationship === 'ANAK') {
      m.fatherName = father?.name ?? options.parentName(rnd, 'LAKI-LAKI');
      m.motherName = mother?.name ?? options.parentName(rnd, 'PEREMPUAN');
    } else {
      m.fatherName = options.parentName(rnd, 'LAKI-LAKI');
      m.motherName = options.parentName(rnd, 'PEREMPUAN');
    }
    const born = toDay(m.birthDate);
    if (m.birthDate >= '1970-01-01' ? rnd.chance(0.92) : rnd.chance(0.2)) {
      const issued = fromDay(Math.min(asOfDay, born + rnd.int(3, m.birthDate >= '2000-01-01' ? 60 : 9000)));
      m.birthCertificateNumber = number('LT', issued);
      m.birthCertificateIssuedOn = issued;
    }
    if (m.deceased) {
      const died = fromDay(rnd.int(Math.max(born, asOfDay - 3 * 365), asOfDay));
      m.deathCertificateNumber = number('KM', died);
      m.deathDate = died;
    }
    if (age < 17 && m.maritalStatus === 'BELUM KAWIN') m.kiaIssuedOn = fromDay(rnd.int(Math.min(asOfDay, Math.max(born + 7, toDay('2016-01-19'))), asOfDay));
  }
}

function education(rnd: Random, age: number, occupation: string): string {
  if (age < 5) return 'TIDAK/BELUM SEKOLAH';
  if (age < 12) return 'BELUM TAMAT SD/SEDERAJAT';
  if (age < 15) return 'TAMAT SD/SEDERAJAT';
  if (age < 18) return 'SLTP/SEDERAJAT';
  if (GRADUATE_OCCUPATIONS.has(occupation)) return rnd.chance(0.85) ? 'DIPLOMA IV/STRATA I' : 'STRATA II';
  if (age < 22) return 'SLTA/SEDERAJAT';
  return rnd.weighted(EDUCATION_ADULT);
}

/** Whole years between a YYYY-MM-DD birth date and a YYYY-MM-DD day. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

const DAY_MS = 86_400_000;
const toDay = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const fromDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const ddmmyy = (iso: string) => iso.slice(8, 10) + iso.slice(5, 7) + iso.slice(2, 4);
const pad3 = (n: number) => String(n).padStart(3, '0');
