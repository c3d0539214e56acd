/** Lupa PIN routes: the enrolled device asks for an e-mailed code, then sets a new PIN with it. */
import { Hono } from 'hono';
import { z } from 'zod';
import { confirmPinReset, requestPinReset } from '../../domain/credential/pin-reset.js';
import { clientIp } from '../client.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody } from '../validate.js';

const signedBody = {
  nik: z.string().regex(/^\d{16}$/, '16 digits'),
  challengeId: z.string().min(1).max(100),
  signature: z.string().min(1).max(200).describe('base64url Ed25519 signature of "ikd-v1|pin_reset|<challengeId>|<nonce>"'),
};

const requestBody = z.object(signedBody);
// Any string: a code or PIN of the wrong shape is judged (and refused) like a wrong one.
const confirmBody = z.object({ ...signedBody, code: z.string().min(1).max(16), newPin: z.string().min(1).max(64) });

export function pinResetRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/auth/pin-reset',
    describeRoute({
      summary: 'Lupa PIN: e-mail a one-time code (15 min) for the enrolled device (challenge purpose "pin_reset"); one answer whatever the NIK and device',
      tags: ['resident'],
      security: 'none',
      responses: { 202: { description: 'Accepted: if the NIK has an IKD on this device, a code was e-mailed', schema: z.object({ expiresAt: z.string() }) } },
      errors: ['rate_limited'],
    }),
    jsonBody(requestBody),
    async (c) => c.json(await requestPinReset(c.get('deps'), { ...c.req.valid('json'), ip: clientIp(c) }), 202),
  );

  app.post(
    '/v1/auth/pin-reset/confirm',
    describeRoute({
      summary: 'Lupa PIN: device signature + e-mailed code + new PIN; every session ends, the PIN lock is cleared, the holder is e-mailed',
      tags: ['resident'],
      security: 'none',
      responses: { 204: { description: 'PIN replaced' } },
      errors: ['weak_pin', 'pin_reset_invalid', 'pin_reset_expired', 'too_many_attempts', 'rate_limited'],
    }),
    jsonBody(confirmBody),
    async (c) => {
      await confirmPinReset(c.get('deps'), { ...c.req.valid('json'), ip: clientIp(c) });
      return c.body(null, 204);
    },
  );

  return app;
}
