/**
 * Failover that loses nothing (scripts/lib/failover.ts, also `npm run failover`): a primary and a synchronous
 * streaming standby from Debian's binaries, the service given both hosts with target_session_attrs=read-write,
 * issuances and redemptions under load, SIGKILL to the primary, promotion of the standby. Counted on the new
 * primary. Needs IKD_TEST_PG_BIN (CI sets it to /usr/lib/postgresql/<v>/bin).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFailover } from '../../scripts/lib/failover.js';

const bin = process.env.IKD_TEST_PG_BIN;
const usable = Boolean(bin && existsSync(join(bin, 'pg_basebackup')));
if (!usable) console.warn('test/integration/failover: skipped — IKD_TEST_PG_BIN does not point at PostgreSQL binaries with pg_basebackup; CI runs it');

describe.skipIf(!usable)('failover to a synchronous standby', () => {
  it('loses no redemption answered 200, redeems nothing twice, answers 503 + Retry-After (never 500) during the switch, and carries on', async () => {
    const report = await runFailover({ bin: bin!, log: (line) => console.log(`failover: ${line}`) });
    console.log(`failover: ${JSON.stringify(report.statuses)}; time to recover ${report.recoveryMs} ms (promoted at ${report.promotedMs} ms)`);
    expect(report.redeemed200).toBeGreaterThanOrEqual(120);
    expect(report.lost).toBe(0);
    expect(report.doubleRedemptions).toBe(0);
    expect(report.unexpected, JSON.stringify(report.unexpected.slice(0, 5))).toEqual([]);
    expect(report.answers.some((a) => a.status >= 500 && a.status !== 503)).toBe(false);
    // The switch was really seen by the clients, and they were served again after it, by the same service.
    const during = report.answers.filter((a) => a.phase === 'switch' && a.status === 503);
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((a) => a.code === 'service_unavailable' && Number(a.retryAfter) >= 1)).toBe(true);
    expect(report.answers.filter((a) => a.phase === 'after' && a.step === 'verify' && a.status === 200).length).toBeGreaterThanOrEqual(60);
  }, 110_000);
});
