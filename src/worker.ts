/**
 * Cloudflare Workers entry: config from bindings, PostgreSQL through Hyperdrive (postgres.js), the same app.
 * Keys are imported once per isolate; the database client is per request, as Workers require for I/O.
 * Migrations are applied beforehand with `npm run db:migrate`; the dev mode does not exist here.
 */
import { createApp } from './app.js';
import { parseConfig, type Config } from './config.js';
import { KeyRing, storedKeyRingSchema } from './crypto/keyring.js';
import { createScryptPinHasher } from './crypto/pin-scrypt.js';
import { createPostgresDatabase } from './db/postgres.js';
import { systemClock, type Deps } from './deps.js';
import { createSecretBox } from './crypto/secret-box.js';
import { createLogger, type Logger } from './logger.js';
import { createSeededRegistry } from './registry/seeded.js';
import { drawnCounterPhotos } from './domain/credential/photo.js';
import { transportFor } from './email/transports.js';
import { createOutboxWorker } from './email/worker.js';
import { MAINTENANCE_INTERVAL_MS, MAINTENANCE_LOCK_KEY, runMaintenance } from './domain/maintenance/purge.js';
import { rollUpAccessStats } from './domain/operators/rollups.js';

/** wrangler.toml [triggers]: this cron runs the maintenance job; every other one delivers the outbox. */
const MAINTENANCE_CRON = '*/10 * * * *';

export interface WorkerEnv {
  HYPERDRIVE: { connectionString: string };
  [name: string]: unknown;
}

interface IsolateState {
  config: Config;
  keys: KeyRing;
  logger: Logger;
  pins: Deps['pins'];
  passwords: Deps['passwords'];
  secrets: Deps['secrets'];
}

let isolate: IsolateState | undefined;
const requestDeps = new WeakMap<Request, Deps>();
// Routes are built once per isolate; each request brings its own database client.
const app = createApp((request) => {
  const deps = requestDeps.get(request);
  if (!deps) throw new Error('no deps for this request');
  return deps;
});

function isolateState(env: WorkerEnv): IsolateState {
  if (isolate) return isolate;
  const strings = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string'));
  const config = parseConfig({ ...strings, DATABASE_URL: env.HYPERDRIVE.connectionString });
  if (config.keysJson === undefined) throw new Error('IKD_KEYS: is required on Workers');
  if (!config.pinPepper) throw new Error('IKD_PIN_PEPPER: is required on Workers');
  const keys = new KeyRing(storedKeyRingSchema.parse(config.keysJson));
  const logger = createLogger({ level: config.logLevel, sink: (line) => console.log(line) });
  const hasher = createScryptPinHasher(config.pinPepper);
  isolate = { config, keys, logger, pins: hasher, passwords: hasher, secrets: createSecretBox(config.pinPepper) };
  return isolate;
}

type ExecutionContext = { waitUntil(p: Promise<unknown>): void };

export default {
  /** Cron triggers (wrangler.toml): every minute the due outbox e-mails, as the Node loop does; every 10 min maintenance. */
  async scheduled(event: { cron?: string }, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const state = isolateState(env);
    // Two connections: the maintenance run's advisory-lock transaction holds one while its deletes use the other.
    const database = createPostgresDatabase(env.HYPERDRIVE.connectionString, { max: 2, statementTimeoutMs: state.config.databaseStatementTimeoutMs });
    try {
      if (event.cron === MAINTENANCE_CRON) {
        await runMaintenance(
          { database, db: database.db, clock: systemClock, logger: state.logger, keys: state.keys, config: state.config },
          { minIntervalMs: MAINTENANCE_INTERVAL_MS / 2 },
        );
        return;
      }
      const worker = createOutboxWorker({ db: database.db, clock: systemClock, logger: state.logger, config: state.config }, transportFor(state.config, state.logger));
      await worker.deliverDue();
      // The statistics roll-up every minute too, as the Node processes do every 10 s (the finest cron is a minute),
      // under the maintenance lock: the raw tail a statistics read counts stays ≤ 80 s instead of 10 minutes.
      await database.withAdvisoryLock(MAINTENANCE_LOCK_KEY, () => rollUpAccessStats(database.db, systemClock.now())).catch((error: unknown) => {
        state.logger.warn('statistics roll-up failed', { error: error instanceof Error ? error.message : String(error) });
      });
    } finally {
      ctx.waitUntil(database.close());
    }
  },

  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const state = isolateState(env);
    const database = createPostgresDatabase(env.HYPERDRIVE.connectionString, { max: 5, statementTimeoutMs: state.config.databaseStatementTimeoutMs });
    const deps: Deps = {
      ...state,
      // Cloudflare sets CF-Connecting-IP (and drops a client's own): the client address on Workers.
      config: { ...state.config, devMode: false, trustProxy: { kind: 'cloudflare' } },
      database,
      db: database.db,
      clock: systemClock,
      registry: createSeededRegistry(database.db),
      // sharp (a native addon) does not load on Workers: the counter photo is drawn in JS (PNG, no cache).
      photos: drawnCounterPhotos,
    };
    requestDeps.set(request, deps);
    try {
      return await app.fetch(request, env, ctx as never);
    } finally {
      ctx.waitUntil(database.close());
    }
  },
};
