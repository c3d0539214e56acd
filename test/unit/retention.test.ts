/** The retention periods (src/domain/maintenance/retention.ts) are what the README's "Data kept" table says. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LOGIN_RATE_LIMIT } from '../../src/domain/credential/login.js';
import { QR_RATE_LIMIT } from '../../src/domain/credential/ktp-token.js';
import { REGISTRATION_LIMITS } from '../../src/domain/enrolment/registration.js';
import { PIN_ACTION_RATE_LIMIT } from '../../src/domain/holder/resident.js';
import { describeGrace, KEPT_FOR_GOOD, LONGEST_RATE_LIMIT_WINDOW_MS, RETENTION } from '../../src/domain/maintenance/retention.js';
import { LOGIN_RATE_LIMITS } from '../../src/domain/operators/operators.js';
import { DOCUMENT_CHECK_LIMIT } from '../../src/http/routes/document-check.js';

describe('retention periods', () => {
  it('the README lists every rule as the module states it', async () => {
    const readme = await readFile('README.md', 'utf8');
    for (const r of RETENTION) {
      expect(readme).toContain(`| \`${r.table}\` | ${r.what} | ${describeGrace(r.graceMs)} | ${r.why} |`);
    }
    expect(new Set(RETENTION.map((r) => r.table)).size).toBe(RETENTION.length);
    for (const k of KEPT_FOR_GOOD) expect(readme).toContain(`| \`${k.table}\` | ${k.what} | for good | ${k.why} |`);
  });

  it('no rate-limit window is longer than the one the purge assumes', () => {
    const windows = [LOGIN_RATE_LIMIT, QR_RATE_LIMIT, PIN_ACTION_RATE_LIMIT, ...Object.values(REGISTRATION_LIMITS), ...Object.values(LOGIN_RATE_LIMITS), DOCUMENT_CHECK_LIMIT];
    for (const w of windows) expect(w.windowSeconds * 1000).toBeLessThanOrEqual(LONGEST_RATE_LIMIT_WINDOW_MS);
  });

  it('describes graces as the README shows them', () => {
    expect(describeGrace(3_600_000)).toBe('1 h');
    expect(describeGrace(7 * 86_400_000)).toBe('7 days');
    expect(describeGrace(86_400_000)).toBe('1 day');
  });
});
