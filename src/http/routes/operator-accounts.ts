/** Operator console routes for residents' accounts: suspend (lost phone, fraud) and lift a PIN lock. */
import { Hono } from 'hono';
import { z } from 'zod';
import { suspendAccount, unlockAccount } from '../../domain/enrolment/verification.js';
import { currentOperator, requireOperator } from '../auth/operator.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, pathParams } from '../validate.js';

const nikParam = z.object({ nik: z.string().min(1).max(32) });

export function operatorAccountRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/operator/accounts/:nik/suspend',
    describeRoute({
      summary: 'Suspend an IKD: device, sessions and live QR tokens revoked; the resident is e-mailed',
      tags: ['operator'],
      security: 'operator',
      responses: { 200: { description: 'Suspended', schema: z.object({ status: z.literal('suspended') }) } },
      errors: ['unauthorized', 'forbidden', 'not_found'],
    }),
    requireOperator(),
    pathParams(nikParam),
    jsonBody(z.object({ reason: z.string().trim().min(1).max(500) })),
    async (c) =>
      c.json(await suspendAccount(c.get('deps'), { nik: c.req.valid('param').nik, reason: c.req.valid('json').reason, operator: currentOperator(c) })),
  );

  app.post(
    '/v1/operator/accounts/:nik/unlock',
    describeRoute({
      summary: 'Lift the PIN lock of an IKD (a suspension stays)',
      tags: ['operator'],
      security: 'operator',
      responses: { 200: { description: 'Unlocked', schema: z.object({ status: z.enum(['active', 'suspended']) }) } },
      errors: ['unauthorized', 'forbidden', 'not_found'],
    }),
    requireOperator(),
    pathParams(nikParam),
    async (c) => c.json(await unlockAccount(c.get('deps'), { nik: c.req.valid('param').nik, operator: currentOperator(c) })),
  );

  return app;
}
