/**
 * NIK (Nomor Induk Kependudukan) structure: 16 digits = province (2) + regency (2) + district (2) of first
 * registration, birth date DDMMYY with 40 added to the day for women, and a 4-digit serial that is never 0000.
 * Pure functions; the region codes come from the reference table in registry/regions.ts.
 */
import type { Sex } from '../../registry/port.js';
import { findDistrict, findProvince, findRegency } from '../../registry/regions.js';

export type NikFailure = 'format' | 'province' | 'regency' | 'district' | 'birth_date' | 'serial';

export interface ParsedNik {
  /** "73" */
  provinceCode: string;
  /** "7310" (province + regency digits) */
  regencyCode: string;
  /** "731004" (province + regency + district digits) */
  districtCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  /** "0001".."9999" */
  serial: string;
}

export type NikParseResult = { ok: true; value: ParsedNik } | { ok: false; reason: NikFailure };

const SIXTEEN_DIGITS = /^[0-9]{16}$/;
const WIT_OFFSET_MS = 9 * 3600_000;

/**
 * Validates and decodes a NIK. The two-digit birth year is read as 20YY when YY is at most the reference
 * year's last two digits, else 19YY: someone "born" later this year is then a future date (refused), not a
 * centenarian. "Today" is the reference instant's date in WIT (UTC+9), the latest of Indonesia's time zones,
 * so a birth date that is already today somewhere in Indonesia is accepted. Pass the service clock's time.
 */
export function parseNik(nik: string, referenceDate: Date = new Date()): NikParseResult {
  if (typeof nik !== 'string' || !SIXTEEN_DIGITS.test(nik)) return { ok: false, reason: 'format' };
  const provinceCode = nik.slice(0, 2);
  const regencyCode = nik.slice(0, 4);
  const districtCode = nik.slice(0, 6);
  if (!findProvince(provinceCode)) return { ok: false, reason: 'province' };
  if (!findRegency(regencyCode)) return { ok: false, reason: 'regency' };
  if (!findDistrict(districtCode)) return { ok: false, reason: 'district' };

  const encodedDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const yy = Number(nik.slice(10, 12));
  const sex: Sex = encodedDay > 40 ? 'PEREMPUAN' : 'LAKI-LAKI';
  const day = sex === 'PEREMPUAN' ? encodedDay - 40 : encodedDay;
  const today = new Date(referenceDate.getTime() + WIT_OFFSET_MS).toISOString().slice(0, 10);
  const referenceYear = Number(today.slice(0, 4));
  const pivot = referenceYear % 100;
  const century = referenceYear - pivot;
  const year = yy <= pivot ? century + yy : century - 100 + yy;
  if (!isCalendarDate(year, month, day)) return { ok: false, reason: 'birth_date' };
  const birthDate = `${year}-${pad2(month)}-${pad2(day)}`;
  if (birthDate > today) return { ok: false, reason: 'birth_date' };

  const serial = nik.slice(12, 16);
  if (serial === '0000') return { ok: false, reason: 'serial' };
  return { ok: true, value: { provinceCode, regencyCode, districtCode, birthDate, sex, serial } };
}

export function isValidNik(nik: string, referenceDate?: Date): boolean {
  return parseNik(nik, referenceDate).ok;
}

/** The six birth digits of a NIK (DDMMYY, day + 40 for women) for a YYYY-MM-DD birth date. */
export function nikBirthDigits(birthDate: string, sex: Sex): string {
  const [year, month, day] = birthDate.split('-');
  if (!year || !month || !day) throw new Error(`not a YYYY-MM-DD date: ${birthDate}`);
  const encodedDay = Number(day) + (sex === 'PEREMPUAN' ? 40 : 0);
  return `${pad2(encodedDay)}${month}${year.slice(2)}`;
}

/** Assembles a NIK from its parts; the inverse of parseNik (no validation). */
export function composeNik(districtCode: string, birthDate: string, sex: Sex, serial: number): string {
  if (!/^[0-9]{6}$/.test(districtCode)) throw new Error(`district code must be 6 digits: ${districtCode}`);
  if (!Number.isInteger(serial) || serial < 1 || serial > 9999) throw new Error(`serial out of range: ${serial}`);
  return districtCode + nikBirthDigits(birthDate, sex) + String(serial).padStart(4, '0');
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
