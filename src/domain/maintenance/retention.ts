/**
 * How long the service keeps each kind of short-lived row after it stops mattering: the retention periods as data,
 * read by the maintenance job (purge.ts) and copied into the README's "Data kept" table.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The longest rate-limit window in use (registration: 1 h per IP and per NIK); rows do not store their own. */
export const LONGEST_RATE_LIMIT_WINDOW_MS = HOUR;

/**
 * access_log is kept by month (drizzle/0019): the monthly partitions of the last 24 months stay, older ones are
 * detached and dropped whole by the maintenance job (partitions.ts). Two years covers a holder's "who saw my data"
 * questions and an audit of any counter; the hourly statistics rollups (access_stats_hourly, account_stats_hourly)
 * are kept for good.
 */
export const ACCESS_LOG_RETENTION_MONTHS = 24;
/** Partitions made ahead of time: the current month and the three after it, so no insert ever waits on DDL. */
export const ACCESS_LOG_MONTHS_AHEAD = 3;

export type RetentionTable =
  | 'challenges'
  | 'rate_limits'
  | 'resident_sessions'
  | 'operator_sessions'
  | 'outbox'
  | 'ktp_tokens'
  | 'activations'
  | 'pin_resets'
  | 'operator_login_locks'
  | 'registrations'
  | 'oidc_authorizations'
  | 'oidc_access_tokens'
  | 'oidc_client_assertions'
  | 'service_request_attachments'
  | 'issued_document_counters'
  | 'verification_requests';

export interface RetentionRule {
  table: RetentionTable;
  /** What is deleted (or, for `registrations`, blanked: the row stays): the end of life the grace counts from. */
  what: string;
  /** Kept this long after the end of life. */
  graceMs: number;
  /** Why the rows are kept that long (and why not longer). */
  why: string;
}

