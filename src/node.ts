/** Node entry point: config from process.env, one database pool, migrations, dev seed, the HTTP server. */
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { buildNodeDeps } from './bootstrap.js';
import { ConfigError, parseConfig } from './config.js';
import { prepareDevelopmentData } from './dev/setup.js';
import { transportFor } from './email/transports.js';
import { createOutboxWorker } from './email/worker.js';
import { createLogger } from './logger.js';
import { configureServerTimeouts, type ServerTimeouts } from './server-timeouts.js';

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
  const started = performance.now();
  const deps = await buildNodeDeps(config, logger);
  if (config.devMode) await prepareDevelopmentData(deps);

  const app = createApp(deps);
  // The outbox delivers e-mails written by any process; SKIP LOCKED lets every process run one.
  const outboxWorker = createOutboxWorker(deps, transportFor(config, logger));
  outboxWorker.start(1000);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: '0.0.0.0' }, (info) => {
    logger.info('IKD service listening', {
      url: `http://localhost:${info.port}`,
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
    await outboxWorker.stop().catch(() => {});
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
