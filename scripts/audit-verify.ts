/**
 * Checks the audit log's hash chain against the configured database, and the chain against signed checkpoints:
 *
 *   npm run audit:verify                                  the chain, and every checkpoint stored in audit_checkpoints
 *   npm run audit:verify -- --checkpoint <string|file>    the chain against checkpoints you kept (the auditor's e-mails);
 *                                                         a file may hold one or more, e.g. a saved e-mail; repeatable
 *   add -- --jwks <file>    check signatures with these public keys (a saved /.well-known/jwks.json) instead of the ring
 *   add -- --json           one JSON line: the chain's result, `ok` for the whole check, `checkpoints` when any
 *
 * Exits 0 when the chain holds and every checkpoint verifies; 1 with the reason when something fails (a broken row,
 * a signature that does not verify, a chain that no longer hashes to a signed head); 2 when it could not run.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/bootstrap.js';
import { loadKeyRing } from '../src/crypto/keyring-file.js';
import { configOrExit } from './lib/cli.js';
import { applyMigrations } from '../src/db/migrate.js';
import {
  findCheckpoints,
  listStoredCheckpoints,
  verifierFromJwks,
  verifyCheckpoints,
  type CheckpointInput,
  type CheckpointResult,
  type CheckpointVerifier,
} from '../src/domain/audit/checkpoint.js';

class UsageError extends Error {}

/** A compact JWS itself, or a file holding checkpoints (a saved e-mail, a list). */
async function checkpointsFrom(value: string, index: number): Promise<CheckpointInput[]> {
  const trimmed = value.trim();
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(trimmed)) return [{ source: `argument ${index + 1}`, jws: trimmed }];
  const isFile = await stat(value).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) {
    // Not a file either: judged as a checkpoint, so the report says plainly why it is not one.
    return [{ source: `argument ${index + 1}`, jws: trimmed }];
  }
  const found = findCheckpoints(await readFile(value, 'utf8'));
  if (found.length === 0) throw new UsageError(`no checkpoint found in ${value} (expected a compact JWS beginning "eyJ")`);
  return found.map((jws, i) => ({ source: found.length === 1 ? value : `${value} #${i + 1}`, jws }));
}

function describe(result: CheckpointResult): string {
  const what = [result.day && `day ${result.day}`, result.seq !== undefined && `seq ${result.seq}`, result.kid && `key ${result.kid}`]
    .filter(Boolean)
    .join(', ');
  const name = `checkpoint ${result.source}${what ? ` (${what})` : ''}`;
  return result.ok
    ? `OK: ${name}: signature valid, the chain up to seq ${result.seq} hashes to the signed head\n`
    : `FAILED: ${name}: ${result.message}\n`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      checkpoint: { type: 'string', multiple: true },
      jwks: { type: 'string' },
    },
    strict: true,
  });
  const config = configOrExit();
  const given = values.checkpoint ? (await Promise.all(values.checkpoint.map(checkpointsFrom))).flat() : undefined;
  const verifier: CheckpointVerifier = values.jwks
    ? verifierFromJwks(JSON.parse(await readFile(values.jwks, 'utf8')))
    : (await loadKeyRing(config)).ring;
  const database = await openDatabase(config);
  try {
    await applyMigrations(database);
    const inputs: CheckpointInput[] =
      given ?? (await listStoredCheckpoints(database.db)).map((row) => ({ source: `stored ${row.day}`, jws: row.jws, stored: row }));
    const { chain, results } = await verifyCheckpoints(database.db, verifier, inputs);
    const ok = chain.ok && results.every((r) => r.ok);
    if (values.json) {
      // The chain's result as before, `ok` for everything; `checkpoints` when there were any.
      process.stdout.write(JSON.stringify({ ...chain, ok, ...(results.length > 0 ? { checkpoints: results } : {}) }) + '\n');
      return ok ? 0 : 1;
    }
    if (chain.ok) {
      const head = chain.head ? `; head seq ${chain.head.seq} hash ${chain.head.hash}` : '';
      process.stdout.write(`OK: audit chain intact, ${chain.checked} rows${head}\n`);
    } else {
      process.stdout.write(
        `BROKEN: audit row seq ${chain.firstBrokenSeq} fails (${chain.problem === 'hash_mismatch' ? 'its content does not match its hash' : 'it does not link to the row before it'}); ${chain.checked} rows before it hold\n`,
      );
    }
    if (inputs.length === 0) {
      process.stderr.write('note: no checkpoint stored yet (the maintenance job signs one a day); checked the chain only\n');
    }
    for (const result of results) process.stdout.write(describe(result));
    return ok ? 0 : 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`audit:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof UsageError ? 1 : 2);
  },
);
