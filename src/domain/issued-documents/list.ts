/** The documents issued to one holder through online services, for GET /v1/me/documents (newest first). */
import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/types.js';
import { issuedDocuments } from '../../db/schema/index.js';
import { DOCUMENT_TITLES, isDocumentType } from '../holder/document-types.js';
import { officeLocalDate } from './issue.js';

export interface IssuedDocumentSummary {
  type: string;
  number: string;
  title: string;
  issuedOn: string;
  issuedBy: string;
  /** Only on issued documents: which one, its check code and the request it came from (its PDF is downloaded there). */
  id: string;
  checkCode: string;
  serviceRequestId: string | null;
  source: 'issued';
}

export async function listIssuedDocuments(db: DbOrTx, accountId: string, lang: 'id' | 'en' = 'id'): Promise<IssuedDocumentSummary[]> {
  const rows = await db
    .select({
      id: issuedDocuments.id,
      type: issuedDocuments.type,
      title: issuedDocuments.title,
      number: issuedDocuments.number,
      checkCode: issuedDocuments.checkCode,
      issuedBy: issuedDocuments.issuedBy,
      issuedAt: issuedDocuments.issuedAt,
      officeCode: issuedDocuments.officeCode,
      serviceRequestId: issuedDocuments.serviceRequestId,
    })
    .from(issuedDocuments)
    .where(eq(issuedDocuments.accountId, accountId))
    .orderBy(desc(issuedDocuments.issuedAt), desc(issuedDocuments.id));
  return rows.map((r) => ({
    type: r.type,
    number: r.number,
    // The printed title is Indonesian; a type the registry also knows has an English title too.
    title: lang === 'en' && isDocumentType(r.type) ? DOCUMENT_TITLES[r.type].en : r.title,
    issuedOn: officeLocalDate(r.issuedAt, r.officeCode),
    issuedBy: r.issuedBy,
    id: r.id,
    checkCode: r.checkCode,
    serviceRequestId: r.serviceRequestId,
    source: 'issued' as const,
  }));
}
