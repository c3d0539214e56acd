/**
 * Issuing a document on a completed service request: the PDF (pdf.ts), its number (numbers.ts), a check code
 * (check-code.ts), the Ed25519 signature over its SHA-256 and the issuing data (signature.ts), stored in the
 * caller's transaction so the document exists exactly when the request is completed.
 *
 * Fields the layouts read (others print as labelled lines on a letter):
 * - family_card: kk, headName, street, rt, rw, village, district, regency, province, postalCode,
 *   members: [{ nik, name, sex, birthPlace, birthDate, religion, education, occupation, maritalStatus,
 *   relationship, citizenship, fatherName, motherName }]
 *   (or headOfFamilyNik: the head's name is then read from members; `address` as one line if no street)
 * - birth_certificate: childName, childNik?, sex, birthPlace, birthDate, birthTime?, birthOrder, fatherName?,
 *   fatherNik, motherName?, motherNik
 * - death_certificate: deceasedName, deceasedNik, deceasedSex?, deceasedBirthPlace?, deceasedBirthDate?,
 *   placeOfDeath (or deathPlace), dateOfDeath (or deathDate)
 * - marriage_certificate: husbandName?, husbandNik, wifeName?, wifeNik, placeOfMarriage, marriageDate, religion,
 *   religiousLeader?
 * - kia: childNik is its number; any other type gets a register number (numbers.ts).
 * Letters print every scalar field as a labelled line (dotted keys: "destination.street" → "Alamat Tujuan") and
 * every list of rows as a table. Dates are YYYY-MM-DD.
 */
import { and, eq } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import type { Tx } from '../../db/types.js';
import { issuedDocuments } from '../../db/schema/index.js';
import { newId, sha256Hex } from '../../crypto/secrets.js';
import { zoneOfProvince, zoneOffsetHours } from '../local-time.js';
import { newCheckCode } from './check-code.js';
import { documentNumber } from './numbers.js';
import { issuingOffice } from './office.js';
import { renderDocumentPdf, type DocumentFields } from './pdf.js';
import { signIssuingData } from './signature.js';

export interface IssueDocumentInput {
  accountId: string;
  nik: string;
  holderName: string;
  type: string;
  title: string;
  fields: Record<string, string | number | null | Array<Record<string, string | null>>>;
  officeCode: string;
  serviceRequestId: string | null;
  issuedAt: Date;
}

export interface IssuedDocumentRef {
  id: string;
  type: string;
  number: string;
  checkCode: string;
  sha256: string;
}

/** <PUBLIC_BASE_URL>/cek/<code>: what the QR on the document holds. */
export const checkUrl = (publicBaseUrl: string, checkCode: string): string => `${publicBaseUrl}/cek/${checkCode}`;

/** The office's local date (YYYY-MM-DD) of an instant: WIB, WITA or WIT by the office's province. */
export function officeLocalDate(at: Date, officeCode: string): string {
  return new Date(at.getTime() + zoneOffsetHours(zoneOfProvince(officeCode)) * 3600_000).toISOString().slice(0, 10);
}

/**
 * A fresh code no document has: at 50 bits a repeat is about one in 10^9 per issue even with a million issued,
 * but a unique-index violation would abort the caller's whole transaction, so look first (a duplicate row can
 * then only come from two issues drawing the same code at the same instant).
 */
async function unusedCheckCode(tx: Tx): Promise<string> {
  for (;;) {
    const code = newCheckCode();
    const [taken] = await tx.select({ id: issuedDocuments.id }).from(issuedDocuments).where(eq(issuedDocuments.checkCode, code)).limit(1);
    if (!taken) return code;
  }
}

/** Makes the PDF (pdf-lib), signs sha256 + issuing data with the key ring's Ed25519 key, stores it in the same tx. */
export async function issueDocument(deps: Pick<Deps, 'keys' | 'config'>, tx: Tx, input: IssueDocumentInput): Promise<IssuedDocumentRef> {
  const office = issuingOffice(input.officeCode);
  const id = newId('doc');
  const checkCode = await unusedCheckCode(tx);
  const number = await documentNumber(tx, {
    type: input.type,
    officeCode: office.code,
    issuedAt: input.issuedAt,
    offsetHours: zoneOffsetHours(zoneOfProvince(office.code)),
    fields: input.fields,
  });
  const pdf = await renderDocumentPdf({
    type: input.type,
    title: input.title,
    number,
    nik: input.nik,
    holderName: input.holderName,
    fields: input.fields as DocumentFields,
    office,
    issuedOn: officeLocalDate(input.issuedAt, office.code),
    checkCode,
    checkUrl: checkUrl(deps.config.publicBaseUrl, checkCode),
    issuedAt: input.issuedAt,
  });
  const sha256 = sha256Hex(pdf);
  const { kid, signature } = signIssuingData(deps.keys, {
    id,
    checkCode,
    type: input.type,
    number,
    nik: input.nik,
    holderName: input.holderName,
    officeCode: office.code,
    issuedAt: input.issuedAt,
    serviceRequestId: input.serviceRequestId,
    sha256,
  });
  await tx.insert(issuedDocuments).values({
    id,
    accountId: input.accountId,
    nik: input.nik,
    holderName: input.holderName,
    type: input.type,
    title: input.title,
    number,
    checkCode,
    officeCode: office.code,
    issuedBy: office.name,
    serviceRequestId: input.serviceRequestId,
    issuedAt: input.issuedAt,
    fields: input.fields,
    pdf,
    sha256,
    kid,
    signature,
  });
  return { id, type: input.type, number, checkCode, sha256 };
}

/** The stored PDF bytes of one issued document of this account (null when not this account's). */
export async function issuedDocumentPdf(deps: Pick<Deps, 'db'>, accountId: string, documentId: string): Promise<Uint8Array | null> {
  const [row] = await deps.db
    .select({ pdf: issuedDocuments.pdf })
    .from(issuedDocuments)
    .where(and(eq(issuedDocuments.id, documentId), eq(issuedDocuments.accountId, accountId)))
    .limit(1);
  return row?.pdf ?? null;
}
