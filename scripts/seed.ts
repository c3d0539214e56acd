/**
 * `npm run seed -- --count N [--seed S] [--as-of YYYY-MM-DD] [--regency 7310,9301] [--all-regions]`: fills the
 * seeded population registry with N synthetic residents plus the fixed demo residents, in DATABASE_URL (postgres.js) or else the embedded PGlite
 * under <IKD_DATA_DIR>/pgdata. Idempotent: existing rows are kept, so re-running with a larger N adds the rest.
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/bootstrap.js';
import { configOrExit } from './lib/cli.js';
import { applyMigrations } from '../src/db/migrate.js';
import { seedDemoResidents, seedRegistry } from '../src/registry/seeded.js';
import { DEFAULT_SEED } from '../src/registry/synthetic.js';
import { findRegency } from '../src/registry/regions.js';
import { loadVillages } from '../src/registry/villages.js';
import { createProgress } from './progress.js';
import { systemClock } from '../src/deps.js';
import { seedDemoInstitutions } from '../src/dev/demo-institutions.js';
import { createLogger } from '../src/logger.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string' },
    seed: { type: 'string' },
    'as-of': { type: 'string' },
    /** Four-digit Kemendagri regency codes (any of the 514): every synthetic household lives in one of them. */
    regency: { type: 'string' },
    /** The rest of the population over all 38 provinces and 514 regencies (reads the package's villages). */
    'all-regions': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log('usage: npm run seed -- --count N [--seed S] [--as-of YYYY-MM-DD] [--regency CODE[,CODE…]] [--all-regions]');
  process.exit(0);
}

const config = configOrExit();
const count = values.count === undefined ? config.seedCount : Number(values.count);
if (!Number.isInteger(count) || count < 0 || count > 5_000_000) {
  console.error(`--count must be a whole number between 0 and 5000000, got ${values.count}`);
  process.exit(2);
}
const asOf = values['as-of'];
if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
  console.error(`--as-of must be YYYY-MM-DD, got ${asOf}`);
  process.exit(2);
}
const regencies = values.regency?.split(',').map((c) => c.trim().replace(/\./g, '')).filter(Boolean);
for (const code of regencies ?? []) {
  if (!findRegency(code)) {
    console.error(`--regency: ${code} is not a Kemendagri regency code (four digits, e.g. 7310 or 73.10)`);
    process.exit(2);
  }
}
// A named regency (other than the hand-written detail) or --all-regions: the villages from idn-area-data.
const villages = regencies || values['all-regions'] ? await loadVillages() : undefined;
// Another population than the default one: its own seed stream, so its NIKs do not collide with the default's.
const seed = values.seed ?? (regencies ? `${DEFAULT_SEED}:${regencies.join(',')}` : values['all-regions'] ? `${DEFAULT_SEED}:all` : DEFAULT_SEED);

const database = await openDatabase(config);
try {
  const started = performance.now();
  await applyMigrations(database);
  const migrated = performance.now();
  const progress = createProgress('seed', count);
  const { inserted } = await seedRegistry(database.db, { count, seed, asOf, villages, regencies, onProgress: (generated) => progress.update(generated) });
  progress.stop();
  const demo = await seedDemoResidents(database.db);
  // Their keys are not printed: an admin gets one with `npm run verifier:rotate -- --id <id>`.
  const institutions = await seedDemoInstitutions(
    { db: database.db, clock: systemClock, logger: createLogger({ level: 'silent' }) },
    { residents: demo, keys: 'keep' },
  );
  const seconds = (performance.now() - migrated) / 1000;
  console.log(
    `seeded ${database.kind}: ${inserted} of ${count} synthetic residents inserted (seed "${seed}"), ` +
      `${demo.length} demo residents ensured, ` +
      `${institutions.institutions.length} demo institutions with ${institutions.records} data-balikan records ` +
      `(${institutions.institutions.map((i) => `${i.name} ${i.id}`).join(', ')}), in ${seconds.toFixed(1)} s ` +
      `(${Math.round(inserted / Math.max(seconds, 0.001))} rows/s; migrations ${Math.round(migrated - started)} ms)`,
  );
} finally {
  await database.close();
}
