/**
 * Creates a verifier (a public-service counter) against the configured database (DATABASE_URL, or PGlite in
 * IKD_DATA_DIR) and prints its API key once; only the key's SHA-256 is stored. Audited as a system action.
 *
 *   npm run verifier:create -- --name "BPJS Kesehatan Pangkep" --elements nik,name,photo [--documents ktp,family_card]
 *     [--data-balikan-kinds bpjs_kesehatan]
 *
 * With PGlite (no DATABASE_URL) stop the service first: an embedded database has one process at a time.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/bootstrap.js';
import { KTP_ELEMENTS, TOKEN_DOCUMENTS, type KtpElement, type TokenDocument } from '../src/crypto/token-codec.js';
import { applyMigrations } from '../src/db/migrate.js';
import { configOrExit, fail } from './lib/cli.js';
import { systemClock } from '../src/deps.js';
import { isDataBalikanKind } from '../src/domain/holder/data-balikan.js';
import { createVerifier } from '../src/domain/verifiers/verifiers.js';
import { createLogger } from '../src/logger.js';

const USAGE = `usage: npm run verifier:create -- --name "<name>" --elements <comma-separated, of: ${KTP_ELEMENTS.join(',')}> [--documents <comma-separated, of: ${TOKEN_DOCUMENTS.join(',')}; default ktp>] [--data-balikan-kinds <comma-separated snake_case kinds, e.g. bpjs_kesehatan,npwp; default none>]`;


async function main() {
  const { values } = parseArgs({
    options: { name: { type: 'string' }, elements: { type: 'string' }, documents: { type: 'string' }, 'data-balikan-kinds': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const name = values.name?.trim();
  if (!name || name.length > 200 || !values.elements) fail(USAGE);
  const elements = values.elements.split(',').map((e) => e.trim()).filter(Boolean);
  const unknown = elements.filter((e) => !(KTP_ELEMENTS as readonly string[]).includes(e));
  if (elements.length === 0 || unknown.length > 0) fail(`--elements: unknown ${unknown.join(', ') || '(none given)'}; allowed: ${KTP_ELEMENTS.join(', ')}`);

  const documents = (values.documents ?? 'ktp').split(',').map((d) => d.trim()).filter(Boolean);
  const unknownDocuments = documents.filter((d) => !(TOKEN_DOCUMENTS as readonly string[]).includes(d));
  if (documents.length === 0 || unknownDocuments.length > 0) {
    fail(`--documents: unknown ${unknownDocuments.join(', ') || '(none given)'}; allowed: ${TOKEN_DOCUMENTS.join(', ')}`);
  }

  const kinds = (values['data-balikan-kinds'] ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  const badKinds = kinds.filter((k) => !isDataBalikanKind(k));
  if (badKinds.length > 0) fail(`--data-balikan-kinds: not snake_case: ${badKinds.join(', ')} (e.g. bpjs_kesehatan, npwp)`);

  const config = configOrExit();
  const database = await openDatabase(config);
  try {
    await applyMigrations(database);
    const created = await createVerifier(
      { db: database.db, clock: systemClock, logger: createLogger({ level: 'silent' }) },
      { name, allowedElements: elements as KtpElement[], allowedDocuments: documents as TokenDocument[], dataBalikanKinds: kinds, actor: { actorType: 'system', actorId: 'cli' } },
    );
    process.stdout.write(
      [
        `Verifier created: ${name} (id ${created.id}), allowed elements: ${elements.join(', ')}; documents: ${documents.join(', ')}; data balikan: ${kinds.join(', ') || 'none'}`,
        `API key (shown once; send it as "Authorization: Bearer <key>" to POST /v1/verify):`,
        created.apiKey,
      ].join('\n') + '\n',
    );
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  process.stderr.write(`verifier:create failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
