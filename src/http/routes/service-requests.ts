/** Pelayanan for residents (API.md Part 2 "Pelayanan"): the public catalog and the holder's own requests. */
import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_ATTACHMENTS } from '../../domain/services/attachments.js';
import { FULFILMENTS, publicCatalog } from '../../domain/services/catalog.js';
import {
  cancelServiceRequest,
  createServiceRequest,
  listServiceRequests,
  rateServiceRequest,
  readServiceRequest,
  serviceRequestDocument,
  submitCorrections,
} from '../../domain/services/requests.js';
import { REQUEST_STATUSES } from '../../domain/services/state-machine.js';
import { AppError } from '../../errors.js';
import { currentResident, requireResident } from '../auth/resident.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, pathParams, queryParams } from '../validate.js';

const attachmentSchema = z.object({
  kind: z.string().min(1).max(60),
  filename: z.string().trim().min(1).max(200),
  dataUrl: z.string().min(1).max(3_000_000).describe('data:<type>;base64,… — PDF, JPEG or PNG by its bytes, ≤ 2 MB decoded'),
});

const deliveryAddressSchema = z.object({
  street: z.string().trim().min(1).max(200),
  rt: z.string().regex(/^\d{1,3}$/),
  rw: z.string().regex(/^\d{1,3}$/),
  village: z.string().trim().min(1).max(100),
  district: z.string().trim().min(1).max(100),
  regency: z.string().trim().min(1).max(100),
  province: z.string().trim().min(1).max(100),
  postalCode: z.string().regex(/^\d{5}$/).optional(),
  phone: z.string().regex(/^\+?[0-9]{8,15}$/).optional(),
});

const createSchema = z.object({
  type: z.string().min(1).max(60),
  details: z.record(z.string(), z.unknown()).describe('validated per type: see detailsSchema in GET /v1/services'),
  attachments: z.array(attachmentSchema).max(MAX_ATTACHMENTS),
  fulfilment: z.enum(FULFILMENTS),
  deliveryAddress: deliveryAddressSchema.optional(),
});

const correctionsSchema = z.object({
  attachments: z.array(attachmentSchema).max(MAX_ATTACHMENTS).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  note: z.string().trim().min(1).max(1000).optional(),
});

const ratingSchema = z.object({ score: z.number().int().min(1).max(4), comment: z.string().trim().min(1).max(1000).optional() });

const catalogSchema = z.object({
  items: z.array(
    z.object({
      type: z.string(),
      title: z.string(),
      description: z.string(),
      requirements: z.array(z.object({ kind: z.string(), title: z.string(), required: z.boolean() })),
      detailsSchema: z.record(z.string(), z.unknown()),
      outputs: z.array(z.string()),
      slaHours: z.number().int(),
      fulfilment: z.array(z.enum(FULFILMENTS)),
    }),
  ),
});

const status = z.enum(REQUEST_STATUSES);
const createdSchema = z.object({ id: z.string(), number: z.string(), status, slaDueAt: z.string() });
const summarySchema = z.object({ id: z.string(), number: z.string(), type: z.string(), status, createdAt: z.string(), updatedAt: z.string(), slaDueAt: z.string() });
export const requestSchema = summarySchema.extend({
  details: z.record(z.string(), z.unknown()),
  fulfilment: z.enum(FULFILMENTS),
  deliveryAddress: deliveryAddressSchema.optional(),
  delivery: z.object({ status, receivedBy: z.string().optional(), reason: z.string().optional(), at: z.string().optional() }).optional(),
  corrections: z.array(z.string()).optional().describe('needs_correction: the attachment kinds to send again'),
  rejectReason: z.string().optional(),
  completedAt: z.string().optional(),
  history: z.array(z.object({ at: z.string(), status, note: z.string().optional(), corrections: z.array(z.string()).optional(), by: z.enum(['resident', 'operator', 'courier']) })),
  attachments: z.array(z.object({ id: z.string(), kind: z.string(), filename: z.string(), contentType: z.string(), size: z.number().int() })),
  documents: z.array(z.object({ id: z.string(), type: z.string(), number: z.string(), checkCode: z.string(), sha256: z.string() })).optional(),
  rating: z.object({ score: z.number().int(), comment: z.string().optional(), at: z.string() }).optional(),
});

const idParam = z.object({ id: z.string().min(1).max(64) });
const documentParam = z.object({ id: z.string().min(1).max(64), documentId: z.string().min(1).max(64) });