export const RETENTION: readonly RetentionRule[] = [
  {
    table: 'challenges',
    what: 'device challenges (login, registration QR), from their expiry (2 min after issue), used or not',
    graceMs: HOUR,
    why: 'a used or expired challenge can never be accepted again (its expiry alone refuses it); the hour only helps read logs',
  },
  {
    table: 'rate_limits',
    what: 'rate-limit windows, from the end of the longest window (1 h)',
    graceMs: HOUR,
    why: 'a finished window never counts again; an hour more so a window is never deleted while a request can still hit it',
  },
  {
    table: 'resident_sessions',
    what: 'resident sessions, from their expiry (15 min) or revocation, whichever comes first',
    graceMs: 7 * DAY,
    why: 'an ended session authenticates nothing; a week lets support answer "was I logged in then?"',
  },
  {
    table: 'operator_sessions',
    what: 'operator sessions, from their 12 h end, their 30 min idle end or their logout, whichever comes first',
    graceMs: 7 * DAY,
    why: 'as resident sessions; every operator action is kept for good in the audit log, which is never purged',
  },
  {
    table: 'outbox',
    what: 'delivered e-mails (the dev mailbox), from their delivery',
    graceMs: 30 * DAY,
    why: '30 days answers "did the e-mail go out?" (the links and codes in them are dead after 24 h); failed ones are kept until looked at',
  },
  {
    table: 'ktp_tokens',
    what: 'KTP QR tokens, from their expiry (90 s after issue): used, revoked or expired alike',
    graceMs: 7 * DAY,
    why:
      'a token past its expiry is refused anyway; for a week a late scan is still told "expired" or "already used" and shown ' +
      'in the holder\'s history, after that it answers token_invalid. The access log keeps every scan with its token id for good',
  },
  {
    table: 'activations',
    what: 'activation links and codes, from their expiry (24 h after issue): consumed, voided or expired alike',
    graceMs: 30 * DAY,
    why:
      'the registration (kept) carries the status; for 30 days an old link still answers "expired" rather than "invalid"',
  },
  {
    table: 'pin_resets',
    what: 'Lupa PIN codes, from their expiry (15 min after issue): consumed, voided or expired alike',
    graceMs: DAY,
    why: 'a code past its expiry is refused anyway; the audit log keeps each request and confirmation for good, so a day is enough to read logs',
  },
  {
    table: 'operator_login_locks',
    what: 'operator login-failure counters, from the later of their last failure and the end of their lock (15 min)',
    graceMs: DAY,
    why: 'a counter idle for 15 min starts again from one and an ended lock refuses nothing; every lock is kept in the audit log',
  },
  {
    table: 'registrations',
    what: 'the selfie (image bytes and type) of a rejected or expired registration, from its rejection or its 7-day expiry; the row stays',
    graceMs: 30 * DAY,
    why:
      '30 days lets the registrant ask why and an operator look again; after that a face is kept for nothing. Pending and approved ' +
      'registrations keep theirs (the counter compares it); an account\'s deletion erases them at once',
  },
  {
    table: 'oidc_authorizations',
    what: 'Masuk dengan IKD login requests (client, scopes, decision, code hash), from their expiry (5 min after the authorize page)',
    graceMs: 7 * DAY,
    why: 'a code lives 60 s; for a week a replayed code is still recognised (and what it issued revoked). Every approved login stays in the access log for good',
  },
  {
    table: 'oidc_access_tokens',
    what: 'access tokens given to online services (SHA-256 only), from their expiry (10 min) or revocation',
    graceMs: 7 * DAY,
    why: 'an expired or revoked token authenticates nothing; a week lets support answer "which service read my data then?"',
  },
  {
    table: 'oidc_client_assertions',
    what: 'ids (jti) of private_key_jwt client assertions, from their expiry',
    graceMs: HOUR,
    why: 'an expired assertion is refused by its own exp; the jti is kept only while a replay could still be accepted',
  },
  {
    table: 'service_request_attachments',
    what: 'the files attached to a service request (photos and scans of KK, forms, letters), from the request\'s closing (rejected, cancelled, picked up, delivered; completed, for a download)',
    graceMs: 90 * DAY,
    why:
      'they are what the office decided on, kept while the holder may still object to the decision; after that the request, its history, the issued documents and the audit log carry the decision, and SIAK keeps its own archive',
  },
  {
    table: 'issued_document_counters',
    what: 'the running numbers of the register-style document numbers (…-0001), one row per office, register and day, from the end of that day',
    graceMs: 2 * DAY,
    why: 'a day\'s counter is only ever counted up during that day (in the office\'s WIB/WITA/WIT); the numbers it gave out live on in the issued documents',
  },
  {
    table: 'verification_requests',
    what: 'counter requests through a QR (verifier, desk, elements asked and shared, the holder who decided), from their expiry (5 min after opening)',
    graceMs: DAY,
    why: 'an expired request can be neither decided nor collected; what the counter received is in the access log, which is kept',
  },
];

/** Personal data kept on purpose with no purge, and why: the README's "Data kept" table lists these too. */
export const KEPT_FOR_GOOD: readonly { table: string; what: string; why: string }[] = [
  {
    table: 'issued_documents',
    what: 'documents issued on a completed service request: the PDF (holder, family members, addresses as printed), its number, check code, SHA-256 and Ed25519 signature',
    why: 'a civil-registration document stays valid for life, so its check (GET /v1/documents/check/{code}, /cek/{code}) must keep answering for any paper or file in circulation, and the holder may download it again; kept after DELETE /v1/me too (an office record, like the registry\'s), when only the account id links it to nobody. The check shows only a masked name',
  },
];

export function retentionFor(table: RetentionTable): RetentionRule {
  const rule = RETENTION.find((r) => r.table === table);
  if (!rule) throw new Error(`no retention rule for ${table}`);
  return rule;
}

/** "1 h", "7 days": the grace as the README shows it. */
export function describeGrace(ms: number): string {
  if (ms % DAY === 0) return ms === DAY ? '1 day' : `${ms / DAY} days`;
  if (ms % HOUR === 0) return `${ms / HOUR} h`;
  return `${ms / MINUTE} min`;
}
