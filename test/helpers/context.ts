/**
 * Builds a real app for a test file: PGlite in memory (default) or, with DATABASE_URL, a fresh PostgreSQL
 * database cloned from the migrated template. Real keys, a memory logger (searched for secrets), a test clock.
 */
import postgres from 'postgres';
import { createApp } from '../../src/app.js';
import { parseConfig, type Config } from '../../src/config.js';
import { generateKeyRing, KeyRing } from '../../src/crypto/keyring.js';
import { createPinHasher } from '../../src/crypto/pin.js';
import { createSecretBox } from '../../src/crypto/secret-box.js';
import { createSharpCounterPhotos } from '../../src/domain/credential/photo-sharp.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createPgliteDatabase } from '../../src/db/pglite.js';
import { createPostgresDatabase } from '../../src/db/postgres.js';
import type { Database } from '../../src/db/types.js';
import type { Deps } from '../../src/deps.js';
import { createMemoryLogger } from '../../src/logger.js';
import { createSeededRegistry } from '../../src/registry/seeded.js';
import { createTestClock, type TestClock } from './clock.js';
import { inject } from 'vitest';
import { withDatabase } from './global-setup.js';

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

export async function createTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await createPgliteDatabase();
    await applyMigrations(database);
    return database;
  }
  const name = `ikd_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`);
  } finally {
    await admin.end();
  }
  const database = createPostgresDatabase(withDatabase(url, name), { max: 20 });
  const close = database.close;
  return {
    ...database,
    close: async () => {
      await close();
      const dropper = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    NODE_ENV: 'test',
    PUBLIC_BASE_URL: 'https://ikd.test',
    IKD_PIN_PEPPER: 'test-pepper-0123456789abcdef',
    IKD_DATA_DIR: '.data/test',
    ...overrides,
  });
}

// One hasher for all test contexts: argon2id with the test pepper, as in production.
const testHasher = createPinHasher('test-pepper-0123456789abcdef');
const testSecrets = createSecretBox('test-pepper-0123456789abcdef');

export interface TestContext {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  clock: TestClock;
  logLines: string[];
  close(): Promise<void>;
}

export async function createTestContext(
  options: { config?: Record<string, string>; database?: Database; deps?: Partial<Deps> } = {},
): Promise<TestContext> {
  const database = options.database ?? (await createTestDatabase());
  const logger = createMemoryLogger('debug');
  const clock = createTestClock();
  const deps: Deps = {
    config: testConfig(options.config),
    database,
    db: database.db,
    logger,
    clock,
    keys: new KeyRing(generateKeyRing()),
    registry: createSeededRegistry(database.db),
    pins: testHasher,
    passwords: testHasher,
    secrets: testSecrets,
    photos: createSharpCounterPhotos({ now: () => clock.now().getTime() }),
    ...options.deps,
  };
  return { app: createApp(deps), deps, clock, logLines: logger.lines, close: () => database.close() };
}

/** JSON request through app.request, in memory. */
export function jsonRequest(method: string, body?: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  };
}
