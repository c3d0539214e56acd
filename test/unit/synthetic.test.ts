import { describe, expect, it } from 'vitest';
import { parseNik } from '../../src/domain/enrolment/nik.js';
import { findDistrict, findRegency, REGISTRATION_TABLE_PROVINCES } from '../../src/registry/regions.js';
import { ineligibilityReason } from '../../src/registry/seeded.js';
import { ageOn, generateSyntheticRegistry } from '../../src/registry/synthetic.js';

const AS_OF = '2025-12-31';
const NOW = new Date('2026-11-23T08:00:00Z');
const families = generateSyntheticRegistry({ count: 6000, seed: 'test-seed', asOf: AS_OF });
const residents = families.flatMap((f) => f.members);

describe('generateSyntheticRegistry', () => {
  it('produces exactly the requested number of residents', () => {
    expect(residents).toHaveLength(6000);
    expect(generateSyntheticRegistry({ count: 1, seed: 'x' }).flatMap((f) => f.members)).toHaveLength(1);
    expect(generateSyntheticRegistry({ count: 0 })).toEqual([]);
  });

  it('is deterministic: same count and seed → the same data', () => {
    const again = generateSyntheticRegistry({ count: 6000, seed: 'test-seed', asOf: AS_OF });
    expect(again).toEqual(families);
  });

  it('depends on the seed', () => {
    const other = generateSyntheticRegistry({ count: 200, seed: 'another-seed', asOf: AS_OF }).flatMap((f) => f.members);
    expect(other.map((r) => r.nik)).not.toEqual(residents.slice(0, 200).map((r) => r.nik));
  });

  it('extends a smaller run: the first N residents of a larger count are the same', () => {
    const small = generateSyntheticRegistry({ count: 777, seed: 'test-seed', asOf: AS_OF }).flatMap((f) => f.members);
    expect(small).toEqual(residents.slice(0, 777));
  });

  it('gives every resident a unique NIK that validates and matches sex and birth date', () => {
    expect(new Set(residents.map((r) => r.nik)).size).toBe(residents.length);
    for (const r of residents) {
      const parsed = parseNik(r.nik, NOW);
      expect(parsed.ok, r.nik).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.value.birthDate).toBe(r.birthDate);
      expect(parsed.value.sex).toBe(r.sex);
      expect(Number(parsed.value.serial)).toBeLessThan(9000); // 9000+ is the demo range
    }
  });

  it('fills every KTP element with a plausible value', () => {
    for (const r of residents) {
      expect(r.name).toMatch(/^[A-Z][A-Z .'-]+$/);
      expect(r.birthPlace.length).toBeGreaterThan(2);
      expect(['A', 'B', 'AB', 'O', '-']).toContain(r.bloodType);
      expect(r.rt).toMatch(/^\d{3}$/);
      expect(r.rw).toMatch(/^\d{3}$/);
      expect(r.street.length).toBeGreaterThan(3);
      expect(['ISLAM', 'KRISTEN', 'KATHOLIK', 'HINDU', 'BUDHA', 'KHONGHUCU']).toContain(r.religion);
      expect(['BELUM KAWIN', 'KAWIN', 'CERAI HIDUP', 'CERAI MATI']).toContain(r.maritalStatus);
      expect(r.occupation.length).toBeGreaterThan(3);
      expect(r.citizenship).toBe('WNI');
      const district = findDistrict(r.districtCode);
      expect(district?.name).toBe(r.district);
      expect(district?.villages).toContain(r.village);
      expect(findRegency(r.regencyCode)?.name).toBe(r.regency);
    }
  });

  it('keeps families coherent: one head, members share the KK and the address, the card names the head', () => {
    for (const { card, members } of families) {
      if (members.length === 0) continue;
      expect(members[0]!.familyRelationship).toBe('KEPALA KELUARGA');
      expect(card.headNik).toBe(members[0]!.nik);
      expect(members.filter((m) => m.familyRelationship === 'KEPALA KELUARGA')).toHaveLength(1);
      for (const m of members) {
        expect(m.kk).toBe(card.kk);
        expect(m.street).toBe(card.street);
        expect(m.districtCode).toBe(card.districtCode);
      }
      expect(card.kk.startsWith(card.districtCode)).toBe(true);
      const spouse = members.find((m) => m.familyRelationship === 'ISTRI' || m.familyRelationship === 'SUAMI');
      if (spouse) {
        expect(spouse.maritalStatus).toBe('KAWIN');
        expect(members[0]!.maritalStatus).toBe('KAWIN');
        expect(spouse.sex).not.toBe(members[0]!.sex);
      }
      for (const child of members.filter((m) => m.familyRelationship === 'ANAK')) {
        expect(ageOn(child.birthDate, AS_OF)).toBeLessThan(ageOn(members[0]!.birthDate, AS_OF));
      }
    }
    expect(new Set(families.map((f) => f.card.kk)).size).toBe(families.length);
  });

  it('lives mostly in Pangkep, Buleleng and Parepare but covers all 34 provinces', () => {
    const share = (code: string) => residents.filter((r) => r.regencyCode === code).length / residents.length;
    expect(share('7310')).toBeGreaterThan(0.18);
    expect(share('5108')).toBeGreaterThan(0.18);
    expect(share('7372')).toBeGreaterThan(0.1);
    expect(new Set(residents.map((r) => r.provinceCode))).toEqual(new Set(REGISTRATION_TABLE_PROVINCES.map((p) => p.code)));
  });

  it('uses the naming styles of the regions', () => {
    const buleleng = residents.filter((r) => r.regencyCode === '5108' && r.religion === 'HINDU');
    expect(buleleng.length).toBeGreaterThan(100);
    const balinese = buleleng.filter((r) => /^(I|NI) |^(IDA|I GUSTI)/.test(r.name)).length;
    expect(balinese / buleleng.length).toBeGreaterThan(0.95);
    const women = buleleng.filter((r) => r.sex === 'PEREMPUAN' && !r.name.startsWith('I'));
    expect(women.every((r) => r.name.startsWith('NI ') || r.name.startsWith('IDA AYU'))).toBe(true);
    const pangkepNames = residents.filter((r) => r.regencyCode === '7310').map((r) => r.name);
    expect(pangkepNames.some((n) => n.startsWith('ANDI '))).toBe(true);
    expect(pangkepNames.some((n) => n.includes(' DAENG '))).toBe(true);
    // ANDI runs in the head's line: a child is ANDI only when the head is.
    for (const { members } of families) {
      const head = members[0];
      for (const child of members.filter((m) => m.familyRelationship === 'ANAK' && m.name.startsWith('ANDI '))) {
        expect(head?.name.startsWith('ANDI '), child.name).toBe(true);
      }
    }
  });

  it('contains every ineligible kind in small proportions, and a clear majority of eligible adults', () => {
    const counts = new Map<string, number>();
    for (const r of residents) {
      const why = ineligibilityReason(r, NOW) ?? 'eligible';
      counts.set(why, (counts.get(why) ?? 0) + 1);
    }
    const share = (k: string) => (counts.get(k) ?? 0) / residents.length;
    expect(share('deceased')).toBeGreaterThan(0.003);
    expect(share('deceased')).toBeLessThan(0.04);
    expect(share('duplicate_record')).toBeGreaterThan(0.001);
    expect(share('duplicate_record')).toBeLessThan(0.02);
    expect(share('no_ktp_el')).toBeGreaterThan(0.01);
    expect(share('no_ktp_el')).toBeLessThan(0.05);
    // Children are a quarter to a third of Indonesia's population.
    expect(share('under_17_unmarried')).toBeGreaterThan(0.15);
    expect(share('under_17_unmarried')).toBeLessThan(0.4);
    expect(share('eligible')).toBeGreaterThan(0.55);
  });

  it('records no minor on KTP-el and lets the deceased be mostly elderly', () => {
    for (const r of residents) {
      if (ageOn(r.birthDate, AS_OF) < 17) expect(r.ktpElRecorded).toBe(false);
    }
    const deceased = residents.filter((r) => r.deceased);
    expect(deceased.every((r) => ageOn(r.birthDate, AS_OF) >= 40)).toBe(true);
    const elderly = deceased.filter((r) => ageOn(r.birthDate, AS_OF) >= 60).length;
    expect(elderly / deceased.length).toBeGreaterThan(0.8);
  });
});
