/** Turns any thrown value into an RFC 9457 problem+json response with a stable code; never leaks a stack. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, errorCatalog, type ErrorCode, type FieldError } from '../errors.js';
import type { AppEnv } from './context.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  requestId: string;
  errors?: FieldError[];
  attemptsRemaining?: number;
}

export type Lang = 'id' | 'en';

export function preferredLanguage(c: Context): Lang {
  const header = c.req.header('Accept-Language') ?? '';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  const query = c.req.query('lang');
  if (query === 'en' || query === 'id') return query;
  return first.startsWith('en') ? 'en' : 'id';
}

export function problemBody(c: Context<AppEnv>, error: AppError): Problem {
  const lang = preferredLanguage(c);
  return {
    type: `https://ikd.dukcapil.go.id/problems/${error.code.replace(/_/g, '-')}`,
    title: errorCatalog[error.code][lang],
    status: error.status,
    code: error.code,
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    requestId: c.get('requestId') ?? '',
    ...(error.errors ? { errors: error.errors } : {}),
    ...(error.extensions ?? {}),
  };
}

export function problemResponse(c: Context<AppEnv>, error: AppError): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' };
  if (error.retryAfter !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(error.retryAfter)));
  return new Response(JSON.stringify(problemBody(c, error)), { status: error.status, headers });
}

/** Errors from the database driver that mean "the database is not reachable right now". */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    const message = String((e as { message?: unknown }).message ?? '');
    if (
      code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE' ||
      code === 'CONNECTION_CLOSED' || code === 'CONNECTION_ENDED' || code === 'CONNECTION_DESTROYED' ||
      code === 'CONNECT_TIMEOUT' || code === '57P01' || code === '57P02' || code === '57P03' || code === '08006' ||
      code === '08001' || code === '08003' || code === '53300' ||
      // read_only_sql_transaction: the pool reached a hot standby (a failover under way: the primary is gone, the
      // standby not yet promoted; postgres.js's target_session_attrs=read-write does not see in_hot_standby).
      // Nothing was written; once it is promoted the same connections write again.
      code === '25006' ||
      /PGlite is closed|database system is (shutting down|starting up)|Connection terminated/i.test(message)
    ) {
      return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** PostgreSQL SQLSTATE of the error or one of its causes (drizzle wraps driver errors). */
function sqlState(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let e: unknown = error;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new AppError('payload_too_large');
    if (error.status === 400) return new AppError('invalid_request', { detail: 'Malformed JSON in request body' });
    if (error.status === 401) return new AppError('unauthorized');
    if (error.status === 403) return new AppError('forbidden');
    if (error.status === 404) return new AppError('not_found');
    return new AppError(error.status >= 500 ? 'internal_error' : 'invalid_request');
  }
  if (isDatabaseUnavailable(error)) return new AppError('service_unavailable', { retryAfter: 5, cause: error });
  // 57014 query_canceled: the statement ran past statement_timeout (DATABASE_STATEMENT_TIMEOUT_MS). The database is
  // busy rather than broken: a 503 the client may retry, logged with its cause, never a hang or a 500.
  if (sqlState(error) === '57014') return new AppError('service_unavailable', { retryAfter: 1, cause: error });
  // Class 22 is "data exception": a value the database cannot hold (a NUL byte, an out-of-range number) that
  // validation let through. It is the caller's input, so a 400 — and still logged, since validation should catch it.
  if (sqlState(error)?.startsWith('22')) return new AppError('invalid_request', { cause: error });
  return new AppError('internal_error', { cause: error });
}
