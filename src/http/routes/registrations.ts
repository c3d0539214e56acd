/** Resident registration routes: register, device challenges, the registration QR, and the status poll. */
import { Hono } from 'hono';
import { z } from 'zod';
import { createChallenge } from '../../domain/enrolment/challenges.js';
import { enforceRateLimits } from '../../domain/limits/rate-limit.js';
import { issueRegistrationQr } from '../../domain/enrolment/registration-qr.js';
import { readRegistrantVideoCall } from '../../domain/enrolment/registrant-video-call.js';
import { registerResident, registrationStatus } from '../../domain/enrolment/registration.js';
import { clientIp } from '../client.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { preferredLanguage } from '../problem.js';
import { jsonBody, pathParams } from '../validate.js';

// Shapes only; the meaning (NIK structure, mobile number, key, image) is judged by the domain, all fields at once.
const registrationBody = z.object({
  nik: z.string().max(32),
  name: z.string().min(1).max(120),
  birthDate: z.string().max(32),
  email: z.string().max(254),
  phone: z.string().max(32),
  devicePublicKey: z.string().max(128),
  selfie: z.string().max(420_000).optional().describe('data URL of a JPEG or PNG, at most 300 KB decoded'),
});

const statusEnum = z.enum(['pending_verification', 'awaiting_activation', 'active', 'rejected', 'expired']);
const registrationCreated = z.object({ registrationId: z.string(), status: z.literal('pending_verification'), expiresAt: z.string() });
const challengeBody = z.object({ purpose: z.enum(['login', 'registration_qr', 'pin_reset', 'unlock']) });
const challengeCreated = z.object({ challengeId: z.string(), nonce: z.string(), expiresAt: z.string() });
const idParam = z.object({ id: z.string().min(1).max(64) });
const qrBody = z.object({ challengeId: z.string().min(1).max(64), signature: z.string().min(1).max(128) });
const qrCreated = z.object({ qr: z.string(), svg: z.string(), expiresAt: z.string() });
const videoCallRead = z.object({ roomUrl: z.string(), livenessPhrase: z.string().describe('the words the registrant says on the call'), expiresAt: z.string() });

/** Challenges are cheap but each is a row: a generous per-IP ceiling keeps a flood out of the table. */
const CHALLENGE_LIMIT = { limit: 600, windowSeconds: 60 };

export function registrationRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/registrations',
    describeRoute({
      summary: 'Register for an IKD (SOP step 2); a NIK with a live IKD makes a device-replacement request',
      tags: ['registration'],
      security: 'none',
      responses: { 201: { description: 'Registered, waiting for operator verification', schema: registrationCreated } },
      errors: ['registration_rejected', 'rate_limited', 'payload_too_large'],
    }),
    jsonBody(registrationBody),
    async (c) => {
      const body = c.req.valid('json');
      const result = await registerResident(c.get('deps'), { ...body, ip: clientIp(c), lang: preferredLanguage(c) });
      return c.json(result, 201);
    },
  );

  app.post(
    '/v1/challenges',
    describeRoute({
      summary: 'A single-use challenge (120 s) for the device to sign',
      tags: ['registration', 'resident'],
      security: 'none',
      responses: { 201: { description: 'Challenge', schema: challengeCreated } },
      errors: ['rate_limited'],
    }),
    jsonBody(challengeBody),
    async (c) => {
      const deps = c.get('deps');
      await enforceRateLimits(deps.db, [{ key: `challenge:ip:${clientIp(c)}`, ...CHALLENGE_LIMIT }], deps.clock.now());
      return c.json(await createChallenge(deps, c.req.valid('json').purpose), 201);
    },
  );

  app.post(
    '/v1/registrations/:id/qr',
    describeRoute({
      summary: 'The registration QR (5 minutes) for the operator, for a request signed with the registered device key',
      tags: ['registration'],
      security: 'none',
      responses: { 200: { description: 'QR', schema: qrCreated } },
      errors: ['signature_invalid', 'not_found', 'registration_not_pending'],
    }),
    pathParams(idParam),
    jsonBody(qrBody),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await issueRegistrationQr(c.get('deps'), { registrationId: id, ...c.req.valid('json') }));
    },
  );

  app.post(
    '/v1/registrations/:id/video-call',
    describeRoute({
      summary: 'The open video call of a registration (room link, liveness phrase), for a request signed with the registered device key',
      tags: ['registration'],
      security: 'none',
      responses: { 200: { description: 'The open call', schema: videoCallRead } },
      errors: ['signature_invalid', 'not_found', 'registration_not_pending'],
    }),
    pathParams(idParam),
    jsonBody(qrBody),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await readRegistrantVideoCall(c.get('deps'), { registrationId: id, ...c.req.valid('json') }));
    },
  );

  app.get(
    '/v1/registrations/:id',
    describeRoute({
      summary: 'The status of a registration',
      tags: ['registration'],
      security: 'none',
      responses: {
        200: {
          description: 'Status',
          schema: z.object({
            status: statusEnum,
            videoCallOpen: z.literal(true).optional().describe('present while an operator’s video call for it is open: fetch it with POST …/video-call'),
            rejectionReason: z.string().optional().describe("only when an operator rejected it: the operator's reason, as e-mailed to the registrant"),
          }),
        },
      },
      errors: ['not_found'],
    }),
    pathParams(idParam),
    async (c) => c.json(await registrationStatus(c.get('deps'), c.req.valid('param').id)),
  );

  return app;
}
