/**
 * Pindai at a counter: the counter opens a request (verifier API key) and polls it; the holder reads and decides it in
 * the app (resident session). See src/domain/verification-requests/requests.ts.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { KTP_ELEMENTS, TOKEN_DOCUMENTS } from '../../crypto/token-codec.js';
import {
  collectVerificationRequest,
  decideVerificationRequest,
  openVerificationRequest,
  readVerificationRequest,
} from '../../domain/verification-requests/requests.js';
import { currentResident, requireResident } from '../auth/resident.js';
import { currentVerifier, requireVerifierKey } from '../auth/verifier.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, pathParams } from '../validate.js';

const idParam = z.object({ id: z.string().min(1).max(64) });

const openSchema = z.object({
  elements: z.array(z.enum(KTP_ELEMENTS)).max(KTP_ELEMENTS.length).optional().describe("default: every element this verifier may see"),
  document: z.enum(TOKEN_DOCUMENTS).optional().describe('a document besides the KTP elements; one this verifier may receive'),
  counter: z.string().trim().min(1).max(100).optional().describe('which desk asks, shown to the holder and in the access log'),
});

const decideSchema = z.object({
  decision: z.enum(['approve', 'deny']),
  pin: z.string().min(1).max(64).optional(),
  elements: z.array(z.string().max(40)).max(KTP_ELEMENTS.length * 2).optional().describe('what to share: the elements asked for or fewer, never more'),
});

const verificationSchema = z.object({
  status: z.enum(['pending', 'denied', 'approved']),
  verifiedAt: z.string().optional(),
  document: z.object({ type: z.string(), number: z.string(), issuedOn: z.string(), fields: z.record(z.string(), z.unknown()) }).optional(),
  resident: z.record(z.string(), z.unknown()).optional(),
  photo: z.string().optional(),
});

export function verificationRequestRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/verification-requests',
    describeRoute({
      summary: 'A counter asks a holder for data through a QR the holder scans (5 minutes); the holder approves with the PIN',
      tags: ['verifier'],
      security: 'verifier',
      responses: {
        201: {
          description: 'Opened',
          schema: z.object({ id: z.string(), qr: z.string().describe('<PUBLIC_BASE_URL>/app#pindai=verify.<id>'), svg: z.string(), expiresAt: z.string() }),
        },
      },
      errors: ['verifier_unauthorized', 'invalid_request', 'elements_not_allowed', 'document_not_allowed', 'nothing_to_disclose', 'rate_limited'],
    }),
    requireVerifierKey(),
    jsonBody(openSchema),
    async (c) => {
      const body = c.req.valid('json');
      c.header('Cache-Control', 'no-store');
      return c.json(await openVerificationRequest(c.get('deps'), { verifier: currentVerifier(c), ...body }), 201);
    },
  );

  app.get(
    '/v1/verification-requests/:id',
    describeRoute({
      summary: 'The counter polls its request: pending, denied, or once the approved result (as POST /v1/verify); then 410',
      tags: ['verifier'],
      security: 'verifier',
      responses: { 200: { description: 'Status, or the result once', schema: verificationSchema } },
      errors: ['verifier_unauthorized', 'not_found', 'request_expired', 'account_inactive', 'holder_refused', 'document_not_allowed'],
    }),
    requireVerifierKey(),
    pathParams(idParam),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await collectVerificationRequest(c.get('deps'), { verifier: currentVerifier(c), id: c.req.valid('param').id }));
    },
  );

  app.get(
    '/v1/me/verification-requests/:id',
    describeRoute({
      summary: 'Pindai (verify.<id>): which institution and counter asks for which elements, before the holder decides',
      tags: ['resident'],
      security: 'resident',
      responses: {
        200: {
          description: 'The request',
          schema: z.object({
            verifier: z.object({ id: z.string(), name: z.string() }),
            counter: z.string().optional(),
            elements: z.array(z.string()),
            document: z.string().optional(),
            expiresAt: z.string(),
            status: z.enum(['pending', 'approved', 'denied']),
            blocked: z.boolean(),
          }),
        },
      },
      errors: ['unauthorized', 'not_found', 'request_expired'],
    }),
    requireResident(),
    pathParams(idParam),
    async (c) => c.json(await readVerificationRequest(c.get('deps'), { resident: currentResident(c), id: c.req.valid('param').id })),
  );

  app.post(
    '/v1/me/verification-requests/:id',
    describeRoute({
      summary: 'Approves (with the PIN, all or fewer of the elements) or denies a counter’s request; decided once',
      tags: ['resident'],
      security: 'resident',
      responses: { 200: { description: 'Decided', schema: z.object({ status: z.enum(['approved', 'denied']) }) } },
      errors: [
        'unauthorized',
        'invalid_request',
        'not_found',
        'request_expired',
        'conflict',
        'pin_invalid',
        'account_locked',
        'account_suspended',
        'account_self_locked',
        'account_inactive',
        'holder_refused',
        'rate_limited',
      ],
    }),
    requireResident(),
    pathParams(idParam),
    jsonBody(decideSchema),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await decideVerificationRequest(c.get('deps'), { resident: currentResident(c), id: c.req.valid('param').id, ...body }));
    },
  );

  return app;
}