export function serviceRequestRoutes() {
  const app = new Hono<AppEnv>();

  app.get(
    '/v1/services',
    describeRoute({
      summary: 'The catalog of online population-document services: requirements, details schema, outputs, SLA, fulfilment',
      tags: ['services'],
      security: 'none',
      responses: { 200: { description: 'Catalog', schema: catalogSchema } },
    }),
    (c) => {
      c.header('Cache-Control', 'public, max-age=300');
      return c.json({ items: publicCatalog() });
    },
  );

  app.post(
    '/v1/me/service-requests',
    describeRoute({
      summary: 'Submits a request with its attachments (PDF/JPEG/PNG by magic bytes, ≤ 2 MB each, ≤ 8; this route accepts up to 20 MiB)',
      tags: ['services'],
      security: 'resident',
      responses: { 201: { description: 'Submitted', schema: createdSchema } },
      errors: ['unauthorized', 'requirements_missing', 'unsupported_media_type', 'payload_too_large'],
    }),
    requireResident(),
    jsonBody(createSchema),
    async (c) => c.json(await createServiceRequest(c.get('deps'), { resident: currentResident(c), ...c.req.valid('json') }), 201),
  );

  app.get(
    '/v1/me/service-requests',
    describeRoute({
      summary: 'The holder’s requests, newest first',
      tags: ['services'],
      security: 'resident',
      responses: { 200: { description: 'Requests', schema: z.object({ items: z.array(summarySchema), nextCursor: z.string().nullable() }) } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    queryParams(z.object({ cursor: z.string().max(200).optional() })),
    async (c) => c.json(await listServiceRequests(c.get('deps'), currentResident(c), c.req.valid('query').cursor)),
  );

  app.get(
    '/v1/me/service-requests/:id',
    describeRoute({
      summary: 'One request with its history, attachments, delivery and (once completed) its documents',
      tags: ['services'],
      security: 'resident',
      responses: { 200: { description: 'Request', schema: requestSchema } },
      errors: ['unauthorized', 'not_found'],
    }),
    requireResident(),
    pathParams(idParam),
    async (c) => c.json(await readServiceRequest(c.get('deps'), currentResident(c), c.req.valid('param').id)),
  );

  app.post(
    '/v1/me/service-requests/:id/corrections',
    describeRoute({
      summary: 'Sends what the office asked to correct: needs_correction → submitted',
      tags: ['services'],
      security: 'resident',
      responses: { 200: { description: 'Submitted again', schema: createdSchema } },
      errors: ['unauthorized', 'not_found', 'invalid_transition', 'requirements_missing', 'unsupported_media_type', 'payload_too_large'],
    }),
    requireResident(),
    pathParams(idParam),
    jsonBody(correctionsSchema),
    async (c) => c.json(await submitCorrections(c.get('deps'), { resident: currentResident(c), id: c.req.valid('param').id, ...c.req.valid('json') })),
  );

  app.post(
    '/v1/me/service-requests/:id/cancel',
    describeRoute({
      summary: 'Cancels the request (only before processing)',
      tags: ['services'],
      security: 'resident',
      responses: { 200: { description: 'Cancelled', schema: z.object({ id: z.string(), number: z.string(), status }) } },
      errors: ['unauthorized', 'not_found', 'invalid_transition'],
    }),
    requireResident(),
    pathParams(idParam),
    async (c) => c.json(await cancelServiceRequest(c.get('deps'), currentResident(c), c.req.valid('param').id)),
  );

  app.get(
    '/v1/me/service-requests/:id/documents/:documentId{.+\\.pdf}',
    describeRoute({
      summary: 'The issued document of a completed request, as a PDF',
      tags: ['services'],
      security: 'resident',
      responses: { 200: { description: 'PDF', contentType: 'application/pdf' } },
      errors: ['unauthorized', 'not_found'],
    }),
    requireResident(),
    async (c) => {
      const documentId = c.req.param('documentId').replace(/\.pdf$/, '');
      const id = c.req.param('id');
      if (!documentParam.safeParse({ id, documentId }).success) throw new AppError('not_found');
      const pdf = await serviceRequestDocument(c.get('deps'), currentResident(c), id, documentId);
      return c.body(pdf as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="${documentId}.pdf"`,
        'X-Content-Type-Options': 'nosniff',
      });
    },
  );

  app.post(
    '/v1/me/service-requests/:id/rating',
    describeRoute({
      summary: 'Rates the service once, after completion (SKM four-point scale)',
      tags: ['services'],
      security: 'resident',
      responses: { 201: { description: 'Rated', schema: z.object({ score: z.number().int(), comment: z.string().optional(), at: z.string() }) } },
      errors: ['unauthorized', 'not_found', 'already_rated', 'invalid_transition'],
    }),
    requireResident(),
    pathParams(idParam),
    jsonBody(ratingSchema),
    async (c) => c.json(await rateServiceRequest(c.get('deps'), { resident: currentResident(c), id: c.req.valid('param').id, ...c.req.valid('json') }), 201),
  );

  return app;
}
