/** Public, unauthenticated routes: liveness, readiness, JWKS and the OpenAPI document. */
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { AppEnv } from '../context.js';
import { describeRoute, generateOpenApi } from '../openapi.js';

const jwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});

const ecJwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
  kid: z.string().describe('es-<kid>: the P-256 key of the same ring entry'),
  alg: z.literal('ES256'),
  use: z.literal('sig'),
});

export function publicRoutes(getApp: () => Hono<AppEnv>) {
  const app = new Hono<AppEnv>();

  app.get(
    '/healthz',
    describeRoute({
      summary: 'Liveness: 200 while the process runs',
      tags: ['public'],
      responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
    }),
    (c) => c.json({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    describeRoute({
      summary: 'Readiness: 200 when the database answers',
      tags: ['public'],
      responses: { 200: { description: 'Ready', schema: z.object({ status: z.literal('ready'), database: z.string() }) } },
      errors: ['not_ready'],
    }),
    async (c) => {
      const { database, logger } = c.get('deps');
      try {
        await database.ping(2000);
      } catch (error) {
        logger.warn('readiness check failed', { requestId: c.get('requestId'), error: String((error as Error)?.message ?? error) });
        throw new AppError('not_ready', { retryAfter: 5 });
      }
      return c.json({ status: 'ready' as const, database: database.kind });
    },
  );

  app.get(
    '/.well-known/jwks.json',
    describeRoute({
      summary: 'Public keys that verify KTP tokens (Ed25519) and ID tokens (P-256, ES256): current and, during rotation, previous',
      tags: ['public'],
      responses: { 200: { description: 'JWKS', schema: z.object({ keys: z.array(z.union([jwkSchema, ecJwkSchema])) }) } },
    }),
    (c) => {
      c.header('Cache-Control', 'public, max-age=60');
      return c.json(c.get('deps').keys.publicJwks());
    },
  );

  app.get(
    '/openapi.json',
    describeRoute({ summary: 'This API as OpenAPI 3.1', tags: ['public'], responses: { 200: { description: 'OpenAPI document' } } }),
    (c) => {
      const { config } = c.get('deps');
      return c.json(generateOpenApi(getApp(), { title: 'IKD service API', version: '1', serverUrl: config.publicBaseUrl }));
    },
  );

  return app;
}
