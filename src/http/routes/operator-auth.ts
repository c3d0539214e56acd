/** Operator console sign-in: login with password + TOTP, logout, and who am I. */
import { Hono } from 'hono';
import { z } from 'zod';
import { zoneOfProvince } from '../../domain/local-time.js';
import { loginOperator, logoutOperator, OPERATOR_ROLES, SESSION_IDLE_MS } from '../../domain/operators/operators.js';
import { clearSessionCookie, currentOperator, requireOperator, setSessionCookie, wantsSessionCookie } from '../auth/operator.js';
import { clientIp } from '../client.js';
import type { AppEnv } from '../context.js';
import { describeRoute } from '../openapi.js';
import { jsonBody } from '../validate.js';

const loginSchema = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  otp: z.string().regex(/^\d{6}$/, 'must be the 6 digits from the authenticator app'),
});

const operatorSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(OPERATOR_ROLES),
  officeCode: z.string(),
  timeZone: z.enum(['WIB', 'WITA', 'WIT']).describe('the office’s Indonesian time zone (from its province), for showing times'),
});

const loginResponseSchema = z.object({
  token: z.string(),
  expiresAt: z.string().describe('Absolute end of the session (12 h); it also ends after 30 min without use.'),
  idleTimeoutSeconds: z.number().int(),
  operator: operatorSchema,
});

export function operatorAuthRoutes() {
  const app = new Hono<AppEnv>();

  app.post(
    '/v1/operator/login',
    describeRoute({
      summary: 'Operator login with password and a TOTP code (each code is accepted once)',
      description:
        'Send `X-Requested-With: ikd-console` to also receive the session as the `__Host-ikd_op` cookie (the web console).',
      tags: ['operator'],
      responses: { 200: { description: 'Session', schema: loginResponseSchema } },
      errors: ['invalid_credentials', 'operator_locked', 'rate_limited'],
    }),
    jsonBody(loginSchema),
    async (c) => {
      const deps = c.get('deps');
      const body = c.req.valid('json');
      const login = await loginOperator(deps, { ...body, ip: clientIp(c) });
      if (wantsSessionCookie(c)) setSessionCookie(c, login.token, login.expiresAt, deps.clock.now());
      return c.json({
        token: login.token,
        expiresAt: login.expiresAt.toISOString(),
        idleTimeoutSeconds: SESSION_IDLE_MS / 1000,
        operator: { ...login.operator, timeZone: zoneOfProvince(login.operator.officeCode) },
      });
    },
  );

  app.post(
    '/v1/operator/logout',
    describeRoute({
      summary: 'Ends the calling operator session',
      tags: ['operator'],
      security: 'operator',
      responses: { 204: { description: 'Session ended' } },
      errors: ['unauthorized', 'csrf_failed'],
    }),
    requireOperator('courier'),
    async (c) => {
      await logoutOperator(c.get('deps'), currentOperator(c));
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  app.get(
    '/v1/operator/me',
    describeRoute({
      summary: 'The operator behind the session',
      tags: ['operator'],
      security: 'operator',
      responses: { 200: { description: 'Operator', schema: operatorSchema } },
      errors: ['unauthorized'],
    }),
    requireOperator('courier'),
    (c) => {
      const { id, name, role, officeCode } = currentOperator(c);
      return c.json({ id, name, role, officeCode, timeZone: zoneOfProvince(officeCode) });
    },
  );

  return app;
}
