import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeNik, isValidNik, nikBirthDigits, parseNik } from '../../src/domain/enrolment/nik.js';
import { findDistrict, findProvince, findRegency, PROVINCES, REGENCIES, REGISTRATION_TABLE_PROVINCES } from '../../src/registry/regions.js';

const REF = new Date('2026-11-23T08:00:00Z');
const parse = (nik: string) => parseNik(nik, REF);
const reason = (nik: string) => {
  const r = parse(nik);
  return r.ok ? 'ok' : r.reason;
};

describe('parseNik', () => {
  it('decodes a man from Pangkajene (73.10.04)', () => {
    expect(parse('7310041207859001')).toEqual({
      ok: true,
      value: {
        provinceCode: '73',
        regencyCode: '7310',
        districtCode: '731004',
        birthDate: '1985-07-12',
        sex: 'LAKI-LAKI',
        serial: '9001',
      },
    });
  });

  it('decodes a woman from Buleleng (day + 40)', () => {
    const r = parse('5108064302940012');
    expect(r.ok && r.value).toMatchObject({ districtCode: '510806', birthDate: '1994-02-03', sex: 'PEREMPUAN', serial: '0012' });
  });

  it('decodes Parepare (73.72) and the 2000s', () => {
    const r = parse('7372030101050001');
    expect(r.ok && r.value).toMatchObject({ regencyCode: '7372', birthDate: '2005-01-01', sex: 'LAKI-LAKI' });
  });

  describe('day + 40 boundaries', () => {
    it('day 40 is neither a man (no 40th) nor a woman (0th)', () => expect(reason('7310044001900001')).toBe('birth_date'));
    it('day 41 is a woman born on the 1st', () => {
      const r = parse('7310044101900001');
      expect(r.ok && r.value.birthDate).toBe('1990-01-01');
      expect(r.ok && r.value.sex).toBe('PEREMPUAN');
    });
    it('day 71 is a woman born on the 31st', () => {
      const r = parse('7310047101900001');
      expect(r.ok && r.value.birthDate).toBe('1990-01-31');
    });
    it('day 72 does not exist', () => expect(reason('7310047201900001')).toBe('birth_date'));
    it('day 31 is a man born on the 31st', () => expect(parse('7310043101900001').ok).toBe(true));
    it('day 32 does not exist', () => expect(reason('7310043201900001')).toBe('birth_date'));
    it('day 00 does not exist', () => expect(reason('7310040001900001')).toBe('birth_date'));
    it('a woman on the 31st of a 30-day month does not exist', () => expect(reason('7310047104900001')).toBe('birth_date'));
  });

  describe('29 February', () => {
    it('exists in a leap year (2000, 1996), for men and women', () => {
      expect(parse('7310042902000001').ok).toBe(true);
      expect(parse('7310046902960001').ok).toBe(true);
    });
    it('does not exist in 1999 or 2001', () => {
      expect(reason('7310042902990001')).toBe('birth_date');
      expect(reason('7310046902010001')).toBe('birth_date');
    });
    it('1900 was not a leap year but 2000 was: the century read from the reference date decides', () => {
      expect(parseNik('7310042902000001', REF)).toMatchObject({ ok: true, value: { birthDate: '2000-02-29' } });
      expect(parseNik('7310042902000001', new Date('1999-06-01T00:00:00Z'))).toEqual({ ok: false, reason: 'birth_date' });
    });
    it('refuses month 00 and 13', () => {
      expect(reason('7310040100900001')).toBe('birth_date');
      expect(reason('7310040113900001')).toBe('birth_date');
    });
  });

  describe('century and the future', () => {
    it('reads YY up to the reference year as 20YY and later ones as 19YY', () => {
      expect(parse('7310040101260001').ok && parse('7310040101260001')).toMatchObject({ value: { birthDate: '2026-01-01' } });
      expect(parse('7310040101270001').ok && parse('7310040101270001')).toMatchObject({ value: { birthDate: '1927-01-01' } });
    });
    it('refuses a birth date later this year (not a centenarian)', () => {
      expect(reason('7310042411260001')).toBe('birth_date'); // 24 Nov 2026, the day after REF
      expect(reason('7310042311260001')).toBe('ok'); // born on the reference day
    });
    it('depends on the reference date given', () => {
      expect(parseNik('7310042411260001', new Date('2026-12-01T00:00:00Z')).ok).toBe(true);
    });
    it("judges 'today' in WIT (UTC+9): already the 24th in Papua at 15:00 UTC on the 23rd", () => {
      expect(parseNik('7310042411260001', new Date('2026-11-23T14:59:00Z')).ok).toBe(false);
      expect(parseNik('7310042411260001', new Date('2026-11-23T15:00:00Z')).ok).toBe(true);
    });
  });

  describe('regions', () => {
    it('refuses an unknown province', () => expect(reason('2010041207850001')).toBe('province'));
    it('refuses province 00', () => expect(reason('0010041207850001')).toBe('province'));
    it('refuses an unknown regency within a known province', () => expect(reason('7399041207850001')).toBe('regency'));
    it('refuses a regency that exists only in another province', () => expect(reason('5110041207850001')).toBe('regency'));
    it('refuses an unknown district within a known regency', () => {
      expect(reason('7310141207850001')).toBe('district'); // Pangkep has 13 kecamatan
      expect(reason('7372051207850001')).toBe('district'); // Parepare has 4
      expect(reason('5108101207850001')).toBe('district'); // Buleleng has 9
    });
  });

  it('refuses serial 0000 but accepts 0001 and 9999', () => {
    expect(reason('7310041207850000')).toBe('serial');
    expect(reason('7310041207850001')).toBe('ok');
    expect(reason('7310041207859999')).toBe('ok');
  });

  describe('format', () => {
    it.each([
      ['15 digits', '731004120785001'],
      ['17 digits', '73100412078500011'],
      ['empty', ''],
      ['a letter', '73100412078500O1'],
      ['spaces', '7310 0412 0785 0001'],
      ['dots', '73.10.04.120785.0001'],
      ['a sign', '+731004120785001'],
      ['full-width digits', '７３１００４１２０７８５０００１'],
      ['a trailing newline', '7310041207850001\n'],
    ])('refuses %s', (_label, nik) => expect(reason(nik)).toBe('format'));

    it('refuses non-strings without throwing', () => {
      expect(parseNik(7310041207850001 as unknown as string, REF)).toEqual({ ok: false, reason: 'format' });
      expect(parseNik(null as unknown as string, REF)).toEqual({ ok: false, reason: 'format' });
    });
  });

  it('isValidNik agrees with parseNik', () => {
    expect(isValidNik('7310041207850001', REF)).toBe(true);
    expect(isValidNik('7310041207850000', REF)).toBe(false);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const r = parseNik(s, REF);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});

describe('composeNik and nikBirthDigits', () => {
  it('adds 40 to the day for women only', () => {
    expect(nikBirthDigits('1994-02-03', 'PEREMPUAN')).toBe('430294');
    expect(nikBirthDigits('1994-02-03', 'LAKI-LAKI')).toBe('030294');
  });

  it('round-trips through parseNik for every known district', () => {
    const dates = fc.integer({ min: Date.UTC(1930, 0, 1), max: Date.UTC(2026, 10, 23) }).map((t) => new Date(t).toISOString().slice(0, 10));
    const districts = REGENCIES.flatMap((r) => r.districts.map((d) => d.code));
    fc.assert(
      fc.property(fc.constantFrom(...districts), dates, fc.constantFrom('LAKI-LAKI' as const, 'PEREMPUAN' as const), fc.integer({ min: 1, max: 9999 }), (district, birthDate, sex, serial) => {
        // Against a 2026 reference, YY ≤ 26 reads as 20YY and the rest as 19YY: 1930–2026 are unambiguous.
        const nik = composeNik(district, birthDate, sex, serial);
        const r = parseNik(nik, REF);
        expect(r).toEqual({
          ok: true,
          value: { provinceCode: district.slice(0, 2), regencyCode: district.slice(0, 4), districtCode: district, birthDate, sex, serial: String(serial).padStart(4, '0') },
        });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses serials outside 1..9999', () => {
    expect(() => composeNik('731004', '1990-01-01', 'LAKI-LAKI', 0)).toThrow();
    expect(() => composeNik('731004', '1990-01-01', 'LAKI-LAKI', 10000)).toThrow();
  });
});

describe('region table', () => {
  it('has the 38 provinces, and the 34 of the IKD registration table in its order', () => {
    expect(PROVINCES).toHaveLength(38);
    expect(PROVINCES[0]).toEqual({ code: '11', name: 'ACEH' });
    expect(PROVINCES.at(-1)).toEqual({ code: '96', name: 'PAPUA BARAT DAYA' });
    expect(REGISTRATION_TABLE_PROVINCES).toHaveLength(34);
    expect(REGISTRATION_TABLE_PROVINCES.at(-1)).toEqual({ code: '92', name: 'PAPUA BARAT' });
    expect(findProvince('73')?.name).toBe('SULAWESI SELATAN');
    expect(findProvince('51')?.name).toBe('BALI');
    expect(findProvince('31')?.name).toBe('DKI JAKARTA'); // the table's spelling
  });

  it('has regencies with districts in every province, and villages wherever the hand-written detail has them', () => {
    for (const p of PROVINCES) {
      const regencies = REGENCIES.filter((r) => r.provinceCode === p.code);
      expect(regencies.length, p.name).toBeGreaterThan(0);
      for (const r of regencies) {
        expect(r.districts.length, r.name).toBeGreaterThan(0);
        for (const d of r.districts) expect(d.code.startsWith(r.code)).toBe(true);
        if (r.detailed) expect(r.districts.some((d) => d.villages.length > 0), r.name).toBe(true);
      }
    }
    expect(REGENCIES).toHaveLength(514);
  });

  it('has Pangkajene dan Kepulauan (13 kecamatan), Buleleng (9) and Parepare (4) in full', () => {
    expect(findRegency('7310')?.districts.map((d) => d.name)).toEqual([
      'LIUKANG TANGAYA', 'LIUKANG KALMAS', 'LIUKANG TUPABBIRING', 'PANGKAJENE', 'BALOCCI', 'BUNGORO', 'LABAKKANG',
      'MARANG', 'SEGERI', "MINASATE'NE", 'MANDALLE', 'TONDONG TALLASA', 'LIUKANG TUPABBIRING UTARA',
    ]);
    expect(findRegency('5108')?.districts.map((d) => d.name)).toEqual([
      'GEROKGAK', 'SERIRIT', 'BUSUNGBIU', 'BANJAR', 'SUKASADA', 'BULELENG', 'SAWAN', 'KUBUTAMBAHAN', 'TEJAKULA',
    ]);
    expect(findRegency('7372')?.districts.map((d) => d.name)).toEqual(['BACUKIKI', 'UJUNG', 'SOREANG', 'BACUKIKI BARAT']);
    expect(findDistrict('731004')?.villages).toContain('SIBATUA');
    expect(findRegency('7310')?.name).toBe('KABUPATEN PANGKAJENE DAN KEPULAUAN');
    expect(findRegency('7372')?.name).toBe('KOTA PAREPARE');
  });
});
