/**
 * Times people read, in Indonesian local time with its zone: WIB (UTC+7), WITA (UTC+8) or WIT (UTC+9), chosen by
 * the holder's province, the first two digits of the NIK. Pages, e-mails and the photo stamp use it instead of UTC.
 */
export type IndonesianZone = 'WIB' | 'WITA' | 'WIT';

const WITA_PROVINCES = new Set(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']);
const WIT_PROVINCES = new Set(['81', '82', '91', '92', '93', '94', '95', '96']);

const ZONES: Record<IndonesianZone, { iana: string; offsetHours: number }> = {
  WIB: { iana: 'Asia/Jakarta', offsetHours: 7 },
  WITA: { iana: 'Asia/Makassar', offsetHours: 8 },
  WIT: { iana: 'Asia/Jayapura', offsetHours: 9 },
};

/** The zone of a province code or of a NIK (its first two digits); WIB for anything else. */
export function zoneOfProvince(nikOrProvinceCode: string | null | undefined): IndonesianZone {
  const province = String(nikOrProvinceCode ?? '').slice(0, 2);
  if (WITA_PROVINCES.has(province)) return 'WITA';
  if (WIT_PROVINCES.has(province)) return 'WIT';
  return 'WIB';
}

export const ianaZone = (zone: IndonesianZone): string => ZONES[zone].iana;
/** Hours ahead of UTC (no daylight saving in Indonesia): 7, 8 or 9. */
export const zoneOffsetHours = (zone: IndonesianZone): number => ZONES[zone].offsetHours;

/** The date (YYYY-MM-DD) of `at` `offsetHours` ahead of UTC. */
export const localDate = (at: Date, offsetHours: number): string => new Date(at.getTime() + offsetHours * 3600_000).toISOString().slice(0, 10);

/** The UTC instants of local days [from, to] inclusive `offsetHours` ahead of UTC: start of `from`, end of `to`. */
export function localDayBounds(from: string, to: string, offsetHours: number): { start: Date; end: Date } {
  const offset = offsetHours * 3600_000;
  return { start: new Date(Date.parse(`${from}T00:00:00Z`) - offset), end: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000 - offset) };
}

/** "25/11/2026 14.05 WITA" (id) or "25/11/2026 14:05 WITA" (en): date, 24-hour time and the zone's name. */
export function formatLocalDateTime(at: Date, zone: IndonesianZone, lang: 'id' | 'en' = 'id'): string {
  const shifted = new Date(at.getTime() + ZONES[zone].offsetHours * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${pad(shifted.getUTCDate())}/${pad(shifted.getUTCMonth() + 1)}/${shifted.getUTCFullYear()}`;
  const time = `${pad(shifted.getUTCHours())}${lang === 'id' ? '.' : ':'}${pad(shifted.getUTCMinutes())}`;
  return `${date} ${time} ${zone}`;
}

/** The same for a holder: the zone from their NIK. */
export const formatHolderTime = (at: Date, nik: string | null | undefined, lang: 'id' | 'en' = 'id'): string =>
  formatLocalDateTime(at, zoneOfProvince(nik), lang);
