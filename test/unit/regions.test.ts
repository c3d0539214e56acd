/** Regions from idn-area-data: every province, regency and district code validates a NIK; the seed reaches any regency. */
import { getDistricts, getProvinces, getRegencies } from 'idn-area-data';
import { describe, expect, it } from 'vitest';
import { composeNik, parseNik } from '../../src/domain/enrolment/nik.js';
import { DETAIL_DISTRICT_CODES, findDistrict, findRegency, PRE_2022_PAPUA_REGENCIES, PROVINCES, REGENCIES } from '../../src/registry/regions.js';
import { generateSyntheticRegistry } from '../../src/registry/synthetic.js';
import { loadVillages } from '../../src/registry/villages.js';

const REF = new Date('2026-11-23T08:00:00Z');
const reason = (nik: string) => {
  const r = parseNik(nik, REF);
  return r.ok ? 'ok' : r.reason;
};
const digits = (code: string) => code.replace(/\./g, '');

/** One real district per province (Kemendagri codes): a man born 1 Jan 1990, serial 0001. */
const ONE_PER_PROVINCE: readonly (readonly [string, string, string])[] = [
  ['11', 'ACEH', '110101'], ['12', 'SUMATERA UTARA', '127101'], ['13', 'SUMATERA BARAT', '137101'],
  ['14', 'RIAU', '147101'], ['15', 'JAMBI', '157101'], ['16', 'SUMATERA SELATAN', '167101'],
  ['17', 'BENGKULU', '177101'], ['18', 'LAMPUNG', '187101'], ['19', 'KEPULAUAN BANGKA BELITUNG', '197101'],
  ['21', 'KEPULAUAN RIAU', '217101'], ['31', 'DKI JAKARTA', '317101'], ['32', 'JAWA BARAT', '327301'],
  ['33', 'JAWA TENGAH', '337401'], ['34', 'DAERAH ISTIMEWA YOGYAKARTA', '347101'], ['35', 'JAWA TIMUR', '357801'],
  ['36', 'BANTEN', '367101'], ['51', 'BALI', '510801'], ['52', 'NUSA TENGGARA BARAT', '527101'],
  ['53', 'NUSA TENGGARA TIMUR', '537101'], ['61', 'KALIMANTAN BARAT', '617101'], ['62', 'KALIMANTAN TENGAH', '627101'],
  ['63', 'KALIMANTAN SELATAN', '637101'], ['64', 'KALIMANTAN TIMUR', '647101'], ['65', 'KALIMANTAN UTARA', '657101'],
  ['71', 'SULAWESI UTARA', '717101'], ['72', 'SULAWESI TENGAH', '727101'], ['73', 'SULAWESI SELATAN', '731004'],
  ['74', 'SULAWESI TENGGARA', '747101'], ['75', 'GORONTALO', '757101'], ['76', 'SULAWESI BARAT', '760201'],
  ['81', 'MALUKU', '817101'], ['82', 'MALUKU UTARA', '820101'], ['91', 'PAPUA', '917101'],
  ['92', 'PAPUA BARAT', '920203'], ['93', 'PAPUA SELATAN', '930101'], ['94', 'PAPUA TENGAH', '940101'],
  ['95', 'PAPUA PEGUNUNGAN', '950101'], ['96', 'PAPUA BARAT DAYA', '967101'],
];

describe('NIK region per province (38)', () => {
  it('covers every province once', () => {
    expect(ONE_PER_PROVINCE.map(([code]) => code)).toEqual(PROVINCES.map((p) => p.code));
  });
  it.each(ONE_PER_PROVINCE)('province %s (%s): a NIK from district %s is valid and decodes to it', (province, name, district) => {
    const nik = composeNik(district, '1990-01-01', 'LAKI-LAKI', 1);
    const parsed = parseNik(nik, REF);
    expect(parsed).toMatchObject({ ok: true, value: { provinceCode: province, regencyCode: district.slice(0, 4), districtCode: district } });
    expect(PROVINCES.find((p) => p.code === province)?.name).toBe(name);
    // A district number the regency does not have is refused at district level.
    expect(reason(`${district.slice(0, 4)}990101900001`)).toBe('district');
  });
});

