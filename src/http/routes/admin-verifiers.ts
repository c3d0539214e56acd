/** Admin: creating verifiers (public-service counters) and their API keys. */
import { Hono } from 'hono';
import { z } from 'zod';
import { KTP_ELEMENTS, TOKEN_DOCUMENTS } from '../../crypto/token-codec.js';
import { createVerifier } from '../../domain/verifiers/verifiers.js';
import { currentOperator, requireOperator } from '../auth/operator.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody } from '../validate.js';

const newVerifierSchema = z.object({
  name: z.string().trim().min(1).max(200),
  allowedElements: z.array(z.enum(KTP_ELEMENTS)).min(1).max(KTP_ELEMENTS.length),
  allowedDocuments: z.array(z.enum(TOKEN_DOCUMENTS)).min(1).max(TOKEN_DOCUMENTS.length).optional().describe('default ["ktp"]'),
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

  return app;
}
