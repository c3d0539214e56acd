/** Issue #15 point 10: a failing database statement reaches the log as its SQLSTATE and keyword, never as SQL with parameters. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, jsonRequest, type TestContext } from '../helpers/context.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

describe('a database error during a request', () => {
  it('answers 500 internal_error and logs errorCode, the SQLSTATE and the statement keyword only', async () => {
    await ctx.deps.db.execute(sql`alter table operators rename to operators_gone`);
    try {
      const res = await ctx.app.request(
        '/v1/operator/login',
        jsonRequest('POST', { username: 'canary.username.q7x', password: 'canary-password-q7x', otp: '123456' }, { 'cf-connecting-ip': '198.51.100.77' }),
      );
      expect(res.status).toBe(500);
      expect(((await res.json()) as { code: string }).code).toBe('internal_error');
    } finally {
      await ctx.deps.db.execute(sql`alter table operators_gone rename to operators`);
    }
    const lines = ctx.logLines.filter((l) => l.includes('request failed'));
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { errorCode: string; error: { name: string; sqlState: string; statement: string } };
    expect(entry.errorCode).toBe('internal_error');
    expect(entry.error).toEqual({ name: 'DatabaseError', sqlState: '42P01', statement: expect.stringMatching(/^[a-z_]+$/) });
    const all = ctx.logLines.join('\n');
    expect(all).not.toContain('canary.username.q7x');
    expect(all).not.toContain('canary-password-q7x');
    expect(all).not.toMatch(/Failed query|params:|\n\s+at /);
  });
});
