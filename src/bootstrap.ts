/** Node only: builds Deps from a Config — database (PGlite or PostgreSQL), migrations, keys, registry. */
import { createSharpCounterPhotos } from './domain/credential/photo-sharp.js';
import { join } from 'node:path';
import type { Config } from './config.js';
import { ensurePrivateDir, removeGroupAndOtherAccess, restrictNewFiles } from './data-dir.js';
import { loadKeyRing } from './crypto/keyring-file.js';
import { loadPinPepper } from './crypto/pepper-file.js';
import { createPinHasher } from './crypto/pin.js';
import { createSecretBox } from './crypto/secret-box.js';
import { sealPlainTotpSecrets } from './domain/operators/operators.js';
import { applyMigrations } from './db/migrate.js';
import { createPgliteDatabase } from './db/pglite.js';
import { createPostgresDatabase } from './db/postgres.js';
import type { Database } from './db/types.js';
import { systemClock, type Clock, type Deps } from './deps.js';
import type { Logger } from './logger.js';
import { createSeededRegistry } from './registry/seeded.js';

export async function openDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) {
    return createPostgresDatabase(config.databaseUrl, { max: config.databasePoolSize, statementTimeoutMs: config.databaseStatementTimeoutMs });
  }
  restrictNewFiles();
  await ensurePrivateDir(config.dataDir);
  const dir = join(config.dataDir, 'pgdata');
  await ensurePrivateDir(dir);
  await removeGroupAndOtherAccess(dir);
  return createPgliteDatabase(dir, { statementTimeoutMs: config.databaseStatementTimeoutMs });
}

/** `migrate: false` for cluster workers: the primary applied the migrations before it forked them. */
export async function buildNodeDeps(
  config: Config,
  logger: Logger,
  clock: Clock = systemClock,
  options: { migrate?: boolean } = {},
): Promise<Deps> {
  const database = await openDatabase(config);
  if (options.migrate !== false) await applyMigrations(database);
  const { ring, source } = await loadKeyRing(config);
  const pepper = await loadPinPepper(config);
  const hasher = createPinHasher(pepper);
  logger.info('key ring loaded', { source, kids: ring.kids, currentKid: ring.currentKid });
  const secrets = createSecretBox(pepper);
  const sealed = await sealPlainTotpSecrets({ db: database.db, secrets });
  if (sealed > 0) logger.info('TOTP secrets sealed at rest', { operators: sealed });
  return {
    config,
    database,
    db: database.db,
    logger,
    clock,
    keys: ring,
    registry: createSeededRegistry(database.db),
    pins: hasher,
    passwords: hasher,
    secrets,
    photos: createSharpCounterPhotos({ maxBytes: config.photoCacheMb * 1024 * 1024, now: () => clock.now().getTime() }),
    pepper,
  };
}
