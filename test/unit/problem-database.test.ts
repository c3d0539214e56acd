/** Which driver errors are "the database is not reachable / not writable right now" (503 + Retry-After), not a 500. */
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, toAppError } from '../../src/http/problem.js';

const driverError = (code: string) => Object.assign(new Error(`driver ${code}`), { code });
const wrapped = (cause: Error) => Object.assign(new Error('Failed query: insert …'), { cause });

describe('database errors as problems', () => {
  it('maps 25006 read_only_sql_transaction (the pool reached a not-yet-promoted standby) to 503 with Retry-After', () => {
    const error = toAppError(wrapped(driverError('25006')));
    expect(error.code).toBe('service_unavailable');
    expect(error.status).toBe(503);
    expect(error.retryAfter).toBeGreaterThanOrEqual(1);
  });

  it('keeps connection losses at 503 and other SQL errors at 500 (or 400 for data exceptions)', () => {
    for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', '57P01', '08006']) expect(isDatabaseUnavailable(wrapped(driverError(code)))).toBe(true);
    expect(toAppError(wrapped(driverError('23505'))).code).toBe('internal_error');
    expect(toAppError(wrapped(driverError('22P02'))).code).toBe('invalid_request');
  });
});
