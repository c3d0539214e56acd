/**
 * The server process of `npm run bench` and `npm run soak`: the real app (createApp + real deps, as src/node.ts builds
 * them) on @hono/node-server, in its own process so the load generator does not share its event loop. Bench-only
 * listeners beside it, on their own ports (the real app's listener is untouched):
 *   app      — the app exactly as production serves it;
 *   ceiling  — bare handlers doing only a hot path's primitives (scripts/bench/ceiling.ts);
 *   noPin    — the same app with a PIN hasher that accepts without hashing (issuance with the PIN hash excluded);
 *   clients  — the same app, but the client address is taken from X-Bench-Client, so per-IP limits see many clients
 *              (all load comes from 127.0.0.1 here; every rate-limit statement still runs).
 * Talks to its parent over IPC: "ready" with the ports, "stats" (RSS, CPU) on request.
 */
import type { IncomingMessage } from 'node:http';
import { serve } from '@hono/node-server';
import type postgres from 'postgres';
import { createApp } from '../../src/app.js';
import { buildNodeDeps } from '../../src/bootstrap.js';
import { parseConfig } from '../../src/config.js';
import type { Deps } from '../../src/deps.js';
import { createLogger } from '../../src/logger.js';
import { ceilingFetch } from './ceiling.js';

type NodeEnv = { incoming: IncomingMessage; outgoing: unknown };

const config = parseConfig(process.env);
const logger = createLogger({ level: config.logLevel });
const deps = await buildNodeDeps(config, logger);
const client = (deps.database as unknown as { client: postgres.Sql }).client;

const app = createApp(deps);
const noPinDeps: Deps = { ...deps, pins: { hash: deps.pins.hash, verify: async () => true } };
const noPinApp = createApp(noPinDeps);

function withSimulatedClient(request: Request, env: NodeEnv) {
  const simulated = env.incoming.headers['x-bench-client'];
  if (typeof simulated !== 'string') return app.fetch(request, env);
  // Only the socket's peer address changes; everything else is the real request.
  const incoming = Object.create(env.incoming, { socket: { value: { remoteAddress: simulated } } }) as IncomingMessage;
  return app.fetch(request, { ...env, incoming });
}

const listen = (fetch: (request: Request, env: NodeEnv) => Response | Promise<Response>) =>
  new Promise<{ port: number; close: () => void }>((resolve) => {
    const server = serve({ fetch: fetch as never, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ port: info.port, close: () => server.close() }),
    );
  });

const servers = {
  app: await listen((request, env) => app.fetch(request, env)),
  ceiling: await listen(ceilingFetch(deps.keys, client)),
  noPin: await listen((request, env) => noPinApp.fetch(request, env)),
  clients: await listen(withSimulatedClient),
};

const ports = Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, s.port]));
process.send?.({ type: 'ready', ports, pid: process.pid });

process.on('message', async (message: { type?: string; gc?: boolean }) => {
  if (message?.type === 'stats') {
    // The soak asks for a full collection first (node --expose-gc), so a leak shows as live heap, not garbage.
    if (message.gc) (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    process.send?.({ type: 'stats', rss: memory.rss, heapUsed: memory.heapUsed, cpu: process.cpuUsage(), uptime: process.uptime() });
  } else if (message?.type === 'stop') {
    for (const s of Object.values(servers)) s.close();
    await deps.database.close().catch(() => {});
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
