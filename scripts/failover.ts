/**
 * `npm run failover`: a PostgreSQL primary and a synchronous standby from Debian's packages, the service given both
 * hosts (target_session_attrs=read-write), redemptions and issuances under load, SIGKILL to the primary, promotion
 * of the standby — then what the new primary holds, the answers during the switch and the time to recover.
 * Exits 1 if a redemption answered 200 was lost, a token was redeemed twice, or an answer was not 2xx / 503 + Retry-After.
 * Needs /usr/lib/postgresql/<v>/bin (or IKD_TEST_PG_BIN); everything runs in temp dirs on free ports.
 */
import { runFailover } from './lib/failover.js';

const report = await runFailover({ log: (line) => console.log(line) });
console.log('');
console.log(`answers by step and status:`);
for (const [key, n] of Object.entries(report.statuses).sort()) console.log(`  ${key.padEnd(40)} ${n}`);
console.log('');
console.log(`redemptions answered 200:             ${report.redeemed200}`);
console.log(`  of them not marked used (lost):     ${report.lost}`);
console.log(`double redemptions:                   ${report.doubleRedemptions}`);
console.log(`QRs answered 201, gone after failover: ${report.issuedButLost} (asynchronous-commit issuance; they do not redeem)`);
console.log(`redemptions answered 503 but committed: ${report.committedBut503} (the counter's retry is told token_already_used)`);
console.log(`unexpected answers (500s, 503 without Retry-After, …): ${report.unexpected.length}`);
for (const a of report.unexpected.slice(0, 10)) console.log(`  ${JSON.stringify(a)}`);
if (report.unexpected.length > 0) for (const line of report.serviceErrors.filter((l) => l.includes("internal_error")).slice(0, 3)) console.log(`  service: ${line.slice(0, 600)}`);
console.log('');
console.log(`standby promoted ${report.promotedMs} ms after the SIGKILL (1 s of it is the simulated failure detection)`);
console.log(`time to recover: ${report.recoveryMs} ms from the SIGKILL to the first redemption answered 200 on the new primary`);
const ok = report.lost === 0 && report.doubleRedemptions === 0 && report.unexpected.length === 0;
console.log(ok ? 'failover: nothing lost' : 'failover: FAILED');
process.exit(ok ? 0 : 1);
