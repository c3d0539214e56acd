/** The resident's access history (UU 27/2022: the holder may see the processing trail): who saw what, when. */
import { and, desc, eq, lt } from 'drizzle-orm';
import { accessLog, verifiers } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { ResidentPrincipal } from './login.js';

export const HISTORY_PAGE_SIZE = 20;

export interface AccessHistoryItem {
  at: string;
  verifier: { id: string; name: string };
  outcome: 'verified' | 'expired' | 'already_used' | 'revoked' | 'account_inactive' | 'not_allowed' | 'nothing_to_disclose' | 'data_written' | 'refused' | 'login';
  elements: string[];
  /** The document of a document QR (absent for a KTP QR). */
  document?: string;
  /** The desk that scanned it ("Loket 3"), when the counter named one. */
  counter?: string;
  /** data_written only: which data-balikan record the institution wrote or deleted. */
  data?: { kind: string; action: 'written' | 'deleted' };
}

// The cursor is opaque to clients; it only ever pages through the caller's own rows, so it needs no signature.
const encodeCursor = (seq: number) => Buffer.from(`s:${seq}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const m = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? /^s:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8')) : null;
  if (!m) {
    throw new AppError('invalid_request', { errors: [{ path: 'cursor', message: 'not a cursor from this API' }] });
  }
  return Number(m[1]);
}

/** GET /v1/me/access-history: newest first, HISTORY_PAGE_SIZE a page; nextCursor null on the last page. */
export async function listAccessHistory(
  deps: Pick<Deps, 'db'>,
  input: { resident: ResidentPrincipal; cursor?: string },
): Promise<{ items: AccessHistoryItem[]; nextCursor: string | null }> {
  const before = input.cursor ? decodeCursor(input.cursor) : undefined;
  const rows = await deps.db
    .select({
      seq: accessLog.seq,
      at: accessLog.at,
      outcome: accessLog.outcome,
      elements: accessLog.elements,
      document: accessLog.document,
      counter: accessLog.counter,
      dataKind: accessLog.dataKind,
      dataAction: accessLog.dataAction,
      verifierId: verifiers.id,
      verifierName: verifiers.name,
    })
    .from(accessLog)
    .innerJoin(verifiers, eq(verifiers.id, accessLog.verifierId))
    .where(and(eq(accessLog.accountId, input.resident.accountId), before === undefined ? undefined : lt(accessLog.seq, before)))
    .orderBy(desc(accessLog.seq))
    .limit(HISTORY_PAGE_SIZE + 1);
  const page = rows.slice(0, HISTORY_PAGE_SIZE);
  return {
    items: page.map((r) => ({
      at: r.at.toISOString(),
      verifier: { id: r.verifierId, name: r.verifierName },
      // 'invalid' rows carry no account, so they never reach a resident's history.
      outcome: r.outcome as AccessHistoryItem['outcome'],
      elements: r.elements,
      ...(r.document && r.document !== 'ktp' ? { document: r.document } : {}),
      ...(r.counter ? { counter: r.counter } : {}),
      ...(r.dataKind && r.dataAction ? { data: { kind: r.dataKind, action: r.dataAction } } : {}),
    })),
    nextCursor: rows.length > HISTORY_PAGE_SIZE ? encodeCursor(page[page.length - 1]!.seq) : null,
  };
}
