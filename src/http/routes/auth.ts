/** Resident session routes: PIN login bound to the device key, and logout. */
import { Hono } from 'hono';
import { z } from 'zod';
import { loginResident, logoutResident } from '../../domain/credential/login.js';
import { unlockOwnAccount } from '../../domain/holder/kunci.js';
import { currentResident, requireResident } from '../auth/resident.js';
import { clientIp } from '../client.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody } from '../validate.js';

const loginSchema = z.object({
  nik: z.string().regex(/^\d{16}$/, '16 digits'),
  challengeId: z.string().min(1).max(100),
  signature: z.string().min(1).max(200).describe('base64url Ed25519 signature of "ikd-v1|login|<challengeId>|<nonce>"'),
  // Any string: a PIN of the wrong shape is simply a wrong PIN (and counts as one).
  pin: z.string().min(1).max(64),
});

const sessionSchema = z.object({
  accessToken: z.string().describe('Opaque; send as Authorization: Bearer. Lives 15 minutes.'),
  expiresAt: z.string(),
});

export function authRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/auth/login',
    describeRoute({
      summary: 'PIN login, signed by the device key (challenge purpose "login")',
      tags: ['resident'],
      responses: { 200: { description: 'Logged in', schema: sessionSchema } },
      errors: ['login_failed', 'device_replaced', 'account_locked', 'account_suspended', 'account_self_locked', 'rate_limited'],
    }),
    jsonBody(loginSchema),
    async (c) => c.json(await loginResident(c.get('deps'), { ...c.req.valid('json'), ip: clientIp(c) })),
  );

  app.post(
    '/v1/auth/unlock',
    describeRoute({
      summary: 'Buka kunci: lifts the holder’s own lock with the enrolled device (challenge purpose "unlock") and the PIN',
      tags: ['resident'],
      responses: { 200: { description: 'Unlocked', schema: z.object({ status: z.literal('active') }) } },
      errors: ['login_failed', 'account_locked', 'account_suspended', 'rate_limited'],
    }),
    jsonBody(loginSchema),
    async (c) => c.json(await unlockOwnAccount(c.get('deps'), { ...c.req.valid('json'), ip: clientIp(c) })),
  );

  app.post(
    '/v1/auth/logout',
    describeRoute({
      summary: 'Ends the session of this access token',
      tags: ['resident'],
      security: 'resident',
      responses: { 204: { description: 'Logged out' } },
      errors: ['unauthorized'],
    }),
    requireResident(),
    async (c) => {
      await logoutResident(c.get('deps'), currentResident(c));
      return c.body(null, 204);
    },
  );

  return app;
}
