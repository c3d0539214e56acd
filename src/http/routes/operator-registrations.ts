/** Operator console routes for verifying a registrant: QR lookup, video calls, the decision, resending activation. */
import { Hono } from 'hono';
import { z } from 'zod';
import { decideRegistration, lookupRegistration, resendActivation, startVideoCall } from '../../domain/enrolment/verification.js';
import { currentOperator, requireOperator } from '../auth/operator.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody, pathParams } from '../validate.js';

const address = z.object({
  street: z.string(),
  rt: z.string(),
  rw: z.string(),
  village: z.string(),
  district: z.string(),
  regency: z.string(),
  province: z.string(),
});

const lookupResult = z.object({
  registration: z.object({
    id: z.string(),
    status: z.enum(['pending_verification', 'awaiting_activation', 'active', 'rejected', 'expired']),
    kind: z.enum(['new', 'device_replacement']),
    createdAt: z.string(),
    expiresAt: z.string(),
    email: z.string(),
    phone: z.string(),
    selfie: z.string().optional(),
    rejectionReason: z.string().optional().describe('why it was refused (registry or operator); operators only'),
  }),
  resident: z
    .object({
      nik: z.string(),
      name: z.string(),
      birthPlace: z.string(),
      birthDate: z.string(),
      sex: z.string(),
      address,
      photo: z.string().nullable(),
    })
    .nullable(),
  account: z.object({ status: z.string(), suspendedReason: z.string().optional() }).nullable(),
});

const decisionBody = z.object({
  decision: z.enum(['approve', 'reject']),
  channel: z.enum(['counter', 'video_call']),
  videoCallId: z.string().max(64).optional(),
  // Optional here so a missing check is an unmet approval requirement (422), as the contract says.
  ktpElSighted: z.boolean().optional(),
  faceMatch: z.enum(['match', 'no_match']).optional(),
  consentRecorded: z.boolean().optional(),
  reason: z.string().max(500).optional(),
});

const idParam = z.object({ id: z.string().min(1).max(64) });

export function operatorRegistrationRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/operator/registrations/lookup',
    describeRoute({
      summary: 'Scan a registration QR: the registration and the KTP-el data and photo on record',
      tags: ['operator'],
      security: 'operator',
      responses: { 200: { description: 'Registration and resident', schema: lookupResult } },
      errors: ['unauthorized', 'forbidden', 'qr_invalid', 'qr_expired'],
    }),
    requireOperator(),
    jsonBody(z.object({ qr: z.string().max(2048) })),
    async (c) => c.json(await lookupRegistration(c.get('deps'), { qr: c.req.valid('json').qr, operator: currentOperator(c) })),
  );

  app.post(
    '/v1/operator/video-calls',
    describeRoute({
      summary: 'Start a verification video call: room URL and a liveness phrase for the resident to say',
      tags: ['operator'],
      security: 'operator',
      responses: {
        201: {
          description: 'Video call',
          schema: z.object({ videoCallId: z.string(), roomUrl: z.string(), livenessPhrase: z.string(), expiresAt: z.string() }),
        },
      },
      errors: ['unauthorized', 'forbidden', 'not_found', 'registration_not_pending'],
    }),
    requireOperator(),
    jsonBody(z.object({ registrationId: z.string().min(1).max(64) })),
    async (c) =>
      c.json(await startVideoCall(c.get('deps'), { registrationId: c.req.valid('json').registrationId, operator: currentOperator(c) }), 201),
  );

  app.post(
    '/v1/operator/registrations/:id/decision',
    describeRoute({
      summary: 'Approve (e-mails the activation link and code) or reject a pending registration',
      tags: ['operator'],
      security: 'operator',
      responses: { 200: { description: 'Decided', schema: z.object({ status: z.enum(['awaiting_activation', 'rejected']) }) } },
      errors: ['unauthorized', 'forbidden', 'not_found', 'registration_not_pending', 'approval_requirements_unmet'],
    }),
    requireOperator(),
    pathParams(idParam),
    jsonBody(decisionBody),
    async (c) => {
      const body = c.req.valid('json');
      const result = await decideRegistration(c.get('deps'), {
        ...body,
        ktpElSighted: body.ktpElSighted ?? false,
        consentRecorded: body.consentRecorded ?? false,
        faceMatch: body.faceMatch ?? 'no_match',
        registrationId: c.req.valid('param').id,
        operator: currentOperator(c),
      });
      return c.json(result);
    },
  );

  app.post(
    '/v1/operator/registrations/:id/resend-activation',
    describeRoute({
      summary: 'Void the activation link and code and e-mail new ones',
      tags: ['operator'],
      security: 'operator',
      responses: {
        200: { description: 'Resent', schema: z.object({ status: z.literal('awaiting_activation'), expiresAt: z.string() }) },
      },
      errors: ['unauthorized', 'forbidden', 'not_found', 'conflict'],
    }),
    requireOperator(),
    pathParams(idParam),
    async (c) => c.json(await resendActivation(c.get('deps'), { registrationId: c.req.valid('param').id, operator: currentOperator(c) })),
  );

  return app;
}
