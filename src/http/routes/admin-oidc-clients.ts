/** Admin: OpenID Connect clients (Masuk dengan IKD relying parties). */
import { Hono } from 'hono';
import { z } from 'zod';
import { OIDC_SCOPES } from '../../domain/oidc/claims.js';
import { createOidcClient, revokeOidcClient } from '../../domain/oidc/clients.js';
import { currentOperator, requireOperator } from '../auth/operator.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, pathParams } from '../validate.js';

const newClientSchema = z.object({
  name: z.string().trim().min(1).max(200).describe('shown to the holder: "<name> meminta Anda masuk dengan IKD"'),
  redirectUris: z.array(z.string().max(2000)).min(1).max(10).describe('matched exactly'),
  allowedScopes: z.array(z.enum(OIDC_SCOPES)).min(1).max(OIDC_SCOPES.length).describe('must include openid'),
  jwksUri: z.string().max(2000).optional().describe('the client’s public keys: private_key_jwt instead of a secret'),
});

export function adminOidcClientRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/admin/oidc-clients',
    describeRoute({
      summary: 'Registers an OpenID Connect client; its secret (none with jwksUri) is shown once and stored as SHA-256; audited',
      tags: ['admin', 'oidc'],
      security: 'operator',
      responses: { 201: { description: 'Created', schema: z.object({ clientId: z.string(), clientSecret: z.string().optional() }) } },
      errors: ['unauthorized', 'forbidden', 'csrf_failed', 'invalid_request'],
    }),
    requireOperator('admin'),
    jsonBody(newClientSchema),
    async (c) => {
      const admin = currentOperator(c);
      const created = await createOidcClient(c.get('deps'), { ...c.req.valid('json'), actor: { actorType: 'operator', actorId: admin.id } });
      return c.json(created, 201);
    },
  );

  app.post(
    '/v1/admin/oidc-clients/:id/revoke',
    describeRoute({
      summary: 'Revokes an OpenID Connect client: no more authorize requests or tokens, its access tokens revoked; audited',
      tags: ['admin', 'oidc'],
      security: 'operator',
      responses: { 200: { description: 'Revoked (also when it already was)', schema: z.object({ clientId: z.string(), status: z.literal('revoked') }) } },
      errors: ['unauthorized', 'forbidden', 'csrf_failed', 'not_found'],
    }),
    requireOperator('admin'),
    pathParams(z.object({ id: z.string().min(1).max(100) })),
    async (c) => {
      const admin = currentOperator(c);
      return c.json(await revokeOidcClient(c.get('deps'), { id: c.req.valid('param').id, actor: { actorType: 'operator', actorId: admin.id } }));
    },
  );

  return app;
}
