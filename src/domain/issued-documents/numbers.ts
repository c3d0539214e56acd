/**
 * Document numbers as the registers print them: akta "7310-LT-02122026-0001" (office, register, day, running
 * number), letters "SKPWNI/7310/02122026/0001"; a KK keeps its 16-digit number, a KIA is the child's NIK. The
 * running number is per office, register and day, taken with one upsert so parallel completions never share one.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/types.js';
import { queryRows } from '../../db/types.js';

type Shape = { prefix: string; style: 'akta' | 'letter' };

const SHAPES: Record<string, Shape> = {
  birth_certificate: { prefix: 'LT', style: 'akta' },
  death_certificate: { prefix: 'KM', style: 'akta' },
  marriage_certificate: { prefix: 'KW', style: 'akta' },
  divorce_certificate: { prefix: 'CR', style: 'akta' },
  skpwni: { prefix: 'SKPWNI', style: 'letter' },
  move_in_certificate: { prefix: 'SKDWNI', style: 'letter' },
  ktp_el_receipt: { prefix: 'SUKET', style: 'letter' },
  data_sync_statement: { prefix: 'SKSD', style: 'letter' },
  family_card: { prefix: 'KK', style: 'letter' },
  kia: { prefix: 'KIA', style: 'letter' },
};

/** DDMMYYYY of the office's local day (the register's date). */
function registerDay(at: Date, offsetHours: number): string {
  const d = new Date(at.getTime() + offsetHours * 3600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}${pad(d.getUTCMonth() + 1)}${d.getUTCFullYear()}`;
}

async function nextRunningNumber(tx: Tx, officeCode: string, prefix: string, day: string): Promise<number> {
  const rows = await queryRows<{ last: number }>(
    tx,
    sql`INSERT INTO issued_document_counters (office_code, prefix, day, last) VALUES (${officeCode}, ${prefix}, ${day}, 1)
        ON CONFLICT (office_code, prefix, day) DO UPDATE SET last = issued_document_counters.last + 1
        RETURNING last`,
  );
  return Number(rows[0]!.last);
}

export async function documentNumber(
  tx: Tx,
  input: { type: string; officeCode: string; issuedAt: Date; offsetHours: number; fields: Record<string, unknown> },
): Promise<string> {
  const digits16 = (v: unknown) => (typeof v === 'string' && /^\d{16}$/.test(v) ? v : null);
  if (input.type === 'family_card') {
    const kk = digits16(input.fields.kk);
    if (kk) return kk;
  }
  if (input.type === 'kia') {
    // The child's NIK, never the requester's: a KIA issued with a newborn's akta gets a register number instead.
    const nik = digits16(input.fields.childNik);
    if (nik) return nik;
  }
  const shape = SHAPES[input.type] ?? { prefix: input.type.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 8) || 'DOC', style: 'letter' as const };
  const day = registerDay(input.issuedAt, input.offsetHours);
  const n = String(await nextRunningNumber(tx, input.officeCode, shape.prefix, day)).padStart(4, '0');
  return shape.style === 'akta'
    ? `${input.officeCode}-${shape.prefix}-${day}-${n}`
    : `${shape.prefix}/${input.officeCode}/${day}/${n}`;
}
