/**
 * Anyone may check an issued document: by its check code (GET /v1/documents/check/{code}, the QR's /cek/{code}) or
 * by the PDF file itself (POST /v1/documents/check). Valid means the stored issuing data and the PDF's SHA-256 still
 * verify under the signing key (rotated-out keys kept in the ring still verify) and, for a file, that its bytes
 * hash to the signed SHA-256: one changed byte and it is not the document that was issued.
 */
import { eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { issuedDocuments } from '../../db/schema/index.js';
import { sha256Hex } from '../../crypto/secrets.js';
import { AppError } from '../../errors.js';
import { normalizeCheckCode } from './check-code.js';
import { officeLocalDate } from './issue.js';
import { verifyIssuingData } from './signature.js';

export interface DocumentCheck {
  valid: boolean;
  type: string;
  title: string;
  number: string;
  checkCode: string;
  issuedOn: string;
  issuedBy: string;
  sha256: string;
  holder: { name: string };
}

/** A file that is no issued document, or an altered one: nothing about any holder is told. */
export interface FileCheckMismatch {
  valid: false;
  sha256: string;
}

type Row = typeof issuedDocuments.$inferSelect;

/** "ANDI MAPPASESSU" → "AN** MA*******": enough to match the paper in hand, not enough to learn a name. */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => {
      const chars = [...word];
      const keep = chars.length <= 2 ? 1 : 2;
      return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
    })
    .join(' ');
}

function signatureHolds(keys: Deps['keys'], row: Row): boolean {
  return verifyIssuingData(
    keys,
    {
      id: row.id,
      checkCode: row.checkCode,
      type: row.type,
      number: row.number,
      nik: row.nik,
      holderName: row.holderName,
      officeCode: row.officeCode,
      issuedAt: row.issuedAt,
      serviceRequestId: row.serviceRequestId,
      sha256: row.sha256,
    },
    row.kid,
    row.signature,
  );
}

function answer(keys: Deps['keys'], row: Row, pdfBytes?: Uint8Array): DocumentCheck {
  // The stored PDF must still hash to the signed value: a row whose bytes were swapped is not genuine either.
  const bytes = pdfBytes ?? row.pdf;
  const valid = signatureHolds(keys, row) && sha256Hex(bytes) === row.sha256;
  return {
    valid,
    type: row.type,
    title: row.title,
    number: row.number,
    checkCode: row.checkCode,
    issuedOn: officeLocalDate(row.issuedAt, row.officeCode),
    issuedBy: row.issuedBy,
    sha256: row.sha256,
    holder: { name: maskName(row.holderName) },
  };
}

/** GET /v1/documents/check/{code}: 404 not_found for a code that was never issued (or cannot be one). */
export async function checkDocumentByCode(deps: Pick<Deps, 'db' | 'keys'>, code: string): Promise<DocumentCheck> {
  const normalized = normalizeCheckCode(code);
  if (!normalized) throw new AppError('not_found');
  const [row] = await deps.db.select().from(issuedDocuments).where(eq(issuedDocuments.checkCode, normalized)).limit(1);
  if (!row) throw new AppError('not_found');
  return answer(deps.keys, row);
}

/** POST /v1/documents/check: the same answer for a genuine file; `valid: false` (and its hash) for any other. */
export async function checkDocumentFile(deps: Pick<Deps, 'db' | 'keys'>, pdf: Uint8Array): Promise<DocumentCheck | FileCheckMismatch> {
  const sha256 = sha256Hex(pdf);
  const [row] = await deps.db.select().from(issuedDocuments).where(eq(issuedDocuments.sha256, sha256)).limit(1);
  if (!row) return { valid: false, sha256 };
  return answer(deps.keys, row, pdf);
}
