import { describe, expect, it } from 'vitest';
import { createMemoryLogger, redact } from '../../src/logger.js';

describe('log redaction', () => {
  it('keeps errorCode and sqlState, and redacts code, otp, pin, token, apiKey, password and authorization', () => {
    const out = redact({
      errorCode: 'internal_error',
      sqlState: '23505',
      code: '482913',
      otp: '123456',
      pin: '246810',
      token: 'tok',
      apiKey: 'ikdv_x',
      password: 'hunter2',
      authorization: 'Bearer x',
      activationCode: '999999',
      nested: { headers: { Authorization: 'Bearer y' } },
    });
    expect(out).toEqual({
      errorCode: 'internal_error',
      sqlState: '23505',
      code: '[redacted]',
      otp: '[redacted]',
      pin: '[redacted]',
      token: '[redacted]',
      apiKey: '[redacted]',
      password: '[redacted]',
      authorization: '[redacted]',
      activationCode: '[redacted]',
      nested: { headers: { Authorization: '[redacted]' } },
    });
  });

  it('logs a database error as its SQLSTATE and statement, without the SQL, its parameters or a stack', () => {
    const driver = Object.assign(new Error('invalid input syntax for type uuid: "canary-param-1"'), { code: '22P02', severity: 'ERROR' });
    const wrapped = Object.assign(new Error('Failed query: select "id" from "operators" where "id" = $1\nparams: canary-param-1'), {
      query: 'select "id" from "operators" where "id" = $1',
      params: ['canary-param-1'],
      cause: driver,
    });
    const logger = createMemoryLogger();
    logger.error('request failed', { errorCode: 'internal_error', error: wrapped });
    const [line] = logger.lines;
    const entry = JSON.parse(line!) as { error: unknown; errorCode: string };
    expect(entry.errorCode).toBe('internal_error');
    expect(entry.error).toEqual({ name: 'DatabaseError', sqlState: '22P02', statement: 'select' });
    expect(line).not.toContain('canary-param-1');
    expect(line).not.toContain('operators');
  });

  it('names a prepared statement instead of its first keyword', () => {
    const driver = Object.assign(new Error('boom'), { code: '40001', severity: 'ERROR', statementName: 'redeem_ktp_token' });
    expect(redact(driver)).toEqual({ name: 'DatabaseError', sqlState: '40001', statement: 'redeem_ktp_token' });
  });

  it('keeps message and stack of other errors', () => {
    expect(redact(new TypeError('x is undefined'))).toEqual(expect.objectContaining({ name: 'TypeError', message: 'x is undefined', stack: expect.any(String) }));
  });
});
