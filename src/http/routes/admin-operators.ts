/** Admin: the operator list, and disabling / re-enabling an operator (its sessions end at once). */
import { Hono } from 'hono';
import { z } from 'zod';
import { disableOperator, enableOperator, listOperators } from '../../domain/operators/operator-status.js';
import { OPERATOR_ROLES } from '../../domain/operators/operators.js';
import { currentOperator, requireOperator } from '../auth/operator.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { pathParams } from '../validate.js';

const operatorIdParam = z.object({ id: z.string().min(1).max(64) });

const operatorSummarySchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(OPERATOR_ROLES),
  officeCode: z.string(),
  status: z.enum(['active', 'disabled']),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});

export function adminOperatorRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/v1/admin/operators',
    describeRoute({
      summary: 'Lists every operator, supervisor and admin with status and lock (never a secret)',
      tags: ['admin'],
      security: 'operator',
      responses: { 200: { description: 'Operators, oldest first', schema: z.object({ items: z.array(operatorSummarySchema) }) } },
      errors: ['unauthorized', 'forbidden'],
    }),
    requireOperator('admin'),
    async (c) => {
      const items = await listOperators(c.get('deps'));
      return c.json({
        items: items.map((o) => ({ ...o, lockedUntil: o.lockedUntil?.toISOString() ?? null, createdAt: o.createdAt.toISOString() })),
      });
    },
  );

  app.post(
    '/v1/admin/operators/:id/disable',
    describeRoute({
      summary: 'Disables an operator: its sessions end, its login answers 401 invalid_credentials; audited',
      tags: ['admin'],
      security: 'operator',
      responses: { 200: { description: 'Disabled', schema: z.object({ id: z.string(), status: z.literal('disabled') }) } },
      errors: ['unauthorized', 'forbidden', 'csrf_failed', 'not_found', 'conflict'],
    }),
    requireOperator('admin'),
    pathParams(operatorIdParam),
    async (c) => {
      const admin = currentOperator(c);
      return c.json(await disableOperator(c.get('deps'), { id: c.req.valid('param').id, actor: { actorType: 'operator', actorId: admin.id } }));
    },
  );

  app.post(
    '/v1/admin/operators/:id/enable',
    describeRoute({
      summary: 'Re-enables a disabled operator (its old sessions stay ended); audited',
      tags: ['admin'],
      security: 'operator',
      responses: { 200: { description: 'Enabled', schema: z.object({ id: z.string(), status: z.literal('active') }) } },
      errors: ['unauthorized', 'forbidden', 'csrf_failed', 'not_found'],
    }),
    requireOperator('admin'),
    pathParams(operatorIdParam),
    async (c) => {
      const admin = currentOperator(c);
      return c.json(await enableOperator(c.get('deps'), { id: c.req.valid('param').id, actor: { actorType: 'operator', actorId: admin.id } }));
    },
  );

  return app;
}
