/** Admin: verifiers (public-service counters) and their API keys: create, list, revoke, rotate. */
import { Hono } from 'hono';
import { z } from 'zod';
import { KTP_ELEMENTS, TOKEN_DOCUMENTS } from '../../crypto/token-codec.js';
import { DATA_BALIKAN_KIND, DATA_BALIKAN_KIND_MAX } from '../../domain/holder/data-balikan.js';
import { createVerifier, listVerifiers, revokeVerifier, rotateVerifierKey } from '../../domain/verifiers/verifiers.js';
import { currentOperator, requireOperator } from '../auth/operator.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, pathParams } from '../validate.js';

const newVerifierSchema = z.object({
  name: z.string().trim().min(1).max(200),
  allowedElements: z.array(z.enum(KTP_ELEMENTS)).min(1).max(KTP_ELEMENTS.length),
  allowedDocuments: z.array(z.enum(TOKEN_DOCUMENTS)).min(1).max(TOKEN_DOCUMENTS.length).optional().describe('default ["ktp"]'),
  dataBalikanKinds: z
    .array(z.string().max(DATA_BALIKAN_KIND_MAX).regex(DATA_BALIKAN_KIND, 'a kind is snake_case, e.g. bpjs_kesehatan'))
    .max(50)
    .optional()
    .describe('data-balikan kinds this institution may write back; default none'),
});

const verifierIdParam = z.object({ id: z.string().min(1).max(64) });

const verifierSchema = z.object({
  id: z.string(),
  name: z.string(),
  allowedElements: z.array(z.enum(KTP_ELEMENTS)),
  status: z.enum(['active', 'revoked']),
  createdAt: z.string(),
});

export function adminVerifierRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/admin/verifiers',
    describeRoute({
      summary: 'Creates a verifier; its API key is shown once (only its SHA-256 is kept)',
      tags: ['admin'],
      security: 'operator',
      responses: { 201: { description: 'Created', schema: z.object({ id: z.string(), apiKey: z.string() }) } },
      errors: ['unauthorized', 'forbidden', 'csrf_failed'],
    }),
    requireOperator('admin'),
    jsonBody(newVerifierSchema),
    async (c) => {
      const admin = currentOperator(c);
      const body = c.req.valid('json');
      const created = await createVerifier(c.get('deps'), { ...body, actor: { actorType: 'operator', actorId: admin.id } });
      return c.json(created, 201);
    },
  );

  app.get(
    '/v1/admin/verifiers',
    describeRoute({
      summary: 'Lists every verifier with its status (never a key or its hash)',
      tags: ['admin'],
      security: 'operator',
      responses: { 200: { description: 'Verifiers, oldest first', schema: z.object({ items: z.array(verifierSchema) }) } },
      errors: ['unauthorized', 'forbidden'],
    }),
    requireOperator('admin'),
    async (c) => {
      const items = await listVerifiers(c.get('deps'));
      return c.json({ items: items.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })) });
    },
  );

  app.post(
    '/v1/admin/verifiers/:id/revoke',
    describeRoute({
      summary: 'Revokes a verifier: its API key answers 401 verifier_unauthorized from the next request on; audited',
      tags: ['admin'],
      security: 'operator',
      responses: { 200: { description: 'Revoked (also when it already was)', schema: z.object({ id: z.string(), status: z.literal('revoked') }) } },
      errors: ['unauthorized', 'forbidden', 'csrf_failed', 'not_found'],
    }),
    requireOperator('admin'),
    pathParams(verifierIdParam),
    async (c) => {
      const admin = currentOperator(c);
      return c.json(await revokeVerifier(c.get('deps'), { id: c.req.valid('param').id, actor: { actorType: 'operator', actorId: admin.id } }));
    },
  );

  app.post(
    '/v1/admin/verifiers/:id/rotate-key',
    describeRoute({
      summary: 'A new API key for the verifier, shown once; the old key answers 401 from the next request on; audited',
      tags: ['admin'],
      security: 'operator',
      responses: { 200: { description: 'The new key', schema: z.object({ id: z.string(), apiKey: z.string() }) } },
      errors: ['unauthorized', 'forbidden', 'csrf_failed', 'not_found', 'conflict'],
    }),
    requireOperator('admin'),
    pathParams(verifierIdParam),
    async (c) => {
      const admin = currentOperator(c);
      return c.json(await rotateVerifierKey(c.get('deps'), { id: c.req.valid('param').id, actor: { actorType: 'operator', actorId: admin.id } }));
    },
  );

  return app;
}
