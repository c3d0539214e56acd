/**
 * Checks the audit log's hash chain against the configured database: prints OK with the row count and the head
 * (write it down elsewhere: only an external copy shows rows cut off the end), or names the first broken row
 * and exits 1.
 *
 *   npm run audit:verify            (add -- --json for one JSON line)
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/bootstrap.js';
import { configOrExit } from './lib/cli.js';
import { applyMigrations } from '../src/db/migrate.js';
import { verifyAuditChain } from '../src/domain/audit/audit.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } }, strict: true });
  const config = configOrExit();
  const database = await openDatabase(config);
  try {
    await applyMigrations(database);
    const result = await verifyAuditChain(database.db);
    if (values.json) {
      process.stdout.write(JSON.stringify(result) + '\n');
    } else if (result.ok) {
      const head = result.head ? `; head seq ${result.head.seq} hash ${result.head.hash}` : '';
      process.stdout.write(`OK: audit chain intact, ${result.checked} rows${head}\n`);
    } else {
      process.stdout.write(
        `BROKEN: audit row seq ${result.firstBrokenSeq} fails (${result.problem === 'hash_mismatch' ? 'its content does not match its hash' : 'it does not link to the row before it'}); ${result.checked} rows before it hold\n`,
      );
    }
    return result.ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
