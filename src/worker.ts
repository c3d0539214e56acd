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
import { createLogger, type Logger } from './logger.js';
import { createSeededRegistry } from './registry/seeded.js';

export interface WorkerEnv {
  HYPERDRIVE: { connectionString: string };
  [name: string]: unknown;
}

interface IsolateState {
  config: Config;
  keys: KeyRing;
  logger: Logger;
  pins: Deps['pins'];
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
  isolate = { config, keys, logger, pins: createScryptPinHasher(config.pinPepper) };
  return isolate;
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: { waitUntil(p: Promise<unknown>): void }): Promise<Response> {
    const state = isolateState(env);
    const database = createPostgresDatabase(env.HYPERDRIVE.connectionString, { max: 5 });
    const deps: Deps = {
      ...state,
      config: { ...state.config, devMode: false },
      database,
      db: database.db,
      clock: systemClock,
      registry: createSeededRegistry(database.db),
    };
    requestDeps.set(request, deps);
    try {
      return await app.fetch(request, env, ctx as never);
    } finally {
      ctx.waitUntil(database.close());
    }
  },
};