describe('districts', () => {
  it('checks the district digits against the regency: real kecamatan pass, neighbours of the last one do not', () => {
    expect(findDistrict('731004')?.name).toBe('PANGKAJENE');
    expect(findDistrict('510806')?.name).toBe('BULELENG');
    expect(findDistrict('317401')?.name).toBe('TEBET');
    const pangkep = findRegency('7310')!;
    const last = pangkep.districts.at(-1)!.code;
    expect(reason(composeNik(last, '1990-01-01', 'LAKI-LAKI', 1))).toBe('ok');
    expect(reason(`7310${String(Number(last.slice(4)) + 1).padStart(2, '0')}0101900001`)).toBe('district');
    expect(reason('7310000101900001')).toBe('district');
    expect(reason('3274990101900001')).toBe('district');
    expect(reason('9999010101900001')).toBe('province');
    expect(reason('7399010101900001')).toBe('regency');
  });

  it('accepts pre-2022 Papua codes (a KTP from Merauke 91.01 before the split) as the current regency', () => {
    expect(findRegency('9101')?.name).toBe('KABUPATEN MERAUKE');
    expect(findRegency('9101')?.code).toBe('9301');
    expect(findDistrict('910101')?.name).toBe('MERAUKE');
    expect(reason('9101010101900001')).toBe('ok');
    expect(reason('9201010101900001')).toBe('ok'); // Sorong, now 96.01
    for (const [old, current] of Object.entries(PRE_2022_PAPUA_REGENCIES)) {
      expect(findRegency(old), old).toBe(findRegency(current));
      expect(REGENCIES.some((r) => r.code === old), `${old} is not reused`).toBe(false);
    }
  });
});

describe('the generated table', () => {
  it('matches the installed idn-area-data package (run npm run regions:generate after upgrading it)', async () => {
    const [provinces, regencies, districts] = await Promise.all([getProvinces(), getRegencies(), getDistricts()]);
    expect([provinces.length, regencies.length, districts.length]).toEqual([38, 514, 7285]);
    expect(PROVINCES.map((p) => p.code)).toEqual(provinces.map((p) => p.code));
    expect(REGENCIES.map((r) => [r.code, r.name])).toEqual(regencies.map((r) => [digits(r.code), r.name.toUpperCase().replace(/\s+/g, ' ').trim()]));
    expect(REGENCIES.flatMap((r) => r.districts.map((d) => d.code))).toEqual(districts.map((d) => digits(d.code)));
  });

  it('knows every district of the hand-written detail', () => {
    expect(DETAIL_DISTRICT_CODES.filter((code) => !findDistrict(code))).toEqual([]);
  });
});

describe('seeding any regency', () => {
  it('fills a regency outside the hand-written detail with valid NIKs and real villages of its districts', async () => {
    const villages = await loadVillages();
    const regencies = ['9301', '1101', '3578'];
    const residents = generateSyntheticRegistry({ count: 300, seed: 'any-regency', villages, regencies }).flatMap((f) => f.members);
    expect(residents).toHaveLength(300);
    for (const r of residents) {
      expect(regencies).toContain(r.regencyCode);
      const district = findDistrict(r.districtCode)!;
      expect(villages(district.code)).toContain(r.village);
    }
    expect(residents.filter((r) => !parseNik(r.nik, REF).ok)).toEqual([]);
  });

  it('refuses an unknown regency code, and a regency without detail when no villages are given', () => {
    expect(() => generateSyntheticRegistry({ count: 1, regencies: ['7399'] })).toThrow(/unknown regency/);
    expect(() => generateSyntheticRegistry({ count: 1, regencies: ['9301'] })).toThrow(/villages/);
  });
});
