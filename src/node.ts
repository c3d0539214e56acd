/**
 * Node entry point: config from process.env, migrations and dev seed, then the HTTP server with its outbox worker and
 * maintenance job — in this process, or in IKD_WORKERS node:cluster workers sharing the port (PostgreSQL only).
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { buildNodeDeps } from './bootstrap.js';
import { ConfigError, parseConfig, type Config } from './config.js';
import { prepareDevelopmentData } from './dev/setup.js';
import { createMaintenanceJob } from './domain/maintenance/purge.js';
import { transportFor } from './email/transports.js';
import { createOutboxWorker } from './email/worker.js';
import { createLogger, type Logger } from './logger.js';
import { configureServerTimeouts, type ServerTimeouts } from './server-timeouts.js';

/** How many processes serve: IKD_WORKERS or one per core, and always one on PGlite (one process owns its files). */
function processCount(config: Config, logger: Logger): number {
  const wanted = config.workers ?? availableParallelism();
  if (!config.databaseUrl && wanted > 1) {
    logger.info('PGlite is single-process: running one process (set DATABASE_URL for several)', { requestedWorkers: wanted });
    return 1;
  }
  return wanted;
}

async function main() {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  if (cluster.isWorker) return serveHttp(config, logger.child({ pid: process.pid }), { prepare: false });
  const processes = processCount(config, logger);
  if (processes === 1) return serveHttp(config, logger, { prepare: true });
  return runPrimary(config, logger, processes);
}

/** The cluster primary: migrations, keys and dev seed once, then the workers; it serves nothing itself. */
async function runPrimary(config: Config, logger: Logger, processes: number) {
  const deps = await buildNodeDeps(config, logger);
  if (config.devMode) await prepareDevelopmentData(deps);
  await deps.database.close();

  let stopping = false;
  const listening = new Set<number>();
  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', () => listening.add(worker.id));
  };
  logger.info('starting worker processes', { workers: processes, database: 'postgres' });
  for (let i = 0; i < processes; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    const wasServing = listening.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A worker that served and died is replaced; one that never started would only die again: stop everything.
    if (wasServing) {
      logger.error('worker process exited, starting another', { pid: worker.process.pid, code, signal });
      fork();
    } else {
      logger.error('worker process failed to start', { pid: worker.process.pid, code, signal });
      void stop('worker failed', 1);
    }
  });

  const stop = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { reason });
    const workers = Object.values(cluster.workers ?? {});
    if (workers.length === 0) process.exit(exitCode);
    for (const worker of workers) worker?.process.kill('SIGTERM');
    if (exitCode !== 0) setTimeout(() => process.exit(exitCode), 10_000).unref();
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** One serving process: the app, the outbox worker and the maintenance job (both safe in any number of processes). */
async function serveHttp(config: Config, logger: Logger, options: { prepare: boolean }) {
  const started = performance.now();
  const deps = await buildNodeDeps(config, logger, undefined, { migrate: options.prepare });
  if (config.devMode && options.prepare) await prepareDevelopmentData(deps);

  const app = createApp(deps);
  // The outbox delivers e-mails written by any process; SKIP LOCKED lets every process run one.
  const outboxWorker = createOutboxWorker(deps, transportFor(config, logger));
  outboxWorker.start(1000);
  // Every process keeps the timer; the advisory lock and the last-run mark make one of them run it each period.
  const maintenance = createMaintenanceJob(deps);
  maintenance.start();
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    logger.info('IKD service listening', {
      host: config.host,
      port: info.port,
      url: `http://${host}:${info.port}`,
      database: deps.database.kind,
      devMode: config.devMode,
      startupMs: Math.round(performance.now() - started),
    });
  });

  configureServerTimeouts(server as unknown as ServerTimeouts);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close();
    await Promise.all([outboxWorker.stop().catch(() => {}), maintenance.stop().catch(() => {})]);
    await deps.database.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`IKD service failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
