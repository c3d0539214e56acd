/** Indonesian local time by the holder's province (issue #16.14): WIB, WITA, WIT from the NIK's first two digits. */
import { describe, expect, it } from 'vitest';
import { formatHolderTime, formatLocalDateTime, ianaZone, zoneOfProvince } from '../../src/domain/local-time.js';

describe('zoneOfProvince', () => {
  it('puts every WITA and WIT province in its zone and the rest in WIB', () => {
    for (const p of ['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']) expect(zoneOfProvince(p)).toBe('WITA');
    for (const p of ['81', '82', '91', '92', '93', '94', '95', '96']) expect(zoneOfProvince(p)).toBe('WIT');
    for (const p of ['11', '31', '32', '35', '36', '61', '62']) expect(zoneOfProvince(p)).toBe('WIB');
    expect(zoneOfProvince('7310041705900001')).toBe('WITA'); // Pangkajene, Sulawesi Selatan
    expect(zoneOfProvince('')).toBe('WIB');
    expect(zoneOfProvince(undefined)).toBe('WIB');
  });
  it('names the IANA zone of each', () => {
    expect([ianaZone('WIB'), ianaZone('WITA'), ianaZone('WIT')]).toEqual(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']);
  });
});

describe('formatLocalDateTime', () => {
  const at = new Date('2026-12-02T16:30:00Z');
  it('shifts UTC by 7, 8 or 9 hours and names the zone, crossing midnight when it must', () => {
    expect(formatLocalDateTime(at, 'WIB')).toBe('02/12/2026 23.30 WIB');
    expect(formatLocalDateTime(at, 'WITA')).toBe('03/12/2026 00.30 WITA');
    expect(formatLocalDateTime(at, 'WIT', 'en')).toBe('03/12/2026 01:30 WIT');
  });
  it('agrees with the IANA zones (Indonesia keeps no daylight saving)', () => {
    for (const zone of ['WIB', 'WITA', 'WIT'] as const) {
      const hour = new Intl.DateTimeFormat('en-GB', { timeZone: ianaZone(zone), hour: '2-digit', hourCycle: 'h23' }).format(at);
      expect(formatLocalDateTime(at, zone, 'en')).toContain(` ${hour}:`);
    }
  });
  it('formats a holder by their NIK', () => {
    expect(formatHolderTime(at, '9171010101900001')).toBe('03/12/2026 01.30 WIT');
    expect(formatHolderTime(at, '3171010101900001')).toBe('02/12/2026 23.30 WIB');
  });
});
