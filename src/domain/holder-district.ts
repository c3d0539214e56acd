/**
 * The holder's district on an access-log row (drizzle/0022): the first 6 digits of the account's NIK. Every writer of
 * a row for an account stores it, so statistics count by region without joining accounts; the roll-up and the raw
 * tail fall back to this same read for rows written before the column existed. Shared by every capability that
 * logs an access (credential, holder, oidc, verification-requests) and by the statistics (operators).
 */
import { sql, type SQL } from 'drizzle-orm';

/** The district (first 6 NIK digits) of account `accountId`, one primary-key read; null when there is no such account. */
export const districtOfAccount = (accountId: SQL | string | null): SQL =>
  sql`(select substr(acc.nik, 1, 6) from accounts acc where acc.id = ${accountId})`;
