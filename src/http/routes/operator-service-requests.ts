/** Pelayanan for the office (API.md Part 2 "Pelayanan"): the queue, a request, its attachments, transitions; couriers too. */
import { Hono } from 'hono';
import { z } from 'zod';
import { SERVICE_TYPES } from '../../domain/services/catalog.js';
import { officeAttachment, officeQueue, officeRequest, officeTransition } from '../../domain/services/office.js';
import { REQUEST_STATUSES } from '../../domain/services/state-machine.js';
import { currentOperator, requireOperator } from '../auth/operator.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, pathParams, queryParams } from '../validate.js';
import { requestSchema } from './service-requests.js';

const status = z.enum(REQUEST_STATUSES);
const idParam = z.object({ id: z.string().min(1).max(64) });
const attachmentParam = z.object({ id: z.string().min(1).max(64), attachmentId: z.string().min(1).max(64) });

const queueQuery = z.object({
  status: status.optional(),
  type: z.enum(SERVICE_TYPES).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  cursor: z.string().max(200).optional(),
});

const queueItemSchema = z.object({
  id: z.string(),
  number: z.string(),
  type: z.string(),
  status,
  nik: z.string(),
  officeCode: z.string(),
  fulfilment: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  slaDueAt: z.string(),
  overdue: z.boolean(),
});

const transitionSchema = z.object({
  to: status,
  note: z.string().trim().min(1).max(1000).optional(),
  corrections: z.array(z.string().min(1).max(60)).min(1).max(10).optional().describe('needs_correction: the attachment kinds to send again'),
  reason: z.string().trim().min(1).max(1000).optional().describe('rejected, delivery_failed'),
  receivedBy: z.string().trim().min(1).max(200).optional().describe('delivered: who received the documents'),
});

export function operatorServiceRequestRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/v1/operator/service-requests',
    describeRoute({
      summary: 'The office’s queue, oldest first, overdue flagged (supervisors and admins: every office; couriers: delivery requests)',
      tags: ['operator', 'services'],
      security: 'operator',
      responses: { 200: { description: 'Queue', schema: z.object({ items: z.array(queueItemSchema), nextCursor: z.string().nullable() }) } },
      errors: ['unauthorized', 'forbidden'],
    }),
    requireOperator('courier'),
    queryParams(queueQuery),
    async (c) => c.json(await officeQueue(c.get('deps'), currentOperator(c), c.req.valid('query'))),
  );

  app.get(
    '/v1/operator/service-requests/:id',
    describeRoute({
      summary: 'A request with the holder’s registry record and the attachments’ metadata',
      tags: ['operator', 'services'],
      security: 'operator',
      responses: {
        200: {
          description: 'Request',
          schema: requestSchema.extend({
            nik: z.string(),
            officeCode: z.string(),
            overdue: z.boolean(),
            resident: z.record(z.string(), z.unknown()).nullable(),
            allowedSteps: z.array(status).describe('the statuses this operator (or courier) may move the request to now'),
          }),
        },
      },
      errors: ['unauthorized', 'forbidden', 'not_found'],
    }),
    requireOperator('courier'),
    pathParams(idParam),
    async (c) => c.json(await officeRequest(c.get('deps'), currentOperator(c), c.req.valid('param').id)),
  );

  app.get(
    '/v1/operator/service-requests/:id/attachments/:attachmentId',
    describeRoute({
      summary: 'One attachment, with its own (sniffed) content type, as a download',
      tags: ['operator', 'services'],
      security: 'operator',
      responses: { 200: { description: 'The file' } },
      errors: ['unauthorized', 'forbidden', 'not_found'],
    }),
    requireOperator('courier'),
    pathParams(attachmentParam),
    async (c) => {
      const { id, attachmentId } = c.req.valid('param');
      const file = await officeAttachment(c.get('deps'), currentOperator(c), id, attachmentId);
      const ascii = file.filename.replace(/[^A-Za-z0-9._-]/g, '_');
      return c.body(file.data as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      });
    },
  );

  app.post(
    '/v1/operator/service-requests/:id/transition',
    describeRoute({
      summary: 'One step of the request’s state machine; to: "completed" issues the output documents',
      tags: ['operator', 'services'],
      security: 'operator',
      responses: {
        200: {
          description: 'New status',
          schema: z.object({ id: z.string(), number: z.string(), status, allowedSteps: z.array(status).describe('the steps open to this operator from the new status') }),
        },
      },
      errors: ['unauthorized', 'forbidden', 'not_found', 'invalid_transition', 'csrf_failed'],
    }),
    requireOperator('courier'),
    pathParams(idParam),
    jsonBody(transitionSchema),
    async (c) => c.json(await officeTransition(c.get('deps'), { operator: currentOperator(c), id: c.req.valid('param').id, ...c.req.valid('json') })),
  );

  return app;
}
